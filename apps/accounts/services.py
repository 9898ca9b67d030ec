"""Writes of the accounts app: notifications, the daily digest and API tokens (the rest is
Django's own auth and the admin)."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import ApiToken, DigestEmail, Notification, User
from apps.core.registry import notification_events
from apps.core.validators import normalize_name


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _forget_unread_counts(user_ids: Iterable[int]) -> None:
    """Drop the cached counts now and again after the commit (a page read between the two
    would otherwise cache the count from before it)."""
    keys = [unread_cache_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@transaction.atomic
def notify(
    *,
    event: str,
    recipients: Iterable[User],
    obj: models.Model | None,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Tell each recipient about `obj`, once per (recipient, event, key): running again with the
    same key notifies nobody twice. A recipient who is inactive, or who may not see `obj` by the
    owning app's rule (the event's `may_see`), is dropped. Returns the notifications created."""
    declared = notification_events().get(event)
    if declared is None:
        raise LookupError(f"Unknown notification event {event!r}: declare it in notifications.py")
    dedup_key = f"{event}:{key}"[:200]
    wanted = {user.pk: user for user in recipients if user is not None and user.is_active}
    wanted = {pk: user for pk, user in wanted.items() if declared.may_see(user, obj)}
    if not wanted:
        return []
    already = set(
        Notification.objects.filter(dedup_key=dedup_key, recipient_id__in=wanted).values_list(
            "recipient_id", flat=True
        )
    )
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            event=event,
            title=title[:200],
            body=body,
            url=url,
            content_type=content_type,
            object_id=obj.pk if obj is not None else None,
            dedup_key=dedup_key,
            created_at=now,
        )
        for pk, user in wanted.items()
        if pk not in already
    ]
    # A concurrent run with the same key loses quietly on the unique constraint.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    recipient_ids = [row.recipient_id for row in rows]
    _forget_unread_counts(recipient_ids)
    # Re-read: ignore_conflicts leaves the primary keys unset.
    return list(
        Notification.objects.filter(
            dedup_key=dedup_key, recipient_id__in=recipient_ids, created_at=now
        ).select_related("recipient")
    )


def unread_count(user: User) -> int:
    """The bell's number: one count on the partial index, cached until it changes."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, 300)
    return count


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _forget_unread_counts([by.pk])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    count = Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _forget_unread_counts([by.pk])
    return count


@transaction.atomic
def user_set_digest(*, user: User, digest: str) -> User:
    if digest not in User.Digest.values:
        raise ValidationError(_("请选择是否接收摘要邮件"))
    user.digest = digest
    user.save(update_fields=["digest"])
    return user


def digest_send(*, user: User, day: date | None = None) -> bool:
    """Send the user's digest of unread notifications not yet in a digest, at most once a day.
    True when an e-mail went out. Idempotent: the day's row is written in the same transaction
    as the e-mail is sent, so a failed send is retried and a sent one is never repeated."""
    day = day or timezone.localdate()
    if user.digest != User.Digest.DAILY or not user.email or not user.is_active:
        return False
    try:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, read_at__isnull=True, digested_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not pending:
                return False
            DigestEmail.objects.create(user=user, day=day, notification_count=len(pending))
            base_url = settings.PORTAL_BASE_URL.rstrip("/")
            with translation.override(settings.LANGUAGE_CODE):
                context = {"user": user, "notifications": pending, "base_url": base_url, "day": day}
                subject = _("【%(portal)s】%(day)s 待办摘要（%(count)s 条）") % {
                    "portal": settings.PORTAL_NAME,
                    "day": day.isoformat(),
                    "count": len(pending),
                }
                body = render_to_string("accounts/digest_email.txt", context)
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                digested_at=timezone.now()
            )
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        # Today's digest went out already (another run got there first).
        return False
    return True


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
