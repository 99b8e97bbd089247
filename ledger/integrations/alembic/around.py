"""What a text of several statements makes besides its tables, recorded around the ops of its tables.

One SQL text may make a schema, routines, tables, triggers and views (pypnusershub's initial revision
runs such a file). Its tables are recorded as the ops the read-back finds; the schemas it makes and its
routines (a CHECK may call one) are recorded before those ops, its triggers and views (made on the
tables) after them, each as the ``execute`` event it would be alone, with its reverse. Each runs again as
the database ran it: under the settings the text set before it that decide where an unqualified name goes
and whether a routine's body is checked (``SET search_path = app, public``, ``SET check_function_bodies =
false``, also as ``set_config``), which its recorded text sets first and resets after, as does its reverse.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.integrations.alembic_sql import _skip_leading, schema_object, statements_in
from ledger.support.lazyre import mentions

__all__ = ["made_around_tables"]

#: the kinds recorded before the tables' ops; TRIGGER and VIEW ones go after them
_BEFORE = ("SCHEMA", "FUNCTION", "PROCEDURE")
_AFTER = ("TRIGGER", "VIEW", "MATERIALIZED VIEW")
_SETTINGS = ("search_path", "check_function_bodies")

Made = list[tuple[str, str | None]]


def made_around_tables(text: str, reverse_sql: Callable[[str], str | None]) -> tuple[Made, Made]:
    """(before, after): each statement of ``text`` (of several) that makes a schema, routine, trigger or
    view, as ``(SQL to run again, its reverse or None)``; ``reverse_sql`` gives a bare statement's."""
    if not mentions(text, "schema", "function", "procedure", "trigger", "view"):
        return [], []
    parts = statements_in(text)
    before: Made = []
    after: Made = []
    if len(parts) < 2:
        return before, after
    settings: dict[str, str] = {}
    for part in parts:
        found = _setting(part)
        if found is not None:
            settings[found[0]] = found[1]
            continue
        made = schema_object(part)
        if made is None or made[0] == "drop" or made[1].kind not in (*_BEFORE, *_AFTER):
            continue
        reverse = reverse_sql(part)
        under = settings if made[1].kind != "SCHEMA" else {}  # (a schema's name is not looked up)
        forward = part[_skip_leading(part):].strip()  # (its leading comments left out)
        wrapped = (_wrapped(forward, under), None if reverse is None else _wrapped(reverse, under))
        (before if made[1].kind in _BEFORE else after).append(wrapped)
    return before, after


def _setting(statement: str) -> tuple[str, str] | None:
    """(name, value) of a ``SET [SESSION] name = value`` or ``SELECT set_config('name', 'value', false)`` of
    one of the settings carried, else None."""
    text = statement[_skip_leading(statement):]
    found = re.match(r"SET\s+(?:SESSION\s+)?(\w+)\s*(?:=|\s+TO\s)\s*(.*?)\s*;?\s*$", text, re.I | re.S)
    if found is not None and found.group(1).lower() in _SETTINGS:
        return found.group(1).lower(), found.group(2)
    found = re.match(r"SELECT\s+(?:pg_catalog\s*\.\s*)?set_config\s*\(\s*'(\w+)'\s*,\s*'((?:[^']|'')*)'\s*,\s*false\s*\)",
                     text, re.I)
    if found is not None and found.group(1).lower() in _SETTINGS:
        return found.group(1).lower(), found.group(2).replace("''", "'")
    return None


def _wrapped(statement: str, settings: dict[str, str]) -> str:
    """``statement`` run under ``settings`` (set first, reset after), or as it is under none."""
    if not settings:
        return statement
    values = "".join(f"SELECT pg_catalog.set_config('{name}', '{value.replace(chr(39), chr(39) * 2)}', false);\n"
                     for name, value in settings.items())
    resets = "".join(f";\nRESET {name}" for name in settings)
    return f"{values}{statement.rstrip().rstrip(';')}{resets}"
