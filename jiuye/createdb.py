"""Create the PostgreSQL database DATABASE_URL names when it does not exist yet, so that
`DATABASE_URL=postgres://…/jiuye make demo` works on a server with no such database.
Does nothing for SQLite (its file is made on first use)."""

from __future__ import annotations

import os
import sys

import dj_database_url


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return 0
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"已创建数据库 {db['NAME']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
