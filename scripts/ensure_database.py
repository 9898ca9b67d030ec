"""Make sure the PostgreSQL database named by DATABASE_URL exists.

Exit 0 when it exists or was created; exit 1 with one clear sentence when no server answers.
Never hangs: every connection attempt has a short timeout.
"""

import os
import sys
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
environ.Env.read_env(BASE_DIR / ".env")
url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zone_portal")
config = environ.Env.db_url_config(url)
params = {
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
    "connect_timeout": 3,
}
name = config["NAME"]
where = f"{params['host'] or 'the local socket'}:{params['port'] or 5432}"

try:
    connection = psycopg2.connect(dbname="postgres", **params)
except psycopg2.OperationalError as error:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
    sys.exit(
        f"No PostgreSQL server answers at {where} ({reason}): start it "
        "(on Debian: pg_ctlcluster 15 main start) or set DATABASE_URL to a running server."
    )
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created database {name} at {where}.")
    else:
        print(f"Database {name} at {where} is ready.")
connection.close()
