from django.db.models import QuerySet

from apps.accounts.models import User


def user_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True).select_related("department").prefetch_related("groups")
    )
