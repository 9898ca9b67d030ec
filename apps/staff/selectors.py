from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import Department
from apps.staff.models import (
    BELOW_COMPETENT,
    Appointment,
    Appraisal,
    Candidate,
    DepartmentRanking,
    PayLine,
    PaySheet,
    Position,
    RoundPosition,
    SelectionRound,
    StaffMember,
)

# Appointments that occupy a position (and count against its headcount) while their dates run.
HOLDING = [Appointment.Status.PROPOSED, Appointment.Status.ACTIVE]
REMINDER_DAYS = (7, 30, 60)


def period_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter == Appraisal.Quarter.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    first_month = 3 * (quarter - 1) + 1
    end = date(year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return date(year, first_month, 1), end


def _holding_on(day: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": HOLDING,
            f"{prefix}start_date__lte": day,
            f"{prefix}end_date__gte": day,
        }
    )


def position_list(*, today: date | None = None) -> QuerySet[Position]:
    today = today or timezone.localdate()
    # Aggregating queries drop Meta.ordering: it is restated.
    return (
        Position.objects.select_related("department", "salary_grade")
        .annotate(holders=Count("appointments", filter=_holding_on(today, "appointments__")))
        .order_by(*Position._meta.ordering)
    )


def org_chart(*, today: date | None = None) -> QuerySet[Department]:
    """Departments → positions → current holders (and, from headcount, vacancies)."""
    today = today or timezone.localdate()
    current = Appointment.objects.filter(_holding_on(today)).select_related("staff")
    positions = position_list(today=today).prefetch_related(
        Prefetch("appointments", queryset=current.order_by("start_date", "id"), to_attr="current")
    )
    return Department.objects.prefetch_related(Prefetch("positions", queryset=positions))


def staff_list(*, today: date | None = None) -> QuerySet[StaffMember]:
    today = today or timezone.localdate()
    current = Appointment.objects.filter(_holding_on(today)).select_related("position__department")
    return StaffMember.objects.select_related("user").prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current_appointments")
    )


def appointment_list() -> QuerySet[Appointment]:
    return Appointment.objects.select_related(
        "staff", "position__department", "previous", "renewal", "selection_round"
    )


def contracts_ending(*, today: date | None = None, within_days: int = 60) -> QuerySet[Appointment]:
    today = today or timezone.localdate()
    return (
        appointment_list()
        .filter(
            status=Appointment.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=within_days),
            renewal__isnull=True,
        )
        .order_by("end_date", "id")
    )


def ending_reminders(*, today: date | None = None) -> dict[int, list[Appointment]]:
    """Contracts ending within 7, 30 and 60 days: each in its nearest bucket, from one query."""
    today = today or timezone.localdate()
    buckets: dict[int, list[Appointment]] = {days: [] for days in REMINDER_DAYS}
    for appointment in contracts_ending(today=today, within_days=max(REMINDER_DAYS)):
        left = (appointment.end_date - today).days
        buckets[next(days for days in REMINDER_DAYS if left <= days)].append(appointment)
    return buckets


def appraisal_list() -> QuerySet[Appraisal]:
    return Appraisal.objects.select_related("staff", "department", "appraised_by")


def flagged_for_review() -> QuerySet[Appraisal]:
    """Annual appraisals below 称职 that follow one below 称职 the year before."""
    previous_below = Appraisal.objects.filter(
        staff=OuterRef("staff"),
        year=OuterRef("year") - 1,
        quarter=Appraisal.Quarter.YEAR,
        grade__in=BELOW_COMPETENT,
    )
    return (
        appraisal_list()
        .filter(quarter=Appraisal.Quarter.YEAR, grade__in=BELOW_COMPETENT)
        .filter(Exists(previous_below))
        .order_by("-year", "staff__name")
    )


def department_headcount(*, department: Department, year: int, quarter: int) -> int:
    """People who held a position of the department at some time in the period."""
    start, end = period_bounds(year, quarter)
    return (
        Appointment.objects.filter(
            position__department=department, start_date__lte=end, end_date__gte=start
        )
        .exclude(status=Appointment.Status.PROPOSED)
        .values("staff")
        .distinct()
        .count()
    )


def latest_appraisal_year() -> int | None:
    """The newest year with annual appraisals: what a pay sheet is generated from."""
    return (
        Appraisal.objects.filter(quarter=Appraisal.Quarter.YEAR)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def latest_appraisal(*, staff: StaffMember) -> Appraisal | None:
    return staff.appraisals.order_by("-year", "-quarter").first()


_MONEY = DecimalField(max_digits=14, decimal_places=2)


def pay_sheet_list() -> QuerySet[PaySheet]:
    zero = Value(0, output_field=_MONEY)
    return (
        PaySheet.objects.select_related("department", "generated_by")
        .annotate(
            people=Count("lines"),
            base_total=Coalesce(Sum("lines__base_pay"), zero),
            performance_base_total=Coalesce(Sum("lines__performance_base"), zero),
            performance_total=Coalesce(Sum("lines__performance_pay"), zero),
            pay_total=Coalesce(Sum(F("lines__base_pay") + F("lines__performance_pay")), zero),
        )
        .order_by(*PaySheet._meta.ordering)
    )


def pay_lines(*, sheet: PaySheet | None = None) -> QuerySet[PayLine]:
    lines = PayLine.objects.select_related("staff", "salary_grade", "sheet__department")
    return lines.filter(sheet=sheet) if sheet is not None else lines


def round_list() -> QuerySet[SelectionRound]:
    return SelectionRound.objects.order_by(*SelectionRound._meta.ordering).annotate(
        candidate_count=Count("candidates", distinct=True),
        # A subquery: summing over the offers join next to the candidates join would multiply.
        vacancy_total=Coalesce(
            Subquery(
                RoundPosition.objects.filter(round=OuterRef("pk"))
                .values("round")
                .annotate(total=Sum("vacancies"))
                .values("total")
            ),
            0,
        ),
        placed=Count("candidates", filter=Q(candidates__assigned__isnull=False), distinct=True),
    )


def round_candidates(*, round: SelectionRound) -> QuerySet[Candidate]:
    return round.candidates.select_related(
        "staff",
        "first_choice__position__department",
        "second_choice__position__department",
        "assigned__position__department",
    ).order_by("-total_score", "id")


def round_offers(*, round: SelectionRound) -> QuerySet[RoundPosition]:
    return round.offers.select_related("position__department").annotate(
        filled=Count("assigned_candidates")
    )


def offer_rankings(*, round: SelectionRound) -> dict[int, list[int]]:
    """Each offered position's order of the candidates who applied to it: the department's own
    ranking first (when it gave one), then the rest by weighted score, written score, and
    application order."""
    manual: dict[int, dict[int, int]] = {}
    for ranking in DepartmentRanking.objects.filter(offer__round=round):
        manual.setdefault(ranking.offer_id, {})[ranking.candidate_id] = ranking.rank
    applicants: dict[int, list[Candidate]] = {offer.pk: [] for offer in round.offers.all()}
    for candidate in round.candidates.order_by("id"):
        for offer_id in (candidate.first_choice_id, candidate.second_choice_id):
            if offer_id is not None:
                applicants[offer_id].append(candidate)
    rankings = {}
    for offer_id, candidates in applicants.items():
        ranks = manual.get(offer_id, {})

        def key(candidate, ranks=ranks):
            return (
                ranks.get(candidate.pk, float("inf")),
                -(candidate.total_score or 0),
                -(candidate.written_score or 0),
                candidate.pk,
            )

        rankings[offer_id] = [candidate.pk for candidate in sorted(candidates, key=key)]
    return rankings


@dataclass(frozen=True)
class PreferenceOutcome:
    preference: int
    offer: RoundPosition
    rank: int
    applicants: int
    admitted: bool
    # The rank of the last candidate the position admitted (None when it admitted nobody).
    cutoff_rank: int | None


def candidate_explanation(
    *, candidate: Candidate, rankings: dict[int, list[int]], offers: dict[int, RoundPosition]
) -> list[PreferenceOutcome]:
    """Why a candidate got what they got: their rank at each preference and each position's
    cut-off, from the same rankings the matching used."""
    admitted_by_offer: dict[int, list[int]] = {}
    for offer_id, order in rankings.items():
        admitted_by_offer[offer_id] = [
            index + 1
            for index, candidate_id in enumerate(order)
            if offers[offer_id].assigned_ids and candidate_id in offers[offer_id].assigned_ids
        ]
    outcomes = []
    for preference, offer_id in ((1, candidate.first_choice_id), (2, candidate.second_choice_id)):
        if offer_id is None:
            continue
        order = rankings.get(offer_id, [])
        admitted_ranks = admitted_by_offer.get(offer_id, [])
        outcomes.append(
            PreferenceOutcome(
                preference=preference,
                offer=offers[offer_id],
                rank=order.index(candidate.pk) + 1,
                applicants=len(order),
                admitted=candidate.assigned_id == offer_id,
                cutoff_rank=max(admitted_ranks) if admitted_ranks else None,
            )
        )
    return outcomes


def round_explanations(*, round: SelectionRound) -> tuple[list[Candidate], list[RoundPosition]]:
    """The round's candidates, each with `.outcomes`, and its offers with `.filled`."""
    offers = list(round_offers(round=round))
    candidates = list(round_candidates(round=round))
    assigned: dict[int, set[int]] = {}
    for candidate in candidates:
        if candidate.assigned_id:
            assigned.setdefault(candidate.assigned_id, set()).add(candidate.pk)
    by_id = {}
    for offer in offers:
        offer.assigned_ids = assigned.get(offer.pk, set())
        by_id[offer.pk] = offer
    rankings = offer_rankings(round=round)
    for candidate in candidates:
        candidate.outcomes = candidate_explanation(
            candidate=candidate, rankings=rankings, offers=by_id
        )
    return candidates, offers


def my_candidacies(*, user) -> QuerySet[Candidate]:
    return Candidate.objects.filter(staff__user=user).select_related("round")
