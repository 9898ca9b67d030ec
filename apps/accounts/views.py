from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from apps.accounts.forms import LoginForm
from apps.core.registry import app_modules


@login_required
def home(request):
    """ "My work": each app contributes panels for what this user has to do."""
    panels = []
    for _config, module in app_modules("home"):
        panels.extend(module.panels(request))
    panels.sort(key=lambda panel: panel.order)
    return render(request, "accounts/home.html", {"panels": panels})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
