from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Bounds checked before authentication: axes records the username in a varchar(255), and hashing
# a megabyte-long password would tie up a worker. No real account comes near either.
USERNAME_MAX_LENGTH = 150
PASSWORD_MAX_LENGTH = 128


class BoundedLoginMixin:
    """Username and password checked for length before authentication is attempted."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so it is never checked.
        for name, limit, message in (
            ("username", USERNAME_MAX_LENGTH, _("用户名不能超过 %(limit_value)d 个字符")),
            ("password", PASSWORD_MAX_LENGTH, _("密码不能超过 %(limit_value)d 个字符")),
        ):
            field = self.fields[name]
            field.max_length = limit
            field.widget.attrs["maxlength"] = str(limit)
            field.validators.append(MaxLengthValidator(limit, message=message))


class LoginForm(BoundedLoginMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续 5 次错误后账号将被锁定 30 分钟。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class AdminLoginForm(BoundedLoginMixin, AdminAuthenticationForm):
    """The admin site's login, with the same bounds (it is axes-protected too)."""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=64,
        help_text=_("例如：月报同步脚本。密钥只在创建后显示一次。"),
    )


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("待办摘要邮件"), widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.models import User

        self.fields["digest"].choices = User.Digest.choices
