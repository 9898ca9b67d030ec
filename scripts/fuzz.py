"""Fuzz the API with schemathesis against a live server, as the superuser and as a liaison.

    make fuzz                                   # or: .venv/bin/python scripts/fuzz.py
    .venv/bin/python scripts/fuzz.py --max-examples 20 --include-path-regex '^/api/staff/'

What it does, each time from scratch:
1. builds its own database, `<DATABASE_URL's name>_fuzz` (dropped and created again: the fuzzer
   writes), migrates it and loads the demo (`load_demo`), so every endpoint has real rows;
2. gives the demo's `admin` (superuser) and `liaison` (项目联络员) a fresh API token each;
3. serves the portal with `manage.py runserver --noreload` on 127.0.0.1:FUZZ_PORT (default 8765);
4. fetches the OpenAPI schema and runs `schemathesis run --checks all` per user, with the
   user's token: every operation but revoking a token, then revoking a token (last: the fuzzer
   may revoke its own); reports (JUnit XML, the failures reproduced as curl commands) land in
   `test-artifacts/fuzz/<user>/{all,revoke}/`;
5. stops the server. The exit status is 0 only when both runs found nothing.

Not part of `make test`: a full run takes many minutes and writes thousands of rows.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ARTIFACTS = BASE_DIR / "test-artifacts" / "fuzz"
USERS = ["admin", "liaison"]
# Revoking an API token is fuzzed last: the fuzzer revoked its own token half-way through a
# run once, and every operation after it answered 401 ("令牌无效"), untested.
REVOKE = "DELETE /api/tokens/{id}/"
PASSES = [("all", ["--exclude-name", REVOKE]), ("revoke", ["--include-name", REVOKE])]

TOKEN_CODE = """
from apps.accounts import services
from apps.accounts.models import ApiToken, User
for username in {users!r}:
    user = User.objects.get(username=username)
    ApiToken.objects.filter(user=user, name="fuzz").delete()
    _token, key = services.api_token_create(user=user, name="fuzz")
    print("FUZZ-TOKEN", username, key)
"""


def _fuzz_database_url() -> tuple[str, dict]:
    environ.Env.read_env(BASE_DIR / ".env")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zone_portal")
    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_fuzz"
    scheme, rest = url.split("://", 1)
    location = rest.rsplit("/", 1)[0]
    return f"{scheme}://{location}/{name}", {**config, "NAME": name}


def _recreate_database(config: dict) -> None:
    connection = psycopg2.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        connect_timeout=3,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        name = sql.Identifier(config["NAME"])
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    connection.close()


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("FUZZ_PORT", 8765)))
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--workers", default="4")
    parser.add_argument("--users", nargs="+", default=USERS, choices=USERS)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the fuzz database")
    parser.add_argument("extra", nargs=argparse.REMAINDER, help="passed to schemathesis (after --)")
    options = parser.parse_args()

    url, config = _fuzz_database_url()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": url,
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    if not options.skip_setup:
        print(f"Building the database {config['NAME']} with the demo data…", flush=True)
        _recreate_database(config)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "load_reference_data")
        _manage(env, "load_demo")
    output = _manage(env, "shell", "-c", TOKEN_CODE.format(users=options.users), capture=True)
    keys = dict(line.split()[1:] for line in output.splitlines() if line.startswith("FUZZ-TOKEN "))

    base = f"http://127.0.0.1:{options.port}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server_log = (ARTIFACTS / "server.log").open("w")
    print(f"Serving on {base} (log: {server_log.name})", flush=True)
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{options.port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    failed = False
    try:
        _wait_for(f"{base}/healthz")
        for username in options.users:
            credentials = f"Token {keys[username]}"
            request = urllib.request.Request(
                f"{base}/api/schema/?format=json", headers={"Authorization": credentials}
            )
            schema = ARTIFACTS / f"schema-{username}.json"
            with urllib.request.urlopen(request, timeout=60) as response:
                schema.write_bytes(response.read())
            for label, selection in PASSES:
                if label == "revoke" and any(a.startswith("--include") for a in options.extra):
                    continue  # a run narrowed to some paths does not revoke tokens
                command = [
                    str(Path(PYTHON).with_name("schemathesis")),
                    "--config-file",
                    str(BASE_DIR / "schemathesis.toml"),
                    "run",
                    str(schema),
                    "--url",
                    base,
                    "--checks",
                    "all",
                    "--header",
                    f"Authorization: {credentials}",
                    "--max-examples",
                    str(options.max_examples),
                    "--workers",
                    options.workers,
                    "--report",
                    "junit",
                    "--report-dir",
                    str(ARTIFACTS / username / label),
                    "--seed",
                    "1",
                    *selection,
                    *[arg for arg in options.extra if arg != "--"],
                ]
                print(f"\n=== schemathesis as {username} ({label}) ===", flush=True)
                if subprocess.run(command, cwd=BASE_DIR, env=env).returncode != 0:
                    failed = True
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
