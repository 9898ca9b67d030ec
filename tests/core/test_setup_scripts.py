import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2

from tests.subprocess_env import clean_environ

BASE_DIR = Path(__file__).resolve().parents[2]


def _ensure(database_url: str):
    return subprocess.run(
        [sys.executable, "scripts/ensure_database.py"],
        cwd=BASE_DIR,
        env={**clean_environ(), "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_set_up_stops_with_one_clear_sentence_when_no_server_answers():
    result = _ensure("postgres://postgres@127.0.0.1:1/zone_portal")
    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith("No PostgreSQL server answers at 127.0.0.1:1")
    assert "start it" in message
    assert len(message.splitlines()) == 1


def test_the_set_up_creates_a_missing_database_and_then_finds_it_ready():
    name = f"zp_setup_{uuid.uuid4().hex[:8]}"
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    try:
        first = _ensure(url)
        assert first.returncode == 0, first.stderr
        assert f"Created database {name}" in first.stdout
        second = _ensure(url)
        assert f"Database {name}" in second.stdout and "is ready" in second.stdout
    finally:
        connection = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.close()
