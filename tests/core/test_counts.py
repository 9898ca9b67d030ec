"""Kept counts (apps.core.counts): a list's COUNT is read from the cache until a write in one
of the areas it reads, whichever path writes; a count that cannot be kept soundly is counted."""

import pytest
from django.db import connection, transaction

from apps.accounts.roles import Role
from apps.core.counts import kept_count
from apps.services import services
from apps.services.models import Visit
from tests.accounts.factories import UserFactory
from tests.services.factories import VisitFactory

# Outside a test's transaction: inside one, counts are never kept (the module docstring).
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_count_is_read_once_then_kept(django_assert_num_queries):
    VisitFactory.create_batch(2)
    with django_assert_num_queries(1):
        assert kept_count(Visit.objects.all()) == 2
    with django_assert_num_queries(0):
        assert kept_count(Visit.objects.all()) == 2
    # Another filter is another count.
    with django_assert_num_queries(1):
        assert kept_count(Visit.objects.filter(method=Visit.Method.PHONE)) == 0


def test_a_write_through_the_service_counts_again(user_of, django_assert_num_queries):
    officer = user_of(Role.SERVICE, username="li")
    visit = VisitFactory(staff=[officer])
    assert kept_count(Visit.objects.all()) == 1
    services.visit_create(
        enterprise=visit.enterprise,
        visited_on=visit.visited_on,
        staff=[officer],
        purpose="回访",
        by=officer,
    )
    with django_assert_num_queries(1):
        assert kept_count(Visit.objects.all()) == 2


def test_a_write_that_bypasses_the_services_counts_again_too():
    visit = VisitFactory()
    by_method = Visit.objects.filter(method=Visit.Method.PHONE)
    assert kept_count(by_method) == 0
    visit.method = Visit.Method.PHONE
    visit.save()  # as the admin site or a shell would: the signal invalidates
    assert kept_count(by_method) == 1
    visit.delete()
    assert kept_count(by_method) == 0


def test_a_change_of_a_many_to_many_relation_counts_again():
    officer, other = UserFactory(), UserFactory()
    visit = VisitFactory(staff=[officer])
    with_other = Visit.objects.filter(staff=other)
    assert kept_count(with_other) == 0
    visit.staff.add(other)
    assert kept_count(with_other) == 1
    visit.staff.remove(other)
    assert kept_count(with_other) == 0


def test_a_count_through_a_table_whose_writes_do_not_invalidate_is_counted_each_time(
    django_assert_num_queries,
):
    officer = UserFactory(full_name="王建国")
    VisitFactory(staff=[officer])
    # The officers' names live in the users' table: renaming a user invalidates no area.
    by_name = Visit.objects.filter(staff__full_name="王建国")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert kept_count(by_name) == 1


def test_inside_a_transaction_nothing_is_kept_or_read(django_assert_num_queries):
    VisitFactory()
    assert kept_count(Visit.objects.all()) == 1  # kept outside
    with transaction.atomic():
        VisitFactory()
        with django_assert_num_queries(1):
            assert kept_count(Visit.objects.all()) == 2  # its own write, counted
        transaction.set_rollback(True)
    assert kept_count(Visit.objects.all()) == 1


def test_an_empty_filter_counts_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert kept_count(Visit.objects.filter(pk__in=[])) == 0


def test_forget_figures_forgets_every_kept_count_and_figure(django_assert_num_queries):
    from django.core.management import call_command

    VisitFactory()
    assert kept_count(Visit.objects.all()) == 1
    # Rows written by SQL (a restore, a loader): no signal, the count is stale until told.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM services_visit_staff; DELETE FROM services_visit")
    assert kept_count(Visit.objects.all()) == 1
    call_command("forget_figures", verbosity=0)
    with django_assert_num_queries(1):
        assert kept_count(Visit.objects.all()) == 0


def test_a_row_unset_by_a_deletion_counts_again():
    # Deleting a user sets the demands assigned to it to none by an UPDATE (SET_NULL), which
    # sends no signal for the demands: the deletion of the user itself invalidates.
    from apps.services.models import Demand
    from tests.services.factories import DemandFactory

    assignee = UserFactory()
    DemandFactory(assignee=assignee)
    unassigned = Demand.objects.filter(assignee__isnull=True)
    assert kept_count(unassigned) == 0
    assignee.delete()
    assert kept_count(unassigned) == 1
