"""make backup / make restore: a backup restored into another database holds the same rows."""

import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from tests.services.factories import DemandFactory
from tests.subprocess_env import clean_environ

BASE_DIR = Path(__file__).resolve().parents[2]
KEY_TABLES = [
    "accounts_user",
    "enterprises_enterprise",
    "services_demand",
    "services_demandevent",
    "staff_appointment",
]


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 over every row's text, in primary-key order, per key table."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=name, host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"]
    )
    try:
        with conn.cursor() as cursor:
            result = {}
            for table in KEY_TABLES:
                cursor.execute(
                    sql.SQL(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), ''))"
                        " FROM {} t"
                    ).format(sql.Identifier(table))
                )
                result[table] = tuple(cursor.fetchone())
            return result
    finally:
        conn.close()


def _run(*args, env):
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=BASE_DIR,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(tmp_path):
    for _ in range(3):
        DemandFactory()
    media = tmp_path / "media"
    (media / "visits").mkdir(parents=True)
    (media / "visits" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restore_check"
    env = {"DATABASE_URL": _url(source), "MEDIA_ROOT": str(media)}
    try:
        made = _run("backup", "--dir", str(tmp_path / "backups"), env=env)
        assert made.returncode == 0, made.stderr
        [bundle] = (tmp_path / "backups").glob(f"{source}-*.tar")

        back = _run(
            "restore",
            str(bundle),
            "--database",
            restored,
            "--media-root",
            str(tmp_path / "restored-media"),
            env=env,
        )
        assert back.returncode == 0, back.stderr
        assert "counts match" in back.stdout
        assert _fingerprint(restored) == _fingerprint(source)
        assert _fingerprint(source)["services_demand"][0] == 3
        photo = tmp_path / "restored-media" / "visits" / "photo.jpg"
        assert photo.read_bytes() == b"\xff\xd8 a photo"

        again = _run("restore", str(bundle), "--database", restored, env=env)
        assert again.returncode != 0
        assert "restore only into a fresh database" in again.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
