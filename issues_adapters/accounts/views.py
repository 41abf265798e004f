"""The login pages say so when failed logins have locked them: the staff login with 429, the
admin's login form with its own error instead of "wrong password". Password reset requests are
rate-limited per email address and per client address, since each one mails the account."""

import math

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from issues_adapters.accounts import failed_logins
from issues_adapters.api.throttling import PasswordResetAddressThrottle, PasswordResetThrottle


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


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        # Counted whether or not an account has that address, so a refusal reveals none.
        throttles = [
            PasswordResetThrottle(form.cleaned_data["email"]),
            PasswordResetAddressThrottle(),
        ]
        refused = next((t for t in throttles if not t.allow_request(self.request, self)), None)
        if refused is None:
            return super().form_valid(form)
        seconds = max(1, math.ceil(refused.wait() or 1))
        minutes = math.ceil(seconds / 60)
        form.add_error(
            "email",
            ngettext(
                "Several password resets were asked for this address or from yours in a short "
                "time. Nothing was sent; please try again in %(minutes)d minute.",
                "Several password resets were asked for this address or from yours in a short "
                "time. Nothing was sent; please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(seconds)
        return response
