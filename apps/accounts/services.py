"""Writes to accounts: API tokens (the rest is Django's own auth and the admin)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ApiToken, User
from apps.core.validators import normalize_name

# A user's live tokens at one time: enough for a few scripts, not a way to hoard keys.
MAX_TOKENS_PER_USER = 10


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its key, which is shown once and never stored."""
    name = normalize_name(name)
    if not name:
        raise ValidationError({"name": _("请填写令牌用途")})
    # Serialise one user's creations so that the limit holds under concurrent requests.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    if user.api_tokens.filter(expires_at__gt=now).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("有效令牌最多 %(n)d 个，请先撤销不用的令牌") % {"n": MAX_TOKENS_PER_USER}
        )
    key = secrets.token_hex(20)
    token = ApiToken(
        user=user,
        name=name,
        key_digest=token_digest(key),
        prefix=key[:8],
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    """Only the token's owner revokes it (the superuser may, through the admin)."""
    if token.user_id != by.pk:
        raise ValidationError(_("只能撤销自己的令牌"))
    token.delete()
