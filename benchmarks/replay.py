"""``python -m benchmarks.replay URL STATEMENTS.json``: run the statements through the bare driver in one
transaction (MariaDB commits each DDL statement anyway): the raw replay baseline, as a fresh process."""

from __future__ import annotations

import json
import sys


def main(url: str, path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        statements = json.load(fh)
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
