"""The staff login page, which says so when failed logins have locked it (429)."""

from django.contrib.auth import views as auth_views

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
