from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from apps.accounts.models import ApiToken
from apps.accounts.services import token_digest

# last_used_at is a hint for the owner, not an audit: written at most once in this interval.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against ApiToken: unknown, expired or a disabled user's
    keys are refused (401)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        if len(key) > 128:
            raise AuthenticationFailed(_("令牌无效"))
        token = ApiToken.objects.select_related("user").filter(key_digest=token_digest(key)).first()
        if token is None:
            raise AuthenticationFailed(_("令牌无效"))
        now = timezone.now()
        if token.expires_at <= now:
            raise AuthenticationFailed(_("令牌已过期，请重新创建"))
        if not token.user.is_active:
            raise AuthenticationFailed(_("该账号已停用，请联系系统管理员。"))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
