from apps.accounts.models import Notification
from tests.access import EVERYONE, Access, Skip, roles


def _leaders_notification(users) -> dict:
    """A notification of the leader's: only its recipient may open it (others get 404)."""
    notification = Notification.objects.create(
        recipient=users["领导"], event="services.demand_escalated", title="t", dedup_key="matrix"
    )
    return {"pk": notification.pk}


_ONLY_THE_RECIPIENT = frozenset({"领导"})


def _leaders_token(users) -> dict:
    from apps.accounts.services import api_token_create

    token, _key = api_token_create(user=users["领导"], name="matrix")
    return {"pk": token.pk}


ACCESS = {
    "healthz": Access(ok=EVERYONE, anonymous_status=200),
    "set_language": Access(ok=EVERYONE, ok_status=302, anonymous_status=302),
    "accounts:home": Access(ok=EVERYONE),
    "accounts:login": Access(ok=EVERYONE, ok_status=302, anonymous_status=200),
    "accounts:logout": Access(ok=EVERYONE, ok_status=405, anonymous_status=405),
    "accounts:password_change": Access(ok=EVERYONE),
    "accounts:password_change_done": Access(ok=EVERYONE),
    "api-schema": Access(ok=EVERYONE),
    "api-docs": Access(ok=EVERYONE),
    "api:api-root": Access(ok=EVERYONE),
    "api:department-list": Access(ok=EVERYONE),
    "api:department-detail": Access(ok=EVERYONE, kwargs=lambda users: {"pk": 1}),
    "api:user-list": Access(ok=EVERYONE),
    "api:user-detail": Access(ok=EVERYONE, kwargs=lambda users: {"pk": users["领导"].pk}),
    "api:user-me": Access(ok=EVERYONE),
    # Notifications are personal: everyone has their own list; one row is its recipient's only.
    "accounts:notifications": Access(ok=EVERYONE),
    "accounts:notification_open": Access(
        ok=_ONLY_THE_RECIPIENT, kwargs=_leaders_notification, ok_status=302, denied_status=404
    ),
    "accounts:notification_read": Access(
        ok=EVERYONE, kwargs=_leaders_notification, ok_status=405, denied_status=405
    ),
    "accounts:notification_read_all": Access(ok=EVERYONE, ok_status=405),
    "accounts:notification_settings": Access(ok=EVERYONE, ok_status=405),
    "api:notification-list": Access(ok=EVERYONE),
    "api:notification-detail": Access(
        ok=_ONLY_THE_RECIPIENT, kwargs=_leaders_notification, denied_status=404
    ),
    "api:notification-read": Access(ok=EVERYONE, kwargs=_leaders_notification, ok_status=405),
    "api:notification-read-all": Access(ok=EVERYONE, ok_status=405),
    "api:notification-unread-count": Access(ok=EVERYONE),
    # Each user's own tokens; the detail route only revokes (DELETE), tested in test_api.
    "accounts:api_tokens": Access(ok=EVERYONE),
    "accounts:api_token_revoke": Access(ok=EVERYONE, ok_status=405, kwargs=lambda users: {"pk": 1}),
    "api:api-token-list": Access(ok=EVERYONE),
    # One's own token only: the leader's token is a 404 to everyone else, the superuser too.
    "api:api-token-detail": Access(
        ok=frozenset({"领导"}), denied_status=404, kwargs=lambda users: _leaders_token(users)
    ),
    # The admin site's own pages check is_staff and model permissions; its entry page
    # stands for them here (the rest are Django's, tested by Django).
    "admin:index": Access(ok=roles("人事管理员"), denied_status=302),
    "admin:*": Skip("Django admin pages: permission checks are Django's own"),
    "admin:login": Access(
        ok=roles("人事管理员"), ok_status=302, denied_status=200, anonymous_status=200
    ),
}
