"""Operations to canonical JSON bytes and back, and the records the ledger stores beside them.

A payload is ``{"type": TAG, "v": VERSION, "op": {...fields}}`` (:mod:`ledger.format.payload`
turns an op into that envelope and back), written with sorted keys, compact separators and
UTF-8, so equal ops give equal bytes in every process. Reading refuses what is not canonical
JSON or beyond the bounds below before the envelope is structured, and names the ledger
position of anything malformed. A record (a drill's report) is stored the same way under its
own type tag and version.
"""

from __future__ import annotations

import json
import json.encoder
import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


from ops.classes import Value
from ops import LedgerFormatError, MigrateOperation

from ledger.format.payload import (
    CURRENT as _CURRENT,
    INT_END,
    INT_MIN,
    MAX_DIMENSIONS,
    MAX_NAME_BYTES,
    NAME_KEYS,
    NESTED as _NESTED,
    NAME_LIST_KEYS,
    SHORT_NAME,
    _CHECKED,
    Upcaster,
    bounds_checked,
    from_payload,
    register_op,
    register_upcaster,
    to_payload,
)

__all__ = [
    "LedgerFormatError",
    "MAX_NAME_BYTES",
    "MAX_PAYLOAD_BYTES",
    "DRILL_RECORD",
    "canonical",
    "decode",
    "decode_record",
    "encode",
    "encode_record",
    "encode_text",
    "from_payload",
    "register_op",
    "register_record",
    "register_upcaster",
    "to_payload",
]

#: A payload larger than this is refused before it is parsed.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024


def canonical(obj: Any) -> bytes:
    """The canonical JSON bytes of ``obj``: sorted keys, compact, UTF-8, no NaN."""
    if _ENCODE is None:
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    return "".join(_ENCODE(obj, 0)).encode("utf-8")


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json.dumps with these options runs this C encoder, made anew (with a JSONEncoder around it) at
# every call: made once, proving a payload canonical (an encoding per payload read) costs a
# quarter less. No check for circular values: JSON values and payloads are trees.
_ENCODE = (
    json.encoder.c_make_encoder(None, _not_serializable, json.encoder.encode_basestring, None, ":", ",", True, False,
                                False)
    if json.encoder.c_make_encoder is not None else None
)


def encode(op: MigrateOperation) -> bytes:
    """The canonical bytes of ``op``."""
    return canonical(to_payload(op))


def encode_text(op: MigrateOperation) -> str:
    """``encode(op)`` as text (what the ledger's payload column holds), without the bytes in between."""
    if _ENCODE is None:
        return encode(op).decode("utf-8")
    text = "".join(_ENCODE(to_payload(op), 0))
    if not text.isascii():
        text.encode("utf-8")  # what cannot be written as UTF-8 (a lone surrogate) is refused, as encode refuses it
    return text


def _where(seq: int | None) -> str:
    return f" at ledger seq {seq}" if seq is not None else ""


def decode(
    data: bytes | bytearray | memoryview | str, *, seq: int | None = None, hashed: bool = False,
    remember: bool = True,
) -> MigrateOperation:
    """The op stored as ``data``; anything malformed raises LedgerFormatError naming ``seq``.

    ``hashed``: the caller has just checked the event's hash over these very bytes (``schema --at``
    checks the chain of the events it folds). The bytes are then those the chain commits to, as
    written by ``encode``, and the check for a key given twice (a Python call per object) is
    skipped: NaN and Infinity are still refused, text with ``\\u`` escapes (a lone surrogate)
    still takes the strict parse. A key given twice, which only a forged chain can hold, is left
    to ``verify``.

    ``remember=False``: neither look the payload up among those decoded lately nor keep it there
    (a fold reads each payload once: the look-up never pays, keeping it costs).
    """
    if isinstance(data, str):
        # Measured in bytes as stored: a character is at most 4 bytes of UTF-8.
        if len(data) > MAX_PAYLOAD_BYTES // 4 and len(data.encode("utf-8", "surrogatepass")) > MAX_PAYLOAD_BYTES:
            raise LedgerFormatError(f"payload{_where(seq)} is larger than {MAX_PAYLOAD_BYTES} bytes")
        text = data
    elif isinstance(data, (bytes, bytearray, memoryview)):
        if isinstance(data, memoryview):
            data = data.tobytes()
        if len(data) > MAX_PAYLOAD_BYTES:
            raise LedgerFormatError(f"payload{_where(seq)} is larger than {MAX_PAYLOAD_BYTES} bytes")
        try:
            # Strictly UTF-8: json.loads would also guess UTF-16 and UTF-32 from bytes.
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LedgerFormatError(f"payload{_where(seq)} is not UTF-8: {exc.reason} at byte {exc.start}") from None
    else:
        raise LedgerFormatError(f"payload{_where(seq)} is {type(data).__name__}, not bytes")
    if remember:
        recent = _RECENT.get(text)
        if recent is not None:
            return recent
    size = len(text)
    if "\\u" not in text and size <= _FEW_ITEMS and _CHECKED[0]:
        # Within the bounds the walk checks as soon as structuring succeeds (see
        # ``_within_bounds_once_structured``): parsed at C speed with each object as the tuple of its
        # (key, value) pairs, which structuring makes a dict where it reads it, refusing a key given
        # twice. Anything wrong (out of bounds, malformed, NaN, a lone surrogate, a key given twice)
        # takes the strict path below, which says what, as always.
        try:
            nested = _NESTED[0]
            pairs, end = _PAIRS_SCAN(text, 0)
            if end == size and (text.isascii() or text.encode("utf-8")):
                # An envelope in canonical order at its op's current version goes straight to the
                # op's structure function (``payload.CURRENT``); anything else through from_payload.
                entry = None
                if type(pairs) is tuple and len(pairs) == 3:
                    (k_op, fields), (k_type, tag), (k_v, version) = pairs
                    if k_op == "op" and k_type == "type" and k_v == "v" and type(version) is int \
                            and type(tag) is str:
                        entry = _CURRENT.get((tag, version))
                op = entry[0](fields, entry[1]) if entry is not None else from_payload(pairs)
                # Still no unchecked op class met while structuring this one; an op nested in it (only
                # that can nest beyond the bound) with few enough brackets in the text.
                if _CHECKED[0] and (_NESTED[0] == nested or _few_brackets(text)):
                    if remember:
                        _remember(text, op)
                    return op
        except Exception:  # noqa: BLE001, S110 - said above
            pass
        text_tried = None
    else:
        text_tried = text
    if hashed and "\\u" not in text:
        try:
            parsed = _NO_CONSTANTS.decode(text)
        except (ValueError, RecursionError) as exc:
            raise LedgerFormatError(f"payload{_where(seq)} is not valid JSON: {exc}") from None
        return _structured(parsed, seq, text_tried)
    parsed = _parse_fast(text)
    if parsed is _FULL_PARSE:
        try:
            parsed = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
            canonical(parsed)  # what cannot be written back (a lone surrogate "\ud800") is not read either
        except (ValueError, RecursionError) as exc:
            raise LedgerFormatError(f"payload{_where(seq)} is not valid JSON: {exc}") from None
    op = _structured(parsed, seq, text_tried)
    if remember:
        _remember(text, op)
    return op


def _remember(text: str, op: MigrateOperation) -> None:
    # Only what passed the strict checks is handed out again (a hashed read skips one of them).
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.popitem(last=False)
    _RECENT[text] = op


#: Bounds on a payload, checked before it is structured (a crafted payload must cost no more than
#: a normal one of its size): names at most MAX_NAME_BYTES of UTF-8 (PostgreSQL keeps 63 bytes,
#: MySQL/MariaDB 64 characters; SQLite has no limit, apply refuses a longer name there), lists and objects at most MAX_ITEMS long, nesting at most
#: MAX_NESTING, integers within 64 bits, an ARRAY at most MAX_DIMENSIONS deep (PostgreSQL's limit).
MAX_ITEMS = 10_000
MAX_NESTING = 64
_NAME_KEYS = NAME_KEYS
_NAME_LIST_KEYS = NAME_LIST_KEYS


class _OutOfBounds(Exception):
    """A payload beyond the bounds above; turned into LedgerFormatError naming its seq."""


_SHORT_NAME = SHORT_NAME
_INT_MIN, _INT_END = INT_MIN, INT_END


def _bounded(parsed: Any) -> None:
    """Raise _OutOfBounds when ``parsed`` (a payload as JSON values) is beyond the bounds above.

    Written for speed (a fold runs it for every event): one type test per value, names encoded
    only when they are long enough to be too long. JSON values are exactly dict, list, str, int,
    float, bool or None.
    """
    stack: list[tuple[Any, int]] = [(parsed, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        if depth > MAX_NESTING:
            raise _OutOfBounds(f"nests deeper than {MAX_NESTING} levels")
        depth += 1
        if isinstance(value, dict):
            if len(value) > MAX_ITEMS:
                raise _OutOfBounds(f"an object of more than {MAX_ITEMS} keys")
            for k, v in value.items():
                kind = type(v)
                if kind is str:
                    if len(v) > _SHORT_NAME and k in _NAME_KEYS \
                            and len(v.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
                        raise _OutOfBounds(f"{k} is longer than {MAX_NAME_BYTES} bytes")
                elif kind is dict:
                    push((v, depth))
                elif kind is list:
                    if k in _NAME_LIST_KEYS:
                        for item in v:
                            if type(item) is str and len(item) > _SHORT_NAME \
                                    and len(item.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
                                raise _OutOfBounds(f"a name in {k} is longer than {MAX_NAME_BYTES} bytes")
                    push((v, depth))
                elif kind is int:
                    if k == "dimensions" and not 0 <= v <= MAX_DIMENSIONS:
                        raise _OutOfBounds(f"dimensions must be 0 to {MAX_DIMENSIONS}, not {v}")
                    if not _INT_MIN <= v < _INT_END:
                        raise _OutOfBounds(f"{k} is an integer beyond 64 bits")
        elif isinstance(value, list):
            if len(value) > MAX_ITEMS:
                raise _OutOfBounds(f"a list of more than {MAX_ITEMS} items")
            for v in value:
                kind = type(v)
                if kind is dict or kind is list:
                    push((v, depth))
                elif kind is int and not _INT_MIN <= v < _INT_END:
                    raise _OutOfBounds("an integer beyond 64 bits")


#: The longest text in which no list or object can hold more than MAX_ITEMS items (each item
#: takes a character and a comma).
_FEW_ITEMS = 2 * MAX_ITEMS


def _few_brackets(text: str) -> bool:
    """Whether ``text`` has too few brackets to nest beyond MAX_NESTING."""
    return text.count("{") + text.count("[") <= MAX_NESTING


def _within_bounds_once_structured(text: str) -> bool:
    """Whether ``text`` is within the bounds the walk checks as soon as its structuring succeeds: the
    structure functions check names, integers and an ARRAY's dimensions as they take them
    (``payload.bounds_checked``); the text is too short for a list or an object beyond MAX_ITEMS and
    has too few brackets to nest beyond MAX_NESTING. Two scans of the text in C, where the walk
    visits every value in Python."""
    return len(text) <= _FEW_ITEMS and _few_brackets(text) and bounds_checked()


def _structured(parsed: Any, seq: int | None, text: str | None = None) -> MigrateOperation:
    if text is not None and _within_bounds_once_structured(text):
        # Structured first; anything wrong (out of bounds or malformed) takes the path below,
        # which reports what the walk finds before what structuring finds, as always.
        try:
            op = from_payload(parsed)
        except Exception:  # noqa: BLE001, S110 - said below
            pass
        else:
            if bounds_checked():  # still: no unchecked op class met while structuring this one
                return op
    try:
        _bounded(parsed)
    except _OutOfBounds as exc:
        raise LedgerFormatError(f"payload{_where(seq)} is out of bounds: {exc}") from None
    try:
        return from_payload(parsed)
    except LedgerFormatError as exc:
        raise LedgerFormatError(f"payload{_where(seq)}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - every way a payload can be wrong becomes one error
        raise LedgerFormatError(f"malformed payload{_where(seq)}: {_reason(exc)}") from None


#: Payloads decoded lately (text -> op), oldest first. An op is an immutable value, so the same
#: one can be handed out again: verify decodes each event for the fold and again for the chain
#: check. An OrderedDict, because dropping the oldest key of a plain dict walks the slots its
#: earlier deletions left at the front (a tenth of the time of a decode once it was full).
_RECENT: OrderedDict[str, MigrateOperation] = OrderedDict()
_RECENT_SIZE = 4096


_FULL_PARSE = object()


def _parse_fast(text: str) -> Any:
    """``text`` parsed strictly when that can be done at C speed; else _FULL_PARSE (the full
    strict parse then reads it, and says what is wrong).

    What the strict parse refuses beyond plain JSON is what makes a payload ambiguous or not
    writable back: a key given twice, NaN or Infinity, a lone surrogate. The C scanner refuses the
    constants through its hook (called only when it meets one) and calls the duplicate check once
    per object; a lone surrogate can only come as a ``\\u`` escape (such text takes the full
    parse, which writes the value back to find one) or as a raw character in ``text`` (a str
    passed in: then it does not encode). This takes a third of the time the earlier proof did (a
    plain parse, then a second encoding compared with the text) for the same refusals.
    """
    if "\\u" in text:
        return _FULL_PARSE
    try:
        # The C scanner itself, without json.loads's Python wrapper (two whitespace matches and a
        # check): text with whitespace around the value takes the full parse.
        parsed, end = _STRICT_SCAN(text, 0)
        if end == len(text):
            if not text.isascii():
                text.encode("utf-8")  # a raw lone surrogate does not encode (UnicodeEncodeError is a ValueError)
            return parsed
    except (ValueError, RecursionError, StopIteration):
        pass
    return _FULL_PARSE


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, and canonical() refuses to write them.
    raise ValueError(f"{name} is not allowed")


#: A plain parse that refuses NaN and Infinity (the C scanner calls the hook only when it meets one).
_NO_CONSTANTS = json.JSONDecoder(parse_constant=_no_constant)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A key given twice makes the bytes ambiguous: readers may keep either value.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"key {twice!r} appears twice")
    return result


#: The strict parse's scanner: NaN and Infinity refused, every object checked for a key given twice.
_STRICT_SCAN = json.JSONDecoder(parse_constant=_no_constant, object_pairs_hook=_no_duplicates).scan_once
#: The fast parse's scanner: NaN and Infinity refused, every object the tuple of its (key, value)
#: pairs (a C call per object; the structure functions make the dict and refuse a key given twice).
_PAIRS_SCAN = json.JSONDecoder(parse_constant=_no_constant, object_pairs_hook=tuple).scan_once


def _reason(exc: BaseException) -> str:
    cattrs = sys.modules.get("cattrs")  # loaded with the payload converter: a cattrs error only then
    if cattrs is not None and isinstance(exc, cattrs.BaseValidationError) and exc.exceptions:
        return _reason(exc.exceptions[0])
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]


# ---------------------------------------------------------------------------------------------
# Records: what the ledger stores that is not an op (a drill's report)
# ---------------------------------------------------------------------------------------------

#: ``legacy(parsed) -> record or None``: reads a payload written before records had an envelope.
LegacyReader = Callable[[Any], "dict[str, Any] | None"]


class _RecordType(Value):
    version: int
    legacy: LegacyReader | None
    upcasters: dict[int, Upcaster]

    __slots__ = ("version", "legacy", "upcasters")

    def __init__(self, version: int, legacy: LegacyReader | None, upcasters: dict[int, Upcaster]) -> None:
        _set = object.__setattr__
        _set(self, "version", version)
        _set(self, "legacy", legacy)
        _set(self, "upcasters", upcasters)


_RECORDS: dict[str, _RecordType] = {}
_RECORD_KEYS = frozenset(("type", "v", "record"))


def register_record(tag: str, *, version: int = 1, legacy: LegacyReader | None = None,
                    upcasters: dict[int, Upcaster] | None = None) -> None:
    """Make ``tag`` a record the ledger can store: written as ``{"record": {...}, "type": tag,
    "v": version}``; ``upcasters[n]`` turns version n into n + 1 on read; ``legacy`` reads what
    was stored before the envelope (None: nothing was)."""
    _RECORDS[tag] = _RecordType(version, legacy, dict(upcasters or {}))


def encode_record(tag: str, record: dict[str, Any]) -> bytes:
    """The canonical bytes of ``record`` under its type tag and current version."""
    kind = _RECORDS.get(tag)
    if kind is None:
        raise LedgerFormatError(f"{tag!r} is not a registered record type")
    return canonical({"type": tag, "v": kind.version, "record": record})


def decode_record(data: bytes | str | None, tag: str, *, seq: int | None = None) -> dict[str, Any]:
    """The record of type ``tag`` stored as ``data`` (upcast to the current version); anything else,
    or anything malformed, raises LedgerFormatError naming ``seq``."""
    kind = _RECORDS.get(tag)
    if kind is None:
        raise LedgerFormatError(f"{tag!r} is not a registered record type")
    if data is None:
        raise LedgerFormatError(f"record{_where(seq)} is empty")
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if len(text) > MAX_PAYLOAD_BYTES:
        raise LedgerFormatError(f"record{_where(seq)} is larger than {MAX_PAYLOAD_BYTES} bytes")
    try:
        parsed = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise LedgerFormatError(f"record{_where(seq)} is not valid JSON: {exc}") from None
    if isinstance(parsed, dict) and parsed.keys() == _RECORD_KEYS:
        if parsed["type"] != tag:
            raise LedgerFormatError(f"record{_where(seq)} is a {parsed['type']!r}, not a {tag!r}")
        version, record = parsed["v"], parsed["record"]
        if type(version) is not int or not 1 <= version <= kind.version:
            raise LedgerFormatError(f"record{_where(seq)}: unknown version {version!r} of {tag}")
        while version < kind.version and isinstance(record, dict):
            upcast = kind.upcasters.get(version)
            if upcast is None:
                raise LedgerFormatError(f"record{_where(seq)}: no upcaster from version {version} of {tag}")
            record = upcast(record)
            version += 1
    else:
        record = kind.legacy(parsed) if kind.legacy is not None else None
    if not isinstance(record, dict):
        raise LedgerFormatError(f"record{_where(seq)} is not a {tag} record")
    return record


#: A rollback drill's report (``drill --record``).
DRILL_RECORD = "schema-ledger/drill"


def _drill_before_envelope(parsed: Any) -> dict[str, Any] | None:
    """Drill reports were stored as the report's JSON with ``format`` and ``version`` inside."""
    if isinstance(parsed, dict) and parsed.get("format") == DRILL_RECORD and parsed.get("version") == 1:
        return {k: v for k, v in parsed.items() if k not in ("format", "version")}
    return None


register_record(DRILL_RECORD, version=1, legacy=_drill_before_envelope)
