"""What undoes SQL text that creates, replaces or drops a trigger, a function, a procedure, a view
(the objects the fold does not hold), statement by statement.

A creation is undone by dropping the object; a replacement or a drop by the definition the ledger
held before it (a replacement of nothing the ledger holds: by dropping it). A text of several
statements is undone by the reverses of its statements in the opposite order, and is irreversible
when one of them is. ``DROP ... IF EXISTS x`` of an object the ledger holds nothing of, followed in
the same text by the creation of ``x`` (``DROP TRIGGER IF EXISTS t ON t1; CREATE TRIGGER t ...``, the
common way to write a replacement), drops nothing the ledger knows of: as a replacement of nothing
the ledger holds, the creation's reverse alone undoes the pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.integrations.alembic_sql import SchemaObject, _skip_leading, schema_object, statements_in
from ledger.support.lazyre import lazy

_DROP_IF_EXISTS = lazy(r"DROP\s+(?:MATERIALIZED\s+)?\w+\s+IF\s+EXISTS\b", re.I)


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
            known = False
            continue
        verb, obj = one
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
