from django.db.models import QuerySet

from apps.accounts.models import ApiToken, User


def user_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True).select_related("department").prefetch_related("groups")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first (expired ones too, until revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
