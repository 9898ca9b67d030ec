from django.db.models import QuerySet

from apps.accounts.models import ApiToken, Notification, User


def user_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True).select_related("department").prefetch_related("groups")
    )


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet:
    """A user's notifications, newest first (no relation is read: the title and link are
    stored on the row)."""
    queryset = Notification.objects.filter(recipient=user).only(
        "id", "event", "title", "body", "url", "created_at", "read_at", "recipient_id"
    )
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first (expired ones too, until revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
