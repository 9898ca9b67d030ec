import pytest
from django.core.management import call_command
from django.test import override_settings

from apps.accounts.models import Department
from apps.accounts.roles import Role, sync_roles
from tests.accounts.factories import UserFactory

# Queries every signed-in request makes, before the view's own: the session and the user. (The
# session is written only when it changed or a minute after its last write, in its own
# savepoint pair, +3: apps.core.sessions; a login counts as a write.) Requests are not
# wrapped in a transaction (services own theirs). Query-count pins
# are written as FRAME_QUERIES + what the view does, with a comment naming the view's queries.
FRAME_QUERIES = 2

# The department a demo user of each role sits in (the superuser is in 党政办).
ROLE_DEPARTMENTS = {
    Role.LEADER: Department.Code.LEADERSHIP,
    Role.SERVICE: Department.Code.SERVICE,
    Role.ECONOMY: Department.Code.ECONOMY,
    Role.APPROVAL: Department.Code.APPROVAL,
    Role.INVESTMENT: Department.Code.INVESTMENT,
    Role.LIAISON: Department.Code.SERVICE,
    Role.HR: Department.Code.OFFICE,
    Role.ADMIN: Department.Code.OFFICE,
}


def make_role_user(role: str, username: str | None = None, **kwargs):
    """A user holding exactly one role, in that role's usual department."""
    kwargs.setdefault("department", Department.objects.get(code=ROLE_DEPARTMENTS[role]))
    if role == Role.ADMIN:
        kwargs.update(is_superuser=True, is_staff=True)
    if role == Role.HR:
        kwargs.setdefault("is_staff", True)
    username = username or f"role-{Role(role).name.lower()}"
    return UserFactory(username=username, roles=[role], **kwargs)


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Unit tests run tasks in-process; one integration test runs a real worker."""
    from zone_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True, scope="session")
def _private_cache_for_the_session():
    # Before any test's own cache: the database set-up (migrate → load_reference_data → the
    # dashboard's warm-up, run in-process) and the demo's load and flush compute figures from
    # the test database. With the settings' Redis cache they would land under the keys a
    # portal on this machine reads (its dashboard showed the test database's zeros).
    private = override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    )
    private.enable()
    yield
    private.disable()


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Tests run in parallel (and beside other developers) against one Redis: each test gets its
    # own in-process cache; the Redis cache itself is tested in tests/core/test_cache.py.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The in-process cache's storage outlives the settings change: empty it, so that nothing a
    # rolled-back test cached (a figure, the holiday calendar) is read by the next one.
    from django.core.cache import cache

    from apps.core.dates import forget_local_calendar

    cache.clear()
    forget_local_calendar()  # the process's copy of the holiday calendar, likewise


@pytest.fixture(autouse=True)
def _permissions_read_per_request(settings):
    # Query-count pins count the two permission queries of a request; the cross-request cache
    # (apps.accounts.backends) is tested in tests/perf/test_permission_cache.py.
    settings.PERMISSION_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects stored passwords, not test data.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_users(db):
    """One user per role, keyed by the role's group name."""
    return {role.value: make_role_user(role) for role in Role}


@pytest.fixture
def user_of(db):
    """Build a user of a role: user_of(Role.SERVICE, username="li")."""
    return make_role_user


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (`load_demo`), loaded once per test session (per xdist worker) and
    committed, for the tests that read it. Those tests run last (pytest_collection_modifyitems
    below), so no other test sees the data; each test still runs in its own transaction, so
    what it writes is rolled back. Flushed at the end, because the test database is reused.
    Its files (progress photos) go to a temporary MEDIA_ROOT kept for the session."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    media.enable()
    # A session fixture is set up before the requesting test's own fixtures: without these,
    # the load would use the shared Redis, where the other xdist worker caches the permissions
    # of its own users under the same ids (a demo user refused its role's rights, now and then).
    private = override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        PERMISSION_CACHE_SECONDS=0,
    )
    with django_db_blocker.unblock(), fast_hashing, private:
        call_command("load_demo", verbosity=0)
    yield
    media.disable()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_reference_data", verbosity=0)
        sync_roles()


def pytest_collection_modifyitems(config, items):
    # Tests on the demo data last (a stable sort keeps the others' order), so the data loaded
    # once for them is never seen by a test that expects an empty registry. Under xdist each
    # worker takes tests in this order, so it loads the demo at most once, after its others.
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))
