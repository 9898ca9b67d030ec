"""Permissions cached per user across requests (apps.accounts.backends.CachedModelBackend):
no permission query once cached, and every change that alters them is seen at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.accounts.roles import Role
from tests.conftest import make_role_user

pytestmark = pytest.mark.django_db

PERM = "services.view_demand"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PERMISSION_CACHE_SECONDS = 300


def fresh(user) -> User:
    """The user as the next request loads it (no per-object permission cache)."""
    return User.objects.get(pk=user.pk)


def test_second_request_reads_no_permissions():
    user = make_role_user(Role.LEADER)
    assert fresh(user).has_perm(PERM)
    with CaptureQueriesContext(connection) as captured:
        assert fresh(user).has_perm(PERM)
        assert not fresh(user).has_perm("staff.change_paysheet")
    # Only the two user loads: no permission query.
    assert len(captured.captured_queries) == 2
    assert all("auth_permission" not in q["sql"] for q in captured.captured_queries)


def test_group_change_is_seen_at_once():
    user = make_role_user(Role.LEADER)
    assert fresh(user).has_perm(PERM)
    user.groups.clear()
    assert not fresh(user).has_perm(PERM)
    user.groups.add(Group.objects.get(name=Role.SERVICE))
    assert fresh(user).has_perm("services.add_visit")


def test_group_permission_change_is_seen_at_once():
    user = make_role_user(Role.LEADER)
    group = Group.objects.get(name=Role.LEADER)
    permission = Permission.objects.get(codename="view_demand", content_type__app_label="services")
    assert fresh(user).has_perm(PERM)
    group.permissions.remove(permission)
    assert not fresh(user).has_perm(PERM)
    group.permissions.add(permission)
    assert fresh(user).has_perm(PERM)


def test_own_permissions_and_deactivation():
    user = make_role_user(Role.LEADER)
    extra = Permission.objects.get(codename="change_paysheet")
    assert not fresh(user).has_perm("staff.change_paysheet")
    user.user_permissions.add(extra)
    assert fresh(user).has_perm("staff.change_paysheet")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not fresh(user).has_perm(PERM)


def test_users_do_not_share_entries():
    leader = make_role_user(Role.LEADER)
    liaison = make_role_user(Role.LIAISON)
    assert fresh(leader).has_perm(PERM)
    perms = fresh(liaison).get_all_permissions()
    assert perms == fresh(liaison).get_all_permissions()
    assert fresh(leader).get_all_permissions() != perms


def test_cache_time_zero_reads_every_time(settings):
    settings.PERMISSION_CACHE_SECONDS = 0
    user = make_role_user(Role.LEADER)
    assert fresh(user).has_perm(PERM)
    with CaptureQueriesContext(connection) as captured:
        assert fresh(user).has_perm(PERM)
    assert any("auth_permission" in q["sql"] for q in captured.captured_queries)
