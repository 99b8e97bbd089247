"""``python -m benchmarks.replay [--bare] URL STATEMENTS.json``: the raw replay baselines, each as a fresh process.

By default the statements run through SQLAlchemy, as any tool built on it runs them: ``create_engine``,
one connection, ``exec_driver_sql`` of each statement, all in one transaction (MariaDB commits each DDL
statement anyway); on SQLite the driver's own transaction handling is turned off and the transaction
begun with ``BEGIN``, as SQLAlchemy's documentation describes for DDL in a transaction. This is the raw
baseline the targets are judged against: a schema-ledger user always runs SQLAlchemy.

``--bare`` runs them through the bare driver (``sqlite3``, ``psycopg``, ``pymysql``) without importing
SQLAlchemy: the floor, printed as an informational row.
"""

from __future__ import annotations

import json
import sys


def through_sqlalchemy(url: str, statements: list[str]) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _no_driver_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")

    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def bare(url: str, statements: list[str]) -> None:
    if url.startswith("sqlite:///"):
        import sqlite3

        con = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
        con.execute("BEGIN")
        for statement in statements:
            con.execute(statement)
        con.execute("COMMIT")
        con.close()
        return
    from urllib.parse import unquote, urlsplit

    parsed = urlsplit(url)
    if parsed.scheme.startswith("postgresql"):
        import psycopg

        with psycopg.connect(host=parsed.hostname, port=parsed.port, user=parsed.username,
                             password=parsed.password, dbname=unquote(parsed.path.lstrip("/"))) as con:
            with con.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        return
    import pymysql

    con = pymysql.connect(host=parsed.hostname, port=parsed.port or 3306, user=parsed.username,
                          password=parsed.password or "", database=unquote(parsed.path.lstrip("/")))
    with con.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    con.commit()
    con.close()


def main(argv: list[str]) -> None:
    use_bare = "--bare" in argv
    url, path = [a for a in argv if a != "--bare"]
    with open(path, encoding="utf-8") as fh:
        statements = json.load(fh)
    (bare if use_bare else through_sqlalchemy)(url, statements)


if __name__ == "__main__":
    main(sys.argv[1:])
