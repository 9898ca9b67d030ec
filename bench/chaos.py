"""`make chaos`: restart PostgreSQL and Redis under a bounded load, and count what was lost.

Everything runs on 127.0.0.1 against servers this script starts and stops itself: a PRIVATE
PostgreSQL cluster (initdb in a temporary directory, its own port) and a private redis-server.
The shared servers of the machine are never touched. Steps:

1. initdb + start the private cluster (port CHAOS_PG_PORT, 8131) and redis-server (8132);
   migrate a fresh database, create one 企业服务 officer with an API token and a session, and
   ten enterprises; collectstatic.
2. Serve with gunicorn as `make run` does (DEBUG=0, 3 workers, port 8133).
3. Load: 4 clients for about 45 s, each looping over the home page (session), the visits API
   list, and a write: a visit with two demands through POST /api/visits/ (one transaction).
4. During the load: PostgreSQL is stopped (fast shutdown) for ~8 s and started again; later
   Redis is stopped for ~6 s and started again. No app process is restarted.
5. Prints the status codes seen in each phase, the recovery time after PostgreSQL returned, and
   the row counts before and after: every visit acknowledged with 201 must be there with both
   its demands, and no visit may exist with one demand only.
"""

import collections
import http.cookiejar
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("CHAOS_PG_PORT", "8131"))
REDIS_PORT = int(os.environ.get("CHAOS_REDIS_PORT", "8132"))
APP_PORT = int(os.environ.get("CHAOS_APP_PORT", "8133"))
CLIENTS = 4
BASE_URL = f"http://127.0.0.1:{APP_PORT}"

SETUP = """
from django.test import Client
from rest_framework.authtoken.models import Token
from apps.accounts.models import Department
from apps.accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.enterprises.factories import EnterpriseFactory
from apps.services.models import DemandCategory
import json
user = UserFactory(username="chaos", roles=[Role.SERVICE],
                   department=Department.objects.get(code="service"))
enterprises = [EnterpriseFactory().pk for _ in range(10)]
client = Client()
client.force_login(user)
print(json.dumps({
    "user": user.pk,
    "token": Token.objects.create(user=user).key,
    "session": client.cookies["sessionid"].value,
    "enterprises": enterprises,
    "categories": list(DemandCategory.objects.values_list("pk", flat=True)[:2]),
}))
"""

COUNT = """
from django.db.models import Count
from apps.services.models import Demand, Visit
import json
per_visit = dict(Visit.objects.annotate(n=Count("demands")).values_list("pk", "n"))
print(json.dumps({"visits": Visit.objects.count(), "demands": Demand.objects.count(),
                  "per_visit": per_visit}))
"""


def as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: the private cluster runs as the postgres user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    def __init__(self, root: Path):
        self.data = root / "pgdata"
        self.socket_dir = root
        self.log = root / "postgres.log"

    def init(self):
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        options = (
            f"-p {PG_PORT} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=40 -c fsync=on"
        )
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self):
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


class PrivateRedis:
    def __init__(self, root: Path):
        self.root = root
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def manage(env, *args, stdin=None) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


class Load:
    def __init__(self, fixture: dict):
        self.fixture = fixture
        self.phase = "before"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.codes = collections.defaultdict(collections.Counter)
        self.acknowledged: list[int] = []
        self.first_ok_after: dict[str, float] = {}
        self.written = 0

    def request(self, opener, method, path, body=None, token=False):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(BASE_URL + path, data=data, method=method)
        request.add_header("Accept", "application/json" if path.startswith("/api/") else "*/*")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {self.fixture['token']}")
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, b""

    def client(self, number: int):
        jar = http.cookiejar.CookieJar()
        cookie = http.cookiejar.Cookie(
            0,
            "sessionid",
            self.fixture["session"],
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            False,
            None,
            None,
            {},
        )
        jar.set_cookie(cookie)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        step = 0
        while not self.stop.is_set():
            step += 1
            kind = ("page", "read", "write")[step % 3]
            if kind == "page":
                status, _ = self.request(opener, "GET", "/")
            elif kind == "read":
                status, _ = self.request(opener, "GET", "/api/visits/?page_size=5", token=True)
            else:
                fixture = self.fixture
                with self.lock:
                    self.written += 1
                    serial = self.written
                body = {
                    "enterprise": fixture["enterprises"][serial % len(fixture["enterprises"])],
                    "visited_on": time.strftime("%Y-%m-%d"),
                    "method": "on_site",
                    "staff": [fixture["user"]],
                    "purpose": f"压力测试走访 {number}-{serial}",
                    "findings": "生产正常",
                    "demands": [
                        {"category": category, "description": f"诉求 {serial}-{index}"}
                        for index, category in enumerate(fixture["categories"])
                    ],
                }
                status, answer = self.request(opener, "POST", "/api/visits/", body, token=True)
                if status == 201:
                    with self.lock:
                        self.acknowledged.append(json.loads(answer)["id"])
            with self.lock:
                self.codes[self.phase][status] += 1
                if 200 <= status < 300 and self.phase not in self.first_ok_after:
                    self.first_ok_after[self.phase] = time.monotonic()
            time.sleep(0.05)


def main():
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"PostgreSQL binaries not found in {PG_BIN} (set PG_BIN)")
    root = Path(tempfile.mkdtemp(prefix="zp-chaos-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    pg, redis = PrivatePostgres(root), PrivateRedis(root)
    server = None
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/zone_portal_chaos",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HOST": "127.0.0.1",
        "PORT": str(APP_PORT),
        "WEB_CONCURRENCY": "3",
        "LOG_LEVEL": "WARNING",
    }
    try:
        print(f"private PostgreSQL on :{PG_PORT}, Redis on :{REDIS_PORT}, app on :{APP_PORT}")
        pg.init()
        pg.start()
        redis.start()
        subprocess.run(
            [PY, "scripts/ensure_database.py"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        fixture = json.loads(manage(env, "shell", stdin=SETUP).strip().splitlines()[-1])
        before = json.loads(manage(env, "shell", stdin=COUNT).strip().splitlines()[-1])
        server = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "zone_portal.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=root.joinpath("gunicorn.log").open("w"),
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{BASE_URL}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)

        load = Load(fixture)
        threads = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(6)
        load.phase = "postgres down"
        stopped = time.monotonic()
        pg.stop()
        time.sleep(8)
        pg.start()
        load.phase = "postgres back"
        restarted = time.monotonic()
        time.sleep(10)
        load.phase = "redis down"
        redis.stop()
        time.sleep(6)
        redis.start()
        load.phase = "redis back"
        time.sleep(8)
        load.stop.set()
        for thread in threads:
            thread.join()
        after = json.loads(manage(env, "shell", stdin=COUNT).strip().splitlines()[-1])

        per_visit = {int(k): v for k, v in after["per_visit"].items()}
        missing = [pk for pk in load.acknowledged if pk not in per_visit]
        incomplete = [pk for pk, n in per_visit.items() if n != 2 and pk not in before["per_visit"]]
        print()
        print("status codes seen, by phase (0 = no answer):")
        for phase in ("before", "postgres down", "postgres back", "redis down", "redis back"):
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(load.codes[phase].items()))
            print(f"  {phase:<14} {codes}")
        back = load.first_ok_after.get("postgres back")
        print(
            f"PostgreSQL down for {restarted - stopped:.1f} s; first success "
            f"{(back - restarted):.1f} s after it was started again"
            if back
            else "no success after PostgreSQL returned"
        )
        print(f"rows before: {before['visits']} visits, {before['demands']} demands")
        print(f"rows after:  {after['visits']} visits, {after['demands']} demands")
        print(
            f"writes acknowledged (201): {len(load.acknowledged)}; "
            f"acknowledged but missing: {len(missing)}; "
            f"visits without both demands: {len(incomplete)}"
        )
        server_errors = sum(
            n
            for phase in load.codes.values()
            for code, n in phase.items()
            if code >= 500 and code != 503
        )
        print(f"answers 5xx other than 503: {server_errors}")
        ok = not missing and not incomplete and server_errors == 0 and back is not None
        print("RESULT:", "ok" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        if server and server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        redis.stop()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
