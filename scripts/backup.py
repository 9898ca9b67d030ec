"""Back up the portal (database + uploaded files) into one dated file, and restore it into a
fresh database.

    python scripts/backup.py backup [--dir backups]
        -> backups/<database>-YYYYMMDD-HHMMSS.tar holding database.dump (pg_dump custom format:
           one consistent snapshot), media.tar.gz (MEDIA_ROOT) and manifest.json (row counts)
    python scripts/backup.py restore FILE [--database NAME] [--media-root DIR]
        -> creates NAME (default <database>_restored_<stamp>; refuses an existing one), restores
           into it, checks the row counts against the manifest, unpacks the files into DIR
           (default <MEDIA_ROOT>-restored-<stamp>) and prints the settings to switch to it.

DATABASE_URL and MEDIA_ROOT are read as the portal reads them (environment, then .env). Nothing
existing is overwritten: switching to the restored copy is a deliberate step.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
environ.Env.read_env(BASE_DIR / ".env")
env = environ.Env()
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _tool(name: str) -> str:
    candidate = PG_BIN / name
    return str(candidate) if candidate.exists() else name


def _config(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    return {
        "host": config.get("HOST") or "127.0.0.1",
        "port": str(config.get("PORT") or 5432),
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or "",
        "name": config["NAME"],
    }


def _pg_env(config: dict) -> dict:
    return (
        {**os.environ, "PGPASSWORD": config["password"]} if config["password"] else {**os.environ}
    )


def _connect(config: dict, dbname: str):
    return psycopg2.connect(
        dbname=dbname,
        host=config["host"],
        port=config["port"],
        user=config["user"],
        password=config["password"] or None,
        connect_timeout=5,
    )


def row_counts(config: dict) -> dict[str, int]:
    """Exact row counts of every table in the public schema."""
    connection = _connect(config, config["name"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        connection.close()


def backup(directory: Path) -> Path:
    config = _config(env.str("DATABASE_URL"))
    media_root = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{config['name']}-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        subprocess.run(
            [
                _tool("pg_dump"),
                *("--format=custom", "--no-owner", "--no-privileges"),
                *("--host", config["host"], "--port", config["port"], "--username", config["user"]),
                *("--file", str(dump), config["name"]),
            ],
            check=True,
            env=_pg_env(config),
        )
        media = Path(work) / "media.tar.gz"
        with tarfile.open(media, "w:gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname="media")
        manifest = {
            "database": config["name"],
            "created": datetime.now().isoformat(timespec="seconds"),
            "row_counts": row_counts(config),
        }
        with tarfile.open(target, "w") as bundle:
            bundle.add(dump, arcname="database.dump")
            bundle.add(media, arcname="media.tar.gz")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    print(f"Backup written: {target}")
    return target


def restore(file: Path, database: str | None, media_root: Path | None) -> str:
    source = _config(env.str("DATABASE_URL"))
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    database = database or f"{source['name']}_restored_{stamp}"
    target = {**source, "name": database}
    with tempfile.TemporaryDirectory() as work, tarfile.open(file) as bundle:
        bundle.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        admin = _connect(source, "postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                sys.exit(f"Database {database} exists: restore only into a fresh database.")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        admin.close()
        subprocess.run(
            [
                _tool("pg_restore"),
                *("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"),
                *("--host", target["host"], "--port", target["port"], "--username", target["user"]),
                *("--dbname", database, str(Path(work) / "database.dump")),
            ],
            check=True,
            env=_pg_env(target),
        )
        counts = row_counts(target)
        if counts != manifest["row_counts"]:
            differ = sorted(
                table
                for table in set(counts) | set(manifest["row_counts"])
                if counts.get(table) != manifest["row_counts"].get(table)
            )
            sys.exit(f"Restored row counts differ from the backup's in: {', '.join(differ)}")
        default_media = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
        media_root = media_root or default_media.with_name(f"{default_media.name}-restored-{stamp}")
        with tarfile.open(Path(work) / "media.tar.gz") as media:
            unpacked = Path(work) / "unpacked"
            media.extractall(unpacked, filter="data")
            if (unpacked / "media").is_dir():
                shutil.copytree(unpacked / "media", media_root, dirs_exist_ok=False)
            else:
                media_root.mkdir(parents=True)
    url = f"postgres://{target['user']}@{target['host']}:{target['port']}/{database}"
    print(f"Restored {file} into database {database} ({sum(counts.values())} rows, counts match).")
    print(f"Uploaded files: {media_root}")
    print(f"To use it: DATABASE_URL={url} MEDIA_ROOT={media_root}")
    print(
        "then, with those settings: python manage.py forget_figures (the cache holds the old data)"
    )
    return database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup")
    make.add_argument("--dir", type=Path, default=BASE_DIR / "backups")
    back = commands.add_parser("restore")
    back.add_argument("file", type=Path)
    back.add_argument("--database")
    back.add_argument("--media-root", type=Path)
    args = parser.parse_args()
    if args.command == "backup":
        backup(args.dir)
    else:
        if not args.file.is_file():
            sys.exit(f"No backup file {args.file}")
        restore(args.file, args.database, args.media_root)


if __name__ == "__main__":
    main()
