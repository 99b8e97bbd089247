"""The structure functions ``ledger.format.payload`` writes for the op and spec classes, made from
their source: the code of those the vocabulary's classes have is written out in
``ledger/format/structurecode.py`` (:func:`structurecode_text`) and loaded with that module's
bytecode instead of compiled at each start (compiling them was some 37,000 characters of source
a run that reads payloads of every kind). A source the file does not hold word for word (a plugin's
op class, a class changed since the file was written) is compiled as before;
tests/test_codec.py checks that the file is what this module writes.
"""

from __future__ import annotations

import builtins
import hashlib
import types
from collections.abc import Callable
from typing import Any

#: the source of each structure function made in this process, by its file name (``<structure
#: MODULE.CLASS>``): what :func:`structurecode_text` writes out
MADE: dict[str, str] = {}


def digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def function(source: str, filename: str, names: dict[str, Any]) -> Callable[[Any, Any], Any]:
    """The function ``structure`` that ``source`` defines, its names (every one a keyword-only
    parameter whose default is the value ``names`` gives it) bound as ``exec`` of the source binds them."""
    MADE[filename] = source
    code = written(filename, source)
    if code is None:
        exec(compile(source, filename, "exec"), names)  # noqa: S102
        return names["structure"]  # type: ignore[no-any-return]
    defaults = dict(names)
    names["__builtins__"] = builtins
    made = types.FunctionType(code, names, "structure", (None,))
    made.__kwdefaults__ = defaults
    return made


def written(filename: str, source: str) -> types.CodeType | None:
    """The code of the function ``source`` defines as ``structurecode.py`` holds it (None: it holds
    no function of that file name, or one of another source), with the names and lines compiling
    ``source`` as ``filename`` gives."""
    from ledger.format import structurecode

    entry = structurecode.WRITTEN.get(filename)
    if entry is None or entry[0] != digest(source):
        return None
    code = entry[1].__code__
    return _placed(code, filename, 1 - code.co_firstlineno, len(code.co_name)).replace(co_name="structure")


def _placed(code: types.CodeType, filename: str, shift: int, written_name: int) -> types.CodeType:
    """``code`` (and the code nested in it: a generator expression's) as compiled from its own source:
    its file, its lines, ``structure`` for the written name (``written_name`` characters) in its qualified name."""
    consts = tuple(_placed(c, filename, shift, written_name) if isinstance(c, types.CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=filename, co_firstlineno=code.co_firstlineno + shift, co_consts=consts,
                        co_qualname="structure" + code.co_qualname[written_name:])


def structurecode_text(made: dict[str, str]) -> str:
    """The text of ``ledger/format/structurecode.py`` for the structure functions ``made`` (file
    name -> source) of the vocabulary's classes (``ops``)."""
    import re  # only to write ledger/format/structurecode.py

    keys = sorted(name for name in made if name.startswith("<structure ops."))
    lines = ['"""The structure functions of the vocabulary\'s op and spec classes (``ledger.format.payload``),',
             "written out (``ledger.format.structuring.structurecode_text``): loaded with this module's bytecode",
             "instead of compiled at each start. Each function's names are its keyword-only parameters, bound",
             'when it is made (``structuring.function``)."""', "",
             "# Written by ledger.format.structuring.structurecode_text; tests/test_codec.py checks it is",
             "# what that writes.", ""]
    for number, key in enumerate(keys):
        first, _, body = made[key].partition("\n")
        # The names as parameters whose defaults are None here (``function`` binds them).
        first = re.sub(r"\b(\w+)=\1\b", r"\1=None", first.replace("def structure(", f"def _structure{number}(", 1))
        lines += ["", first, body, ""]
    lines += ["", "#: the structure function's file name -> (the SHA-256 of its source, the function written from it)",
              "WRITTEN = {"]
    lines += [f"    {key!r}: ({digest(made[key])!r}, _structure{number})," for number, key in enumerate(keys)]
    return "\n".join([*lines, "}", ""])
