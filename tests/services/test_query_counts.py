"""Query counts of the remaining list and detail pages and API lists, pinned with rows enough
that a query per row would show."""

import pytest
from django.urls import reverse

from tests.conftest import FRAME_QUERIES
from tests.services.factories import (
    ApplicationFactory,
    DemandFactory,
    FinancingNeedFactory,
    LoanIntentFactory,
    MeetingFactory,
    VisitFactory,
    institution,
)

pytestmark = pytest.mark.django_db


def _assert_pinned(client, url, extra, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(FRAME_QUERIES + extra):
        assert client.get(url).status_code == 200


def test_the_visit_detail_page(client, actors, django_assert_num_queries):
    visit = VisitFactory(created_by=actors["service"], staff=[actors["service"], actors["liaison"]])
    for _ in range(3):
        DemandFactory(enterprise=visit.enterprise, visit=visit, source="visit")
    client.force_login(actors["service"])
    # permissions (2), the visit with enterprise and creator, its staff, its demands
    _assert_pinned(
        client, reverse("services:visit_detail", args=[visit.pk]), 5, django_assert_num_queries
    )


def test_the_meeting_pages(client, actors, django_assert_num_queries):
    meeting = MeetingFactory()
    meeting.institutions.set([institution(0), institution(1), institution(2)])
    for _ in range(4):
        intent = LoanIntentFactory(meeting=meeting)
        meeting.enterprises.add(intent.enterprise)
        FinancingNeedFactory(meeting=meeting, enterprise=intent.enterprise)
    MeetingFactory()
    client.force_login(actors["economy"])
    # permissions (2), count, the page of meetings with their three counts
    _assert_pinned(client, reverse("services:meeting_list"), 4, django_assert_num_queries)
    # permissions (2), the meeting, its institutions, its enterprises, the intents, their
    # totals, the financing needs
    _assert_pinned(
        client,
        reverse("services:meeting_detail", args=[meeting.pk]),
        8,
        django_assert_num_queries,
    )


def test_the_financing_need_list(client, actors, django_assert_num_queries):
    meeting = MeetingFactory()
    for _ in range(5):
        FinancingNeedFactory(meeting=meeting)
    client.force_login(actors["economy"])
    # permissions (2), count, the page with enterprise and meeting (the filter form's meetings
    # are read once: apps.core.filters.ReferenceChoiceFilter)
    _assert_pinned(client, reverse("services:need_list"), 4, django_assert_num_queries)


def test_the_loan_and_application_detail_pages(client, actors, django_assert_num_queries):
    intent = LoanIntentFactory(meeting=MeetingFactory())
    application = ApplicationFactory()
    application.helpers.set([actors["economy"], actors["service"]])
    client.force_login(actors["economy"])
    # permissions (2), the intent with enterprise, institution and meeting, its timeline
    _assert_pinned(
        client, reverse("services:loan_detail", args=[intent.pk]), 4, django_assert_num_queries
    )
    # permissions (2), the application with enterprise, programme and its qualification type,
    # its helpers, its timeline
    _assert_pinned(
        client,
        reverse("services:application_detail", args=[application.pk]),
        5,
        django_assert_num_queries,
    )


def test_the_remaining_api_lists(client, actors, django_assert_num_queries):
    meeting = MeetingFactory()
    for _ in range(4):
        intent = LoanIntentFactory(meeting=meeting)
        meeting.enterprises.add(intent.enterprise)
        FinancingNeedFactory(meeting=meeting)
    MeetingFactory().institutions.set([institution(0)])
    client.force_login(actors["economy"])
    # permissions (2), count, the page, its institutions, its enterprises
    _assert_pinned(client, reverse("api:matchmaking-meeting-list"), 6, django_assert_num_queries)
    # permissions (2), count, the page with enterprise
    _assert_pinned(client, reverse("api:financing-need-list"), 4, django_assert_num_queries)
    # permissions (2), the totals by institution
    _assert_pinned(client, reverse("api:loan-intent-totals"), 3, django_assert_num_queries)
    # permissions (2), the rows (reference data: no pagination)
    for name in ["demand-category", "financial-institution", "policy-programme"]:
        _assert_pinned(client, reverse(f"api:{name}-list"), 3, django_assert_num_queries)
