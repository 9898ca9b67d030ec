"""The daily digest e-mail."""

from apps.accounts.models import Notification, User
from apps.accounts.services import digest_send
from apps.core.tasks import portal_task


@portal_task(name="accounts.send_digest")
def send_digest(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    return bool(user) and digest_send(user=user)


@portal_task(name="accounts.send_digests")
def send_digests() -> int:
    """One task per user with something to tell, so that one failing mailbox is retried alone."""
    user_ids = (
        Notification.objects.filter(
            read_at__isnull=True,
            digested_at__isnull=True,
            recipient__is_active=True,
            recipient__digest=User.Digest.DAILY,
        )
        .exclude(recipient__email="")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    user_ids = list(user_ids)
    for user_id in user_ids:
        send_digest.delay(user_id)
    return len(user_ids)
