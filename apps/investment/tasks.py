"""Scheduled work of 招商引资."""

from apps.core.tasks import portal_task
from apps.investment import services


@portal_task(name="investment.pool_return")
def pool_return():
    """Daily: leads without a follow-up for INVESTMENT_POOL_DAYS go back to the pool."""
    return services.pool_return_stale()
