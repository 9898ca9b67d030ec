from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import selectors, services
from apps.accounts.forms import ApiTokenForm, DigestForm, LoginForm
from apps.accounts.models import Notification
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


# --- Notifications ------------------------------------------------------------------------------


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.notifications_of(request.user, unread_only=unread_only), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "unread": services.unread_count(request.user),
            "digest_form": DigestForm(initial={"digest": request.user.digest}),
        },
    )


@login_required
def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect(_safe_link(notification.url))


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, _("已将 %(count)s 条通知标为已读") % {"count": count})
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_settings(request):
    form = DigestForm(request.POST)
    if form.is_valid():
        services.user_set_digest(user=request.user, digest=form.cleaned_data["digest"])
        messages.success(request, _("邮件设置已保存"))
    else:
        messages.error(request, _("请选择是否接收摘要邮件"))
    return redirect("accounts:notifications")


def _safe_link(url: str) -> str:
    # Links are written by the services as site paths; anything else goes to the list.
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/"):
        return url
    return reverse("accounts:notifications")


def _back_to_list(request) -> str:
    return reverse("accounts:notifications") + ("?unread=1" if request.GET.get("unread") else "")


# --- API tokens -------------------------------------------------------------------------------


@login_required
def api_tokens(request):
    """The user's own API tokens: create one (its key shown once) or revoke one."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("已创建令牌“%(name)s”，请立即复制密钥") % {"name": token.name}
            )
            form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": selectors.api_tokens_of(request.user),
            "new_key": new_key,
            "now": timezone.now(),
            "token_days": settings.API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(selectors.api_tokens_of(request.user), pk=pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("已撤销令牌“%(name)s”") % {"name": token.name})
    return redirect("accounts:api_tokens")
