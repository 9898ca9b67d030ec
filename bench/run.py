"""Server-time benchmark at ten times the seed's scale: `make bench` (`python bench/run.py`).

Runs against its own database, `zone_portal_bench` on the DATABASE_URL server (created when
missing, migrated, and built once: a database already at the right scale is reused, so a second
run only measures). Requests go through Django's test Client in-process, so the figures are
server time (middleware, views, templates, database) without a network or a browser.

Writing a benchmark module — bench/bench_<app>.py:

    def build(ctx) -> None:        # optional; make the data, skipping what already exists
        ...                        # ctx.rng (seeded Random), ctx.copy_rows(table, cols, rows)

    def run(report) -> None:       # required
        user = report.user("企业服务")           # a bench user holding exactly that role
        report.section("Visits")
        report.time_url("visit list", "/services/visits/", user=user)     # 30 requests after 3
        report.time_url("api", "/api/visits/?page_size=50", user=user, target_ms=20)
        report.explain("visits by month", queryset_or_sql, table="services_visit")
        report.note("free text shown under the section")

        report.compare("deepest page", "/services/visits/?page=4000", "/services/visits/",
                       user=user, target=2)        # A and B interleaved: ratio A/B

`time_url` prints and returns a Timing (median_ms, p95_ms, queries, status); it fails the run
(non-zero exit at the end) when a response is not 200, or when a list (an API page with
"results", a page with the list table) comes back empty: every timed case returns rows.
`compare` times A and B interleaved (A, B, A, B … over three rounds) in the same run, so the
machine's load weighs on both alike; A and B are URLs or functions (a reference SQL statement),
and the verdict is the ratio of the medians against `target`. `explain` runs EXPLAIN (ANALYZE)
and reports whether the plan has a sequential scan on `table`. Modules run in the order of
MODULES; `python bench/run.py enterprises` runs only bench_enterprises.py (`BENCH_BUILD_ONLY=1`
builds the data and stops).
"""

import importlib.util
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Another name (BENCH_DATABASE=zp_x_bench) keeps parallel checkouts from sharing one database.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "zone_portal_bench")
# The modules, in order (each bench/bench_<name>.py; a module not present yet is skipped).
MODULES = ["enterprises", "services", "investment", "projects", "dashboard"]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 30))
WARMUPS = 3


def _use_bench_database() -> None:
    import environ

    environ.Env.read_env(BASE_DIR / ".env")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zone_portal")
    base, _slash, _name = url.rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/{BENCH_DATABASE}"
    # Its own keys in Redis (cache and Celery alike): the figures it caches from the bench
    # database must never be read by a portal on this machine sharing the Redis server.
    prefix = os.environ.get("REDIS_KEY_PREFIX", "zp")
    os.environ["REDIS_KEY_PREFIX"] = f"{prefix}-bench"
    # DEBUG stays as in .env (1 in development): DEBUG=0 would need collectstatic's manifest
    # and HTTPS; its only cost here is Django keeping the query log, a few microseconds.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")
    sys.path.insert(0, str(BASE_DIR))


@dataclass
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    target_ms: float | None = None

    @property
    def line(self) -> str:
        target = ""
        if self.target_ms is not None:
            verdict = "ok" if self.median_ms <= self.target_ms else "OVER"
            target = f"  target {self.target_ms:.0f} ms: {verdict}"
        return (
            f"  {self.label:<44} median {self.median_ms:7.1f} ms   p95 {self.p95_ms:7.1f} ms"
            f"   queries {self.queries:3d}   HTTP {self.status}{target}"
        )


@dataclass
class Comparison:
    label: str
    b_label: str
    a_ms: float
    b_ms: float
    target: float

    @property
    def ratio(self) -> float:
        return self.a_ms / self.b_ms if self.b_ms else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.target

    @property
    def line(self) -> str:
        verdict = "met" if self.met else "NOT MET"
        return (
            f"  {self.label:<44} A {self.a_ms:7.1f} ms   B {self.b_ms:7.1f} ms"
            f"   ratio {self.ratio:5.2f}   target ≤ {self.target:g}: {verdict}"
        )

    @property
    def row(self) -> str:
        verdict = "met" if self.met else "not met"
        reference = f" ({self.b_label})" if self.b_label else ""
        return (
            f"| {self.label} | {self.a_ms:.1f} ms | {self.b_ms:.1f} ms{reference} | "
            f"{self.ratio:.2f} | ≤ {self.target:g} | {verdict} |"
        )


class Context:
    """Handed to build(): a seeded random generator and a fast COPY loader."""

    def __init__(self):
        self.rng = random.Random(2023)

    def copy_rows(self, table: str, columns: list[str], rows) -> int:
        """COPY rows (tuples; None → NULL) into a table: far faster than INSERTs."""
        from django.db import connection

        buffer = StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
            count += 1
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
            )
        return count


class Report:
    def __init__(self):
        from django.test import Client

        self.client = Client()
        self.timings: list[Timing] = []
        self.failures: list[str] = []
        self.comparisons: list[Comparison] = []
        self._users = {}

    def section(self, title: str) -> None:
        print(f"\n== {title}")

    def note(self, text: str) -> None:
        print(f"  {text}")

    def user(self, role: str):
        """A bench user holding exactly `role` (created once)."""
        if role not in self._users:
            from django.contrib.auth.models import Group

            from apps.accounts.models import Department, User
            from apps.accounts.roles import Role

            user, _created = User.objects.get_or_create(
                username=f"bench-{Role(role).name.lower()}",
                defaults={
                    "full_name": f"基准{role}",
                    "department": Department.objects.order_by("id").first(),
                    "is_superuser": role == Role.ADMIN,
                    "is_staff": role == Role.ADMIN,
                },
            )
            user.groups.set(Group.objects.filter(name=role))
            self._users[role] = user
        return self._users[role]

    def time_url(
        self,
        label: str,
        url: str,
        *,
        user,
        requests: int = REQUESTS,
        warmups: int = WARMUPS,
        target_ms: float | None = None,
        expect: int = 200,
    ) -> Timing:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(user)
        for _ in range(warmups):
            self.client.get(url)
        durations = []
        queries = 0
        status = expect
        for index in range(requests):
            if index == 0:
                with CaptureQueriesContext(connection) as captured:
                    response = self.client.get(url)
                queries = len(captured.captured_queries)
                status = response.status_code
                continue
            started = time.perf_counter()
            response = self.client.get(url)
            durations.append((time.perf_counter() - started) * 1000)
            status = response.status_code if response.status_code != expect else status
            if index == 1:
                self._check_rows(label, url, response)
        durations.sort()
        timing = Timing(
            label=label,
            median_ms=statistics.median(durations),
            p95_ms=durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))],
            queries=queries,
            status=status,
            target_ms=target_ms,
        )
        if status != expect:
            self.failures.append(f"{label}: HTTP {status} for {url} (expected {expect})")
        self.timings.append(timing)
        print(timing.line, flush=True)
        return timing

    def _check_rows(self, label: str, url: str, response) -> None:
        """A timed list must hold rows: an empty page would time nothing."""
        content_type = response.get("Content-Type", "")
        if response.status_code != 200:
            return
        if content_type.startswith("application/json"):
            data = response.json()
            if isinstance(data, dict) and "results" in data and not data["results"]:
                self.failures.append(f"{label}: the API page is empty ({url})")
        elif content_type.startswith("text/html"):
            body = response.content
            if b'data-testid="list-table"' in body and b"<tr data-id=" not in body:
                self.failures.append(f"{label}: the list is empty ({url})")

    def _once(self, target, user) -> float:
        started = time.perf_counter()
        if callable(target):
            target()
        else:
            response = self.client.get(target)
            if response.status_code != 200:
                self.failures.append(f"HTTP {response.status_code} for {target}")
        return (time.perf_counter() - started) * 1000

    def compare(
        self,
        label: str,
        a,
        b,
        *,
        user=None,
        target: float,
        rounds: int = 3,
        requests: int = 10,
        b_label: str = "",
    ) -> Comparison:
        """Time A and B interleaved (A, B, A, B …) in `rounds` rounds; the verdict is
        median(A) / median(B) against `target`. A and B are URLs or functions."""
        if user is not None:
            self.client.force_login(user)
        for target_ in (a, b):
            if not callable(target_):
                response = self.client.get(target_)
                self._check_rows(label, target_, response)
            for _ in range(2):
                self._once(target_, user)
        times_a, times_b = [], []
        for _round in range(rounds):
            for _ in range(requests):
                times_a.append(self._once(a, user))
                times_b.append(self._once(b, user))
        comparison = Comparison(
            label=label,
            b_label=b_label,
            a_ms=statistics.median(times_a),
            b_ms=statistics.median(times_b),
            target=target,
        )
        self.comparisons.append(comparison)
        print(comparison.line, flush=True)
        return comparison

    def summary(self) -> None:
        if not self.comparisons:
            return
        load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"\n== Ratios (A and B interleaved in this run; load average {load})")
        print("| what | A | B (reference) | ratio | target | |")
        print("|---|---:|---:|---:|---:|---|")
        for item in self.comparisons:
            print(item.row)

    def explain(self, label: str, query, *, table: str, params=None) -> bool:
        """EXPLAIN ANALYZE a queryset or SQL; True when `table` is read without a Seq Scan."""
        from django.db import connection

        if hasattr(query, "query"):
            sql, params = query.query.sql_with_params()
        else:
            sql = query
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params or [])
            plan = [row[0] for row in cursor.fetchall()]
        # The table itself, not another whose name starts with it (services_demandcategory).
        pattern = re.compile(rf"Seq Scan on {re.escape(table)}(\s|$)")
        seq = [line.strip() for line in plan if pattern.search(line)]
        runtime = next((line for line in plan if line.startswith("Execution Time")), "")
        verdict = "SEQ SCAN on " + table if seq else f"no sequential scan on {table}"
        print(f"  EXPLAIN {label:<36} {verdict}; {runtime}")
        if os.environ.get("BENCH_PLANS"):
            print("\n".join(f"      {line}" for line in plan))
        return not seq


def _modules(only: list[str]):
    for name in MODULES:
        path = BASE_DIR / "bench" / f"bench_{name}.py"
        if (only and name not in only) or not path.exists():
            continue
        spec = importlib.util.spec_from_file_location(f"bench.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield name, module


def main(argv: list[str]) -> int:
    import subprocess

    _use_bench_database()
    subprocess.run([sys.executable, str(BASE_DIR / "scripts" / "ensure_database.py")], check=True)
    import django

    # One log line per request would bury the report (thousands of timed requests); warnings
    # and errors still show. LOG_LEVEL=INFO python bench/run.py brings the lines back.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The portal's URLs plus the bare references of the API lists (bench/urls.py).
    settings.ROOT_URLCONF = "bench.urls"
    from django.db import connection

    call_command("migrate", verbosity=0)
    modules = list(_modules(argv))
    context = Context()
    for name, module in modules:
        if hasattr(module, "build"):
            started = time.perf_counter()
            module.build(context)
            print(f"build {name}: {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        # Fresh statistics and visibility maps, so plans and index-only scans are realistic.
        cursor.execute("VACUUM ANALYZE")
    if os.environ.get("BENCH_BUILD_ONLY"):
        return 0
    report = Report()
    for name, module in modules:
        report.section(f"{name}")
        module.run(report)
    report.summary()
    if report.failures:
        print("\nFAILED:\n  " + "\n  ".join(report.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
