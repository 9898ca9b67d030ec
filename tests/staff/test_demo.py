from io import StringIO

import pytest

from apps.staff import demo, selectors
from apps.staff.models import (
    Appointment,
    Appraisal,
    Grade,
    PaySheet,
    Position,
    SelectionRound,
    StaffMember,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_demo_appoints_44_people_in_one_round_and_loads_only_once():
    selection = SelectionRound.objects.get(name=demo.ROUND_NAME)
    assert selection.status == SelectionRound.Status.CONFIRMED
    first = Appointment.objects.filter(selection_round=selection)
    assert first.count() == 44
    assert first.values("position__department").distinct().count() == 6
    assert selection.candidates.filter(assigned__isnull=True).exists()  # some were not chosen
    assert selection.candidates.filter(assigned_preference=2).exists()
    # …keeping every invariant:
    for position in selectors.position_list():
        assert position.holders <= position.headcount
    assert (
        not Appointment.objects.filter(position__kind=Position.Kind.LEADERSHIP)
        .exclude(kind=Appointment.Kind.TERM)
        .exists()
    )
    for department_id, year in Appraisal.objects.values_list("department", "year").distinct():
        excellent = Appraisal.objects.filter(
            department=department_id, year=year, grade=Grade.EXCELLENT
        ).count()
        people = Appraisal.objects.filter(department=department_id, year=year).count()
        assert excellent <= int(people * 0.2)
    # …with contracts ending soon, a person flagged for review, and the 2023 pay sheets.
    buckets = selectors.ending_reminders()
    assert sum(len(items) for items in buckets.values()) >= 3
    assert selectors.flagged_for_review().count() == 1
    sheets = selectors.pay_sheet_list().filter(year=2023)
    assert sheets.count() == 6 and sum(sheet.people for sheet in sheets) == 44
    assert StaffMember.objects.get(user__username="hr").name == "孙丽"
    # Loading it twice changes nothing.
    counts = (StaffMember.objects.count(), Appointment.objects.count(), PaySheet.objects.count())
    demo.load(stdout=StringIO())
    assert counts == (
        StaffMember.objects.count(),
        Appointment.objects.count(),
        PaySheet.objects.count(),
    )


def test_every_finished_year_is_appraised_and_paid():
    from django.utils import timezone

    years = list(demo.appraised_years(timezone.localdate()))
    assert years[0] == 2022 and years[-1] == timezone.localdate().year - 1
    for year in years:
        assert Appraisal.objects.filter(year=year, quarter=0).count() == 44, year
        sheets = selectors.pay_sheet_list().filter(year=year)
        assert sheets.count() == 6 and sum(sheet.people for sheet in sheets) == 44, year
    assert selectors.latest_appraisal_year() == years[-1]
