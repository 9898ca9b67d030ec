"""API throughput against its bare reference, under gunicorn: `python bench/throughput.py`.

Starts gunicorn (2 sync workers, as `make run` serves the API, DEBUG=0) on 127.0.0.1 with the
bench's URLs (bench/urls.py) over the bench database (bench/run.py builds it: run `make bench`
first), then drives it from 16 keep-alive connections, A and B interleaved: for each pair,
ROUNDS rounds of SECONDS seconds of A, then of B. Prints requests per second of each and the
ratio A/B (target ≥ 0.7). Bounded: about 2 × ROUNDS × SECONDS seconds per pair; everything it
started is stopped at the end. Authentication: an API token of a bench user (created once).
"""

import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
TARGET = 0.7

PAIRS = [
    ("API enterprise list", "/api/enterprises/?page_size=50", "/bench/bare/enterprises/"),
    ("API demand list", "/api/demands/?page_size=50", "/bench/bare/demands/"),
    ("API visit list", "/api/visits/?page_size=50", "/bench/bare/visits/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _token() -> str:
    """A fresh API token of the bench leader (the role that reads every list)."""
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from apps.accounts.models import ApiToken, Department, User
    from apps.accounts.roles import Role
    from apps.accounts.services import api_token_create

    user, _created = User.objects.get_or_create(
        username="bench-throughput",
        defaults={
            "full_name": "基准压测",
            "department": Department.objects.order_by("id").first(),
        },
    )
    user.groups.set(Group.objects.filter(name=Role.LEADER))
    ApiToken.objects.filter(user=user).delete()
    _token_obj, key = api_token_create(user=user, name=f"bench {secrets.token_hex(3)}")
    return key


def _load(port: int, path: str, token: str, seconds: float) -> tuple[int, int]:
    """Requests answered 200 and others, from CONNECTIONS keep-alive connections."""
    stop = time.perf_counter() + seconds
    counts = [0, 0]
    lock = threading.Lock()
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def worker():
        ok = bad = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                else:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()
        with lock:
            counts[0] += ok
            counts[1] += bad

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts[0], counts[1]


def main() -> int:
    from run import _use_bench_database

    _use_bench_database()
    token = _token()
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(BASE_DIR),
    }
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    failures = 0
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"gunicorn 2 workers on 127.0.0.1:{port}, {CONNECTIONS} connections, "
            f"{ROUNDS} × {SECONDS:g} s each, A and B interleaved; load average {load}"
        )
        print("| what | A req/s | bare B req/s | ratio A/B | target | |")
        print("|---|---:|---:|---:|---:|---|")
        for label, a_path, b_path in PAIRS:
            _load(port, a_path, token, 1)  # warm both workers
            _load(port, b_path, token, 1)
            rates_a, rates_b = [], []
            for _round in range(ROUNDS):
                ok, bad = _load(port, a_path, token, SECONDS)
                failures += bad
                rates_a.append(ok / SECONDS)
                ok, bad = _load(port, b_path, token, SECONDS)
                failures += bad
                rates_b.append(ok / SECONDS)
            a, b = statistics.median(rates_a), statistics.median(rates_b)
            ratio = a / b if b else 0
            verdict = "met" if ratio >= TARGET else "not met"
            print(
                f"| {label} | {a:.0f} ({min(rates_a):.0f}–{max(rates_a):.0f}) | "
                f"{b:.0f} ({min(rates_b):.0f}–{max(rates_b):.0f}) | {ratio:.2f} | "
                f"≥ {TARGET} | {verdict} |",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    if failures:
        print(f"{failures} requests failed (not 200)")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR / "bench"))
    sys.exit(main())
