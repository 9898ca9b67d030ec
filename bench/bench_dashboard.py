"""The leadership dashboard at ten times the seed's scale (data built by the other modules):
the page and the API warm (figures cached), and after an invalidation (every figure and
breakdown recomputed: what the first reader sees after a write). Target: 100 ms median."""

import importlib.util
from pathlib import Path

PERIOD = "2023-11"
# The data the dashboard reads, built by these modules (each skips what already exists).
SOURCES = ("enterprises", "services", "investment")


def build(ctx) -> None:
    for name in SOURCES:
        path = Path(__file__).resolve().parent / f"bench_{name}.py"
        spec = importlib.util.spec_from_file_location(f"bench.bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.build(ctx)


class _WarmedAfterEachWrite:
    """After each request, a write's invalidation (a committed transaction) and, when `warm`,
    the warm-up task it queues at the commit, run here as the worker would run it: the
    next request is the first reader after a write whose warm-up has finished. Neither is
    timed (they happen after the timed request)."""

    def __init__(self, client, *, warm: bool):
        self.client = client
        self.warm = warm

    def force_login(self, user):
        self.client.force_login(user)

    def get(self, *args, **kwargs):
        from django.db import transaction

        from apps.core import figures

        response = self.client.get(*args, **kwargs)
        saved = list(figures._WARM_UPS)
        if not self.warm:
            figures._WARM_UPS.clear()
        try:
            with transaction.atomic():
                figures.invalidate()
        finally:
            figures._WARM_UPS[:] = saved
        return response


def _time_warm_up(report, requests: int = 10) -> None:
    import statistics
    import time

    from apps.core import figures
    from apps.dashboard.tasks import warm_figures

    durations = []
    saved = list(figures._WARM_UPS)
    figures._WARM_UPS.clear()
    try:
        for _ in range(requests):
            figures.invalidate()
            started = time.perf_counter()
            warm_figures()
            durations.append((time.perf_counter() - started) * 1000)
    finally:
        figures._WARM_UPS[:] = saved
    report.note(
        f"warm-up task (dashboard.warm_figures, the worker's time after each write): median"
        f" {statistics.median(durations):.0f} ms, max {max(durations):.0f} ms over {requests}"
    )


class _AfterEachWrite:
    """The bench client, with the figures invalidated before each request (as a write does)."""

    def __init__(self, client):
        self.client = client

    def force_login(self, user):
        self.client.force_login(user)

    def get(self, *args, **kwargs):
        from apps.core import figures

        figures.invalidate()
        return self.client.get(*args, **kwargs)


def run(report) -> None:
    leader = report.user("领导")
    report.section("dashboard")
    page = f"/dashboard/?period={PERIOD}"
    api = f"/api/dashboard/?period={PERIOD}"
    report.time_url("dashboard page, warm", page, user=leader, target_ms=100)
    report.time_url("dashboard API, warm", api, user=leader, target_ms=100)
    report.time_url("home page with the 驾驶舱 box, warm", "/", user=leader, target_ms=100)
    client = report.client
    from zone_portal.celery import app as celery_app

    # The warm-up task runs in-process here (as a worker would, but measurable).
    celery_app.conf.task_always_eager = True
    report.client = _AfterEachWrite(client)
    try:
        report.time_url("dashboard page, after an invalidation", page, user=leader, target_ms=100)
        report.time_url("dashboard API, after an invalidation", api, user=leader, target_ms=100)
        # A/B in this run: the first reader after a write opening the dashboard (the latest
        # month, which the task warms), with the warm-up task (A) and without it (B, as
        # before the task existed).
        for label, warm in (("A: warmed by the task", True), ("B: no warm-up", False)):
            report.client = _WarmedAfterEachWrite(client, warm=warm)
            report.time_url(
                f"dashboard page (latest month), first reader after a write, {label}",
                "/dashboard/",
                user=leader,
                target_ms=100,
            )
        report.client = client
        _time_warm_up(report)
    finally:
        report.client = client
    report.note(
        "after an invalidation every figure and breakdown of the month and of the same month a"
        " year before is recomputed; warm, only the latest month, the targets and the trends"
    )
