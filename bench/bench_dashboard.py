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


def _first_reader_after_write(report, user, url: str, requests: int = 10) -> None:
    """A/B, interleaved in this run: the first request after a committed write, once the
    warm-up task it queued has run (A, here in-process as the worker would run it), and with no
    warm-up (B, as before the task existed). The write and the task are not timed."""
    import statistics
    import time

    from django.db import transaction

    from apps.core import figures

    report.client.force_login(user)
    saved = list(figures._WARM_UPS)
    times = {True: [], False: []}
    try:
        for _ in range(requests):
            for warm in (True, False):
                figures._WARM_UPS[:] = saved if warm else []
                with transaction.atomic():
                    figures.invalidate()
                started = time.perf_counter()
                response = report.client.get(url)
                times[warm].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
    finally:
        figures._WARM_UPS[:] = saved
    a, b = statistics.median(times[True]), statistics.median(times[False])
    report.note(
        f"first reader of {url} after a write (A/B interleaved, {requests} each): A warmed by"
        f" the task {a:.0f} ms, B no warm-up {b:.0f} ms (A/B {a / b:.2f})"
    )


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
        report.client = client
        # The dashboard as the first reader after a write opens it (the latest month, which
        # the task warms).
        _first_reader_after_write(report, leader, "/dashboard/")
        _time_warm_up(report)
    finally:
        report.client = client
    report.note(
        "after an invalidation every figure and breakdown of the month and of the same month a"
        " year before is recomputed; warm, only the latest month, the targets and the trends"
    )
