"""Permissions cached per user across requests.

Django's ModelBackend reads a user's permissions and their groups' permissions with two
queries on the first ``has_perm`` of every request. ``CachedModelBackend`` keeps both sets in
the cache (Redis) under the user's id, tagged with a version; any change that can alter
anyone's permissions (a user's groups or own permissions, a group's permissions, a group or
permission deleted, a user saved: active, superuser) bumps the version, so the next request of
every user reads them afresh. The API's token look-up (apps.accounts.authentication) is cached
under the same version, which a token saved or deleted bumps too. One cache round trip per
request (the version and the user's entry together); with the cache down, the backend reads the
database as Django's does.

``PERMISSION_CACHE_SECONDS`` (default 300) bounds an entry's life, and so how long a change
made while Redis was down (its version bump lost) can go unseen; 0 turns the cache off.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "perms:version"


def _seconds() -> int:
    return getattr(settings, "PERMISSION_CACHE_SECONDS", 300)


def _user_key(user_id: int) -> str:
    return f"perms:user:{user_id}"


def invalidate(**_kwargs) -> None:
    """Every user's cached permissions are stale from now on, and again once the change
    commits (a request that read the old permissions meanwhile cached them under the version
    of the first bump)."""
    _bump()
    transaction.on_commit(_bump)


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    # A login writes last_login: nothing the permissions depend on.
    if update_fields and set(update_fields) <= {"last_login"}:
        return
    invalidate()


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Missing (first change, or evicted): any value differs from the entries' versions
        # only if it is new, so start from a value no entry holds.
        import time

        cache.set(VERSION_KEY, time.time_ns(), None)


class CachedModelBackend(ModelBackend):
    def _cached_sets(self, user_obj) -> tuple[set[str], set[str]]:
        seconds = _seconds()
        if seconds <= 0:
            return self._read(user_obj)
        key = _user_key(user_obj.pk)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        entry = found.get(key)
        if version is not None and entry is not None and entry[0] == version:
            return entry[1], entry[2]
        user_perms, group_perms = self._read(user_obj)
        if version is None:
            invalidate()
            version = cache.get(VERSION_KEY)
        if version is not None:
            cache.set(key, (version, user_perms, group_perms), seconds)
        return user_perms, group_perms

    def _read(self, user_obj) -> tuple[set[str], set[str]]:
        return (
            ModelBackend._get_permissions(self, user_obj, None, "user"),
            ModelBackend._get_permissions(self, user_obj, None, "group"),
        )

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, name):
            user_perms, group_perms = self._cached_sets(user_obj)
            user_obj._user_perm_cache = user_perms
            user_obj._group_perm_cache = group_perms
        return getattr(user_obj, name)


def connect_signals() -> None:
    """Called from AccountsConfig.ready()."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    uid = "cached-permissions"
    m2m_changed.connect(invalidate, sender=user_model.groups.through, dispatch_uid=f"{uid}-ug")
    m2m_changed.connect(
        invalidate, sender=user_model.user_permissions.through, dispatch_uid=f"{uid}-up"
    )
    m2m_changed.connect(invalidate, sender=Group.permissions.through, dispatch_uid=f"{uid}-gp")
    for model in (Group, Permission):
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-del-{model.__name__}")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=f"{uid}-user")
    post_delete.connect(invalidate, sender=user_model, dispatch_uid=f"{uid}-user-del")
    # API tokens are cached under the same version (apps.accounts.authentication): a token
    # revoked or changed is refused on the next request.
    from apps.accounts.models import ApiToken

    post_save.connect(_token_saved, sender=ApiToken, dispatch_uid=f"{uid}-token")
    post_delete.connect(invalidate, sender=ApiToken, dispatch_uid=f"{uid}-token-del")


def _token_saved(sender, created=False, **kwargs) -> None:
    # A new token is under a digest nothing has cached.
    if not created:
        invalidate()
