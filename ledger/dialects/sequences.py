"""Sequences a database holds on their own (PostgreSQL's and MariaDB's ``CREATE SEQUENCE``).

The fold holds tables only: a sequence is recorded as the ledger records any DDL it does not
model, an ``execute`` op holding its ``CREATE SEQUENCE`` with its ``DROP SEQUENCE`` as the reverse.
A baseline writes one for each sequence the database holds (flask_appbuilder's models draw their
ids from ``sa.Sequence``: without them a replayed baseline lacks what the next revision's
``INSERT`` reads). A sequence a column owns (PostgreSQL's ``SERIAL``, an identity) is not one of
them: replaying its column makes it again.

:class:`SequenceFold` reads the sequences back from the SQL of the ledger's ``execute`` events,
in seq order (``CREATE``, ``ALTER``, ``DROP SEQUENCE``: a baseline's states every option, a
migration's may leave some to the database), for ``verify --live`` to compare with the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ops.base import LedgerFormatError
from ledger.support.lazyre import lazy
from ops import classes as oc

if TYPE_CHECKING:
    from ops import ExecuteSQLOp

    from .database import Database

__all__ = ["SequenceFold", "SequenceNow", "SequenceSpec", "SequenceStatement", "read_sequence_statement",
           "sequence_definition", "sequence_op", "sequence_reverse", "sequences_from_json", "sequences_to_json"]

#: PostgreSQL's sequence types other than its default (bigint), as ``CREATE SEQUENCE ... AS`` takes them
_DATA_TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {"integer": sa.Integer, "smallint": sa.SmallInteger}
_NUMBERS = ("start", "increment", "minvalue", "maxvalue", "cache")


@oc.frozen
class SequenceSpec:
    """A sequence as the database stores it: its name and every option it reports."""

    name: str
    schema: str | None = None
    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cache: int | None = None
    cycle: bool = False
    #: "integer" or "smallint" (PostgreSQL's ``AS``); None: the database's default, bigint
    data_type: str | None = None

    def to_sa(self) -> sa.Sequence:
        data_type = _DATA_TYPES[self.data_type]() if self.data_type in _DATA_TYPES else None
        return sa.Sequence(self.name, schema=self.schema, start=self.start, increment=self.increment,
                           minvalue=self.minvalue, maxvalue=self.maxvalue, cache=self.cache, cycle=self.cycle,
                           data_type=data_type)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in oc.asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: Any) -> SequenceSpec:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
            raise LedgerFormatError("a sequence must be an object with a name")
        unknown = set(data) - {f.name for f in oc.fields(cls)}
        if unknown:
            raise LedgerFormatError(f"sequence {data['name']}: unknown fields {', '.join(sorted(unknown))}")
        for key in _NUMBERS:
            value = data.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise LedgerFormatError(f"sequence {data['name']}: {key} must be an integer")
        if not isinstance(data.get("cycle", False), bool):
            raise LedgerFormatError(f"sequence {data['name']}: cycle must be true or false")
        for key in ("schema", "data_type"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise LedgerFormatError(f"sequence {data['name']}: {key} must be a string")
        if data.get("data_type") is not None and data["data_type"] not in _DATA_TYPES:
            raise LedgerFormatError(f"sequence {data['name']}: unknown data_type {data['data_type']!r}")
        return cls(**data)


def sequence_op(sequence: SequenceSpec, dialect: sa.engine.Dialect) -> ExecuteSQLOp:
    """The ``execute`` op that makes ``sequence`` on ``dialect``, its ``DROP SEQUENCE`` the reverse."""
    from ops import ExecuteSQLOp  # the op modules load when a sequence is written, not when status reads a ledger

    made = sequence.to_sa()
    return ExecuteSQLOp(str(sa.schema.CreateSequence(made).compile(dialect=dialect)),
                        reverse_sql=str(sa.schema.DropSequence(made).compile(dialect=dialect)))


def sequence_definition(database: Database, conn: sa.Connection, name: str) -> str | None:
    """The ``CREATE SEQUENCE`` that makes again the sequence ``name`` (as written, an unquoted name
    found in any case) with the options ``database`` holds now, not its current value; None when it
    holds no such sequence that no column owns."""
    schema, bare = _split_name(name)
    specs = database.reflect_sequences(conn, schema)
    found = [s for s in specs if s.name == bare] or (
        [] if re.findall(_IDENT, name)[-1][:1] in "\"`" else [s for s in specs if s.name.lower() == bare.lower()])
    return sequence_op(found[0], conn.dialect).sqltext if len(found) == 1 else None


@oc.frozen
class SequenceNow:
    """A sequence as the database holds it at one moment (``Database.sequence_now``)."""

    spec: SequenceSpec
    #: the value its next draw gives
    next_value: int
    #: whether it gave a value since it was made or restarted
    drawn: bool
    #: the column that owns it (``schema.table.column``, quoted), None when none does
    owner: str | None = None
    #: the value it gave last, where the database says (PostgreSQL's ``last_value`` when drawn)
    last_value: int | None = None


#: what ALTER SEQUENCE may change that the catalog read here does not hold, so no reverse restores it
_NOT_RESTORED = lazy(r"\b(?:SET\s+(?:SCHEMA|LOGGED|UNLOGGED)|OWNER\s+TO)\b", re.I)


#: a column whose default a ``DROP SEQUENCE ... CASCADE`` takes: (schema as the database holds it, table, column)
TakenDefault = tuple[str, str, str]


def sequence_reverse(database: Database, conn: sa.Connection,
                     text: str) -> tuple[str | None, str | None, tuple[TakenDefault, ...]] | None:
    """For SQL text about to run that alters or drops sequences (``ALTER``, ``DROP SEQUENCE``): the
    statement that puts back what it changes, written from what ``database`` holds now (each
    sequence's options and the value it gives next), and why there is none when there is none
    (``(None, why, ...)``); None when ``text`` is not such a statement.

    The third item: the columns whose defaults a ``DROP SEQUENCE ... CASCADE`` takes with the
    sequences (``Database.sequence_dependents``), which the caller records as defaults dropped
    (their reverses set them again, after the reverse here made the sequences again). Anything
    else it takes (a view) leaves it with no reverse, saying what."""
    statement = read_sequence_statement(text)
    if statement is None or statement.verb == "create":
        return None
    quote = conn.dialect.identifier_preparer.quote
    held = [(name, database.sequence_now(conn, *name, dropping=statement.verb == "drop")) for name in statement.names]
    if statement.verb == "drop":
        made: list[str] = []
        taken: list[TakenDefault] = []
        why = None
        for (schema, name), now in held:
            if now is None:
                continue  # not there (DROP SEQUENCE IF EXISTS): nothing to make again
            if statement.cascade:
                columns, others = database.sequence_dependents(conn, schema, now.spec.name)
                taken += columns
                if others and why is None:
                    why = f"cannot be undone: CASCADE drops {', '.join(others)} with sequence {name}"
            again = _made_again(database, conn, now)
            if now.owner is not None:
                if not database.sql_text_holds_statements:
                    why = why or f"cannot be undone: sequence {name} is the column {now.owner}'s"
                # a column's own sequence (SERIAL's): made again, the column's again
                written = ".".join(quote(part) for part in (now.spec.schema, now.spec.name) if part is not None)
                again += f";\nALTER SEQUENCE {written} OWNED BY {now.owner}"
            made.append(again)
        if why is None and len(made) > 1 and not database.sql_text_holds_statements:
            why = (f"its reverse would make {len(made)} sequences, several statements, which this "
                   "database does not run as one")
        return (None if why else ";\n".join(made)), why, tuple(taken)
    (schema, _), now = held[0]  # ALTER SEQUENCE names one
    if _NOT_RESTORED.search(text) is not None:
        return None, f"cannot be undone: {' '.join(text.split())[:200]} changes what the ledger does not restore", ()
    if now is None:
        return "", None, ()  # ALTER SEQUENCE IF EXISTS of none: nothing changed
    spec = now.spec  # its name as the database holds it
    written = ".".join(quote(part) for part in (schema, spec.name) if part is not None)
    if statement.renamed is not None:
        # an unquoted new name is held in lower case (the only database that renames so, PostgreSQL)
        renamed = statement.renamed if f'"{statement.renamed}"' in text else statement.renamed.lower()
        moved = ".".join(quote(part) for part in (schema, renamed) if part is not None)
        return f"ALTER SEQUENCE {moved} RENAME TO {quote(spec.name)}", None, ()
    parts = [f"ALTER SEQUENCE {written}"]
    if database.sequence_types:
        parts.append(f"AS {spec.data_type or 'bigint'}")
    parts += [f"INCREMENT BY {spec.increment}", f"MINVALUE {spec.minvalue}", f"MAXVALUE {spec.maxvalue}",
              f"START WITH {spec.start}", f"CACHE {spec.cache}", "CYCLE" if spec.cycle else database.no_cycle]
    position = _position(database, conn, now)
    if position is None:
        parts.append(f"RESTART WITH {now.next_value}")
    if statement.owned is not None:
        parts.append(f"OWNED BY {now.owner or 'NONE'}")
    return " ".join(parts) + (f";\n{position}" if position is not None else ""), None, ()


def _position(database: Database, conn: sa.Connection, now: SequenceNow) -> str | None:
    """``SELECT setval(...)`` that sets the sequence where it stands, the value it gave last as given
    (so one that gave its last value gives no more), where the text can hold it after another
    statement and the database says which value that is; else None."""
    if not database.sql_text_holds_statements or now.last_value is None:
        return None
    quote = conn.dialect.identifier_preparer.quote
    written = ".".join(quote(part) for part in (now.spec.schema, now.spec.name) if part is not None)
    return f"SELECT setval('{written.replace(chr(39), chr(39) * 2)}', {now.last_value}, true)"


def _made_again(database: Database, conn: sa.Connection, now: SequenceNow) -> str:
    """``CREATE SEQUENCE`` of ``now`` with the options it holds, then set where it stood: where the
    text can hold a second statement, by ``setval`` (:func:`_position`); else made to start at the
    value it gave next."""
    spec = now.spec
    if not now.drawn:
        return sequence_op(spec, conn.dialect).sqltext
    position = _position(database, conn, now)
    if position is None:
        return sequence_op(oc.evolve(spec, start=now.next_value), conn.dialect).sqltext
    return f"{sequence_op(spec, conn.dialect).sqltext};\n{position}"


def sequences_to_json(sequences: Sequence[SequenceSpec]) -> list[dict[str, Any]]:
    return [s.to_json() for s in sorted(sequences, key=lambda s: (s.schema or "", s.name))]


def sequences_from_json(data: Any) -> tuple[SequenceSpec, ...]:
    """The ``sequences`` of a schema document (none when it has no such key)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise LedgerFormatError("a schema document's sequences must be a list")
    return tuple(SequenceSpec.from_json(item) for item in data)


# ---------------------------------------------------------------------------------------------
# The sequences the ledger's execute events made: its CREATE, ALTER and DROP SEQUENCE read back
# ---------------------------------------------------------------------------------------------

_IDENT = r'(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|[^\s."`(),;=]+)'
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT})?"
_STATEMENT = lazy(
    r"\s*(?P<verb>CREATE(?:\s+OR\s+REPLACE)?(?:\s+(?:TEMP|TEMPORARY|UNLOGGED))?|ALTER|DROP)\s+SEQUENCE\s+"
    rf"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?P<names>{_QUALIFIED}(?:\s*,\s*{_QUALIFIED})*)(?P<rest>.*?)[\s;]*$",
    re.I | re.S)
#: DDL that may make, change or drop a sequence without being one of the statements read here
_MENTIONS = lazy(r"\b(?:CREATE|ALTER|DROP)\b[^;]*?\bSEQUENCE\b", re.I | re.S)
_TOKEN = lazy(rf"{_IDENT}(?:\s*\.\s*{_IDENT})*|[-+]?\d+|=|\S")
#: ``AS`` types as SequenceSpec.data_type holds them (None: bigint, the databases' default)
_AS_TYPES = {"integer": "integer", "int": "integer", "int4": "integer", "smallint": "smallint", "int2": "smallint",
             "bigint": None, "int8": None}
#: what a CREATE SEQUENCE that does not state an option makes, on every database that has sequences
_CREATE_DEFAULTS = {"increment": 1, "cycle": False, "data_type": None}


def _unquote(name: str) -> str:
    name = name.strip()
    if name[:1] in "\"`" and len(name) > 1:
        return name[1:-1].replace(name[0] * 2, name[0])
    return name


def _split_name(text: str) -> tuple[str | None, str]:
    parts = [_unquote(p) for p in re.findall(_IDENT, text)]
    return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[-1])


@oc.frozen
class SequenceStatement:
    """A ``CREATE``, ``ALTER`` or ``DROP SEQUENCE`` as written: ``options`` holds what it states
    (the :class:`SequenceSpec` fields), ``owned`` whether it gives the sequence to a column
    (``OWNED BY t.c``: then it is the column's), ``renamed`` its new name (``RENAME TO``)."""

    verb: str  # create | alter | drop
    names: tuple[tuple[str | None, str], ...]
    options: dict[str, Any] = oc.field(factory=dict)
    owned: bool | None = None
    renamed: str | None = None
    #: options that changed to a value the statement does not state (``RESTART``, ``NO MAXVALUE``)
    unknown: frozenset[str] = frozenset()
    #: a ``DROP SEQUENCE ... CASCADE``: what depends on the sequences goes with them
    cascade: bool = False


def read_sequence_statement(text: str) -> SequenceStatement | None:
    """``text`` read as one ``CREATE``, ``ALTER`` or ``DROP SEQUENCE``; None when it is none of them."""
    match = _STATEMENT.match(text)
    if match is None:
        return None
    verb = match.group("verb").split()[0].lower()
    names = tuple(_split_name(n) for n in re.findall(_QUALIFIED, match.group("names")))
    if verb == "drop":
        return SequenceStatement("drop", names, cascade=re.search(r"\bCASCADE\b", match.group("rest"), re.I) is not None)
    if len(names) != 1:
        return None
    tokens = [t for t in _TOKEN.findall(match.group("rest")) if t != "="]
    options: dict[str, Any] = {}
    unknown: set[str] = set()
    owned: bool | None = None
    renamed: str | None = None
    words = {"INCREMENT": "increment", "START": "start", "MINVALUE": "minvalue", "MAXVALUE": "maxvalue",
             "CACHE": "cache"}
    i = 0
    while i < len(tokens):
        word = tokens[i].upper()
        following = tokens[i + 1].upper() if i + 1 < len(tokens) else ""
        if word in words:
            j = i + 1 + (following in ("BY", "WITH"))
            if j < len(tokens) and re.fullmatch(r"[-+]?\d+", tokens[j]):
                options[words[word]] = int(tokens[j])
                i = j + 1
                continue
            unknown.add(words[word])
        elif word in ("NO", "NOMINVALUE", "NOMAXVALUE", "NOCACHE", "NOCYCLE"):
            gone = {"NOMINVALUE": "MINVALUE", "NOMAXVALUE": "MAXVALUE", "NOCACHE": "CACHE", "NOCYCLE": "CYCLE"}.get(
                word, following)
            if gone == "CYCLE":
                options["cycle"] = False
            elif gone in words:
                unknown.add(words[gone])  # the database's default, which depends on the type and direction
            i += 1 if word != "NO" else 2
            continue
        elif word == "CYCLE":
            options["cycle"] = True
        elif word == "AS" and i + 1 < len(tokens):
            options["data_type"] = _AS_TYPES.get(tokens[i + 1].lower(), tokens[i + 1].lower())
            i += 2
            continue
        elif word == "RESTART":
            unknown.add("start")
        elif word == "OWNED" and following == "BY" and i + 2 < len(tokens):
            owned = tokens[i + 2].upper() != "NONE"
            i += 3
            continue
        elif word == "RENAME" and following == "TO" and i + 2 < len(tokens):
            renamed = _split_name(tokens[i + 2])[1]
            i += 3
            continue
        i += 1
    if verb == "create":
        options = {**_CREATE_DEFAULTS, **options}
    return SequenceStatement(verb, names, options, owned, renamed, frozenset(unknown - set(options)))




@oc.define
class SequenceFold:
    """The sequences the ``execute`` ops of a ledger made and did not drop, folded in seq order from
    the SQL they hold: each with the options its statements stated (``options``; one a statement
    left to the database is not known), keyed by (schema, name) in lower case.

    ``unread`` holds the seq of each statement that may make, change or drop a sequence but is
    not one this fold reads (a procedural block that makes one): the fold is then not complete.
    A name qualified by ``default_schema`` (the database's) is held as that of no schema.
    """

    default_schema: str | None = None
    held: dict[tuple[str | None, str], tuple[SequenceSpec, dict[str, Any], int]] = oc.field(factory=dict)
    unread: list[int] = oc.field(factory=list)

    def _key(self, schema: str | None, name: str) -> tuple[str | None, str]:
        # an unquoted name is stored in one case or another: names are matched without regard to case
        schema = schema.lower() if schema else None
        return (None if schema == (self.default_schema or "").lower() else schema, name.lower())

    def take(self, sqltext: str, seq: int) -> None:
        if "SEQUENCE" not in sqltext.upper():
            return
        for part in (p for p in sqltext.split(";") if p.strip()):
            statement = read_sequence_statement(part)
            if statement is None:
                if _MENTIONS.search(part):
                    self.unread.append(seq)
                continue
            self._apply(statement, seq)

    def _apply(self, statement: SequenceStatement, seq: int) -> None:
        if statement.verb == "drop":
            for schema, name in statement.names:
                self.held.pop(self._key(schema, name), None)
            return
        schema, name = statement.names[0]
        key = self._key(schema, name)
        if statement.owned:  # a column's sequence now: it comes and goes with its column
            self.held.pop(key, None)
            return
        if statement.verb == "create":
            self.held[key] = (SequenceSpec(name, schema), dict(statement.options), seq)
            return
        found = self.held.get(key)
        if found is None:
            if statement.owned is False:  # given back by its column: what it holds is not known here
                self.held[key] = (SequenceSpec(name, schema), {}, seq)
            return
        spec, options, _ = found
        options = {k: v for k, v in {**options, **statement.options}.items() if k not in statement.unknown}
        if statement.renamed is not None:
            del self.held[key]
            spec, key = oc.evolve(spec, name=statement.renamed), self._key(schema, statement.renamed)
        self.held[key] = (spec, options, seq)

    def differences(self, live: Sequence[SequenceSpec]) -> list[tuple[str, str]]:
        """(sequence, what differs) between the fold and the sequences ``live`` (reflected: those no
        column owns, of the default schema and of every schema the fold names)."""
        held = self.held
        lines: list[tuple[str, str]] = []
        found = {self._key(s.schema, s.name): s for s in live}
        for key, (spec, options, seq) in sorted(held.items(), key=lambda item: (item[0][0] or "", item[0][1])):
            name = f"{key[0]}.{spec.name}" if key[0] else spec.name
            there = found.get(key)
            if there is None:
                lines.append((name, f"sequence {name} (made at seq {seq}) is not in the database: it was dropped "
                                    "or renamed by hand"))
                continue
            for option in ("data_type", "start", "increment", "minvalue", "maxvalue", "cache", "cycle"):
                if option in options and options[option] != getattr(there, option):
                    recorded, held_now = (_shown(option, options[option]), _shown(option, getattr(there, option)))
                    lines.append((name, f"sequence {name}: {option} is {held_now} in the database, "
                                        f"{recorded} in the ledger (seq {seq})"))
        for key in sorted(set(found) - set(held), key=lambda k: (k[0] or "", k[1])):
            spec = found[key]
            name = f"{key[0]}.{spec.name}" if key[0] else spec.name
            lines.append((name, f"sequence {name} is in the database but not in the ledger: it was made by hand"))
        return lines

    @property
    def schemas(self) -> set[str]:
        """The schemas the fold's sequences name (their database may hold more of them)."""
        return {schema for schema, _ in self.held if schema is not None}


def _shown(option: str, value: Any) -> str:
    if option == "data_type":
        return str(value or "bigint")
    return str(value).lower() if isinstance(value, bool) else str(value)
