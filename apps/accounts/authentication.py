"""API token authentication, its look-up kept in the cache across requests.

Each request's token was one query (the token and its user). The pair is now cached under the
key's digest, tagged with the version that apps.accounts.backends bumps on any change that can
alter a user's access (a user saved or deleted, groups or permissions changed) and, here, on a
token saved or deleted (revoked on the token page or through the API, or deleted any other
way): a revoked token or a deactivated user is refused on the next request. The cached user
carries its permission sets (CachedModelBackend keeps them on the user object, read under the
same version), so that a token's request makes one cache round trip for both; with the cache
down, the database is read as before.
``PERMISSION_CACHE_SECONDS`` bounds an entry's life as it bounds the permissions' (0 turns both
off)."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from apps.accounts import backends
from apps.accounts.models import ApiToken
from apps.accounts.services import token_digest

# last_used_at is a hint for the owner, not an audit: written at most once in this interval.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _key(digest: str) -> str:
    return f"token:{digest}"


def _read(digest: str) -> tuple[ApiToken | None, object]:
    """The token with its user (their permission sets on it), from the cache when its entry is
    current, else the database; and the version it is current under (None: not cached)."""
    if backends._seconds() <= 0:
        return _from_database(digest), None
    found = cache.get_many([backends.VERSION_KEY, _key(digest)])
    version, entry = found.get(backends.VERSION_KEY), found.get(_key(digest))
    if version is not None and entry is not None and entry[0] == version:
        return entry[1], version
    # Read after the version: a change committed meanwhile bumps it past this entry's.
    token = _from_database(digest)
    if version is None:
        backends.invalidate()
        version = cache.get(backends.VERSION_KEY)
    if token is not None:
        _remember(digest, token, version)
    return token, version


def _remember(digest: str, token: ApiToken, version) -> None:
    # Under the version the token was read under, never a later one: a change made since has
    # bumped the version, and the entry is not current under it.
    if version is None:
        return
    # Loads the permission sets onto the user object, which is what the entry keeps of them.
    token.user.get_all_permissions()
    cache.set(_key(digest), (version, token), backends._seconds())


def _from_database(digest: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_digest=digest).first()


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against ApiToken: unknown, expired or a disabled user's
    keys are refused (401)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        if len(key) > 128:
            raise AuthenticationFailed(_("令牌无效"))
        digest = token_digest(key)
        token, version = _read(digest)
        if token is None:
            raise AuthenticationFailed(_("令牌无效"))
        now = timezone.now()
        if token.expires_at <= now:
            raise AuthenticationFailed(_("令牌已过期，请重新创建"))
        if not token.user.is_active:
            raise AuthenticationFailed(_("该账号已停用，请联系系统管理员。"))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
            # The cached copy too, or every request would write once its copy is 5 minutes old.
            _remember(digest, token, version)
        return token.user, token
