"""The login pages say so when failed logins have locked them: the staff login with 429, the
admin's login form with its own error instead of "wrong password"."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError

from issues_adapters.accounts import failed_logins


class LoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        if failed_logins.locked_out(request, request.POST.get("username")):
            form = self.get_form()
            context = self.get_context_data(form=form, locked_out=failed_logins.refusal_message())
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(failed_logins.period_seconds())
            return response
        return super().post(request, *args, **kwargs)


class AdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        if failed_logins.locked_out(self.request, self.cleaned_data.get("username")):
            raise ValidationError(failed_logins.refusal_message(), code="locked_out")
        return super().clean()
