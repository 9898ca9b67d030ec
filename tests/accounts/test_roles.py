import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import Role, collected_grants, sync_roles

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_sync_roles_is_idempotent_and_exact():
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    sync_roles()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


def test_sync_roles_removes_a_permission_granted_by_hand():
    group = Group.objects.get(name=Role.SERVICE)
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="delete_user")
    group.permissions.add(extra)
    sync_roles()
    assert not group.permissions.filter(pk=extra.pk).exists()


def test_the_leadership_role_only_reads_instructs_and_reviews():
    # Leadership writes nothing of its own: it instructs demands (批示), reviews project monthly
    # reports, and reviews and issues the monthly briefing.
    grants = collected_grants()[Role.LEADER]
    assert grants
    writes = {perm for perm in grants if not perm.split(".", 1)[1].startswith("view_")}
    assert writes == {
        "services.instruct_demand",
        "projects.review_monthlyreport",
        "dashboard.review_briefing",
        "dashboard.issue_briefing",
    }


def test_a_user_has_a_role_through_its_group(user_of):
    user = user_of(Role.HR, username="sun")
    assert user.has_role(Role.HR)
    assert not user.has_role(Role.LEADER)
