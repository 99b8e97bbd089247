"""What undoes SQL text that creates, replaces or drops a trigger, a function, a procedure, a view
(the objects the fold does not hold), statement by statement.

A creation is undone by dropping the object; a replacement or a drop by the definition the ledger
held before it (a replacement of nothing the ledger holds: by dropping it). A text of several
statements is undone by the reverses of its statements in the opposite order, and is irreversible
when one of them is. ``DROP ... IF EXISTS x`` of an object the ledger holds nothing of, followed in
the same text by the creation of ``x`` (``DROP TRIGGER IF EXISTS t ON t1; CREATE TRIGGER t ...``, the
common way to write a replacement), drops nothing the ledger knows of: as a replacement of nothing
the ledger holds, the creation's reverse alone undoes the pair.

PostgreSQL's extended statistics (``CREATE STATISTICS``) are such objects too; ``ALTER STATISTICS a
RENAME TO b`` is undone by the rename back (the definition held moves to the new name, so a later
drop is undone under it), ``ALTER STATISTICS a SET STATISTICS n`` by setting the target the ledger
held before (-1, the default, when none).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.integrations.alembic_sql import _CREATED, SchemaObject, _skip_leading, schema_object, statements_in
from ledger.support.lazyre import lazy

_DROP_IF_EXISTS = lazy(r"DROP\s+(?:MATERIALIZED\s+)?\w+\s+IF\s+EXISTS\b", re.I)
_ONE = r'"(?:[^"]|"")+"|[^\s."(),;]+'
_NAMED = rf"(?:{_ONE})(?:\s*\.\s*(?:{_ONE}))?"
_PART = lazy(_ONE)
_ALTER_STATISTICS = lazy(rf"ALTER\s+STATISTICS\s+(?:IF\s+EXISTS\s+)?(?P<name>{_NAMED})\s+(?:RENAME\s+TO\s+"
                         rf"(?P<new>{_NAMED})|SET\s+STATISTICS\s+(?P<target>-?\d+|DEFAULT))\s*;?\s*$", re.I | re.S)
#: the key under which ``defined`` holds the target an ``ALTER STATISTICS ... SET STATISTICS`` set
TARGET = "STATISTICS TARGET"


def reverse_of(text: str, defined: dict[tuple[str, str], str | None],
               drop_sql: Callable[[SchemaObject], str]) -> str | None:
    """The SQL that undoes ``text``, or None when it is not known (a statement that makes or drops
    no such object, or the drop of one the ledger holds no definition of). ``defined``: each such
    object's definition in force as the ledger holds it (None: dropped), kept up to date here with
    what ``text`` does. ``drop_sql``: the database's statement that drops an object."""
    parts = statements_in(text)
    found = [schema_object(part) for part in parts]
    undo: list[str] = []
    known = True
    for at, (part, one) in enumerate(zip(parts, found)):
        if one is None:
            altered = _altered_statistics(part, defined)
            if altered is None:
                known = False
            else:
                undo.append(altered)
            continue
        verb, obj = one
        if obj.kind == "STATISTICS":
            defined.pop((TARGET, obj.key[1]), None)  # made or dropped: the default target
        before = defined.get(obj.key)
        defined[obj.key] = None if verb == "drop" else part.strip() if len(parts) > 1 else text
        if verb == "drop" and before is None and _DROP_IF_EXISTS.match(part, _skip_leading(part)) is not None and any(
                later is not None and later[0] != "drop" and later[1].key == obj.key for later in found[at + 1:]):
            continue  # nothing the ledger knows was there: the creation after it is undone
        if verb == "drop" or (verb == "replace" and before is not None):
            if before is None:
                known = False
            else:
                undo.append(before)
            continue
        undo.append(drop_sql(obj))
    if not known:
        return None
    return ";\n".join(statement.strip().rstrip(";").strip() for statement in reversed(undo)) if len(undo) > 1 \
        else (undo[0] if undo else "")


def _altered_statistics(statement: str, defined: dict[tuple[str, str], str | None]) -> str | None:
    """What undoes ``ALTER STATISTICS name RENAME TO new`` or ``... SET STATISTICS n`` (``defined``
    follows it), None for any other statement."""
    found = _ALTER_STATISTICS.match(statement, _skip_leading(statement))
    if found is None:
        return None
    name = found.group("name")
    old = SchemaObject("STATISTICS", name).key
    if found.group("new") is None:
        target = found.group("target")
        before = defined.get((TARGET, old[1]))
        defined[(TARGET, old[1])] = "-1" if target.upper() == "DEFAULT" else target
        return f"ALTER STATISTICS {name} SET STATISTICS {before or -1}"
    parts = _PART.findall(name)
    new = ".".join([*parts[:-1], found.group("new")])  # renamed in its schema
    key = SchemaObject("STATISTICS", new).key
    definition = defined.pop(old, None)
    if definition is not None:
        made = _CREATED.match(definition, _skip_leading(definition))
        defined[key] = definition if made is None else \
            definition[:made.start("name")] + new + definition[made.end("name"):]
    if (TARGET, old[1]) in defined:
        defined[(TARGET, key[1])] = defined.pop((TARGET, old[1]))
    return f"ALTER STATISTICS {new} RENAME TO {parts[-1]}"
