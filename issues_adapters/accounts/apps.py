from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "issues_adapters.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from issues_adapters.accounts import failed_logins, languages
        from issues_adapters.accounts.views import AdminLoginForm

        user_login_failed.connect(failed_logins.count_failure, dispatch_uid="count_failed_logins")
        user_logged_in.connect(languages.remember_at_login, dispatch_uid="staff_language")
        admin.site.login_form = AdminLoginForm
