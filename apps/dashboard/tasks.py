"""The dashboard's background work: warming the cache after a write."""

from django.conf import settings
from django.utils import translation

from apps.core.figures import (
    breakdown_values,
    figure_values,
    one_context_per_period,
    warm_up_started,
    year_ago_values,
)
from apps.core.tasks import portal_task


@portal_task(name="dashboard.warm_figures")
def warm_figures() -> str:
    """Recompute what the dashboard's first reader after a write would otherwise wait for: the
    latest month's figures and those of a year before (year on year), its breakdowns, its
    trends and the 招商 teams' targets of its year; then the same for the months readers chose
    in the last days (selectors.periods_to_warm), most recently read first. Queued by
    apps.core.figures.invalidate() once the writing transaction commits; idempotent (a second
    run finds everything cached). Returns the periods warmed."""
    from apps.dashboard import selectors

    warm_up_started()
    periods = selectors.periods_to_warm()
    with translation.override(settings.LANGUAGE_CODE):
        for period in periods:
            with one_context_per_period():
                figure_values(period)
                year_ago_values(period.previous_year)
                breakdown_values(period)
            for section in selectors.TRENDS:
                selectors.section_trend(section, period)
            selectors.cached_team_split_targets(period.year)
    return ",".join(period.code for period in periods)
