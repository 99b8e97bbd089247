"""The structure functions ``ledger.format.payload`` writes for the op and spec classes, made from
their source: the code of those the vocabulary's classes have is written out in
``ledger/format/structures/`` (:func:`structurecode_texts`, a module for each module of ``ops``) and
loaded with its bytecode instead of compiled at each start (compiling them was some 37,000 characters of source
a run that reads payloads of every kind). A source the file does not hold word for word (a plugin's
op class, a class changed since the file was written) is compiled as before;
tests/test_codec.py checks that the file is what this module writes.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
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
    """The code of the function ``source`` defines as ``ledger/format/structures/`` holds it (None: it
    holds no function of that file name, or one of another source), with the names and lines compiling
    ``source`` as ``filename`` gives."""
    module = _module_of(filename)
    if module is None:
        return None
    try:
        entry = importlib.import_module(f"ledger.format.structures.{module}").WRITTEN.get(filename)
    except ImportError:
        return None
    if entry is None or entry[0] != digest(source):
        return None
    code = entry[1].__code__
    return _placed(code, filename, 1 - code.co_firstlineno, len(code.co_name)).replace(co_name="structure")


def _module_of(filename: str) -> str | None:
    """The module of ``ops`` whose class the structure function of file name ``filename`` is for
    (``<structure ops.column.AddColumnOp>``: ``column``); None: a class from elsewhere."""
    if not filename.startswith("<structure ops."):
        return None
    module = filename[len("<structure ops."):].partition(".")[0]
    return module if module.isidentifier() else None


def _placed(code: types.CodeType, filename: str, shift: int, written_name: int) -> types.CodeType:
    """``code`` (and the code nested in it: a generator expression's) as compiled from its own source:
    its file, its lines, ``structure`` for the written name (``written_name`` characters) in its qualified name."""
    consts = tuple(_placed(c, filename, shift, written_name) if isinstance(c, types.CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=filename, co_firstlineno=code.co_firstlineno + shift, co_consts=consts,
                        co_qualname="structure" + code.co_qualname[written_name:])


def structurecode_texts(made: dict[str, str]) -> dict[str, str]:
    """The text of each module of ``ledger/format/structures/`` (by its name: the module of ``ops``
    whose classes it holds) for the structure functions ``made`` (file name -> source)."""
    import re  # only to write ledger/format/structures/

    by_module: dict[str, list[str]] = {}
    for name in sorted(made):
        module = _module_of(name)
        if module is not None:
            by_module.setdefault(module, []).append(name)
    texts = {}
    for module, keys in by_module.items():
        lines = [f'"""The structure functions of the classes of ``ops.{module}`` (``ledger.format.payload``), written',
                 "out (``ledger.format.structuring.structurecode_texts``): loaded with this module's bytecode instead",
                 "of compiled at each start. Each function's names are its keyword-only parameters, bound when it",
                 'is made (``structuring.function``)."""', "",
                 "# Written by ledger.format.structuring.structurecode_texts; tests/test_codec.py checks it is what",
                 "# that writes.", ""]
        for number, key in enumerate(keys):
            first, _, body = made[key].partition("\n")
            # The names as parameters whose defaults are None here (``function`` binds them).
            first = re.sub(r"\b(\w+)=\1\b", r"\1=None",
                           first.replace("def structure(", f"def _structure{number}(", 1))
            lines += ["", first, body, ""]
        lines += ["", "#: the structure function's file name -> (the SHA-256 of its source, the function written "
                  "from it)", "WRITTEN = {"]
        lines += [f"    {key!r}: ({digest(made[key])!r}, _structure{number})," for number, key in enumerate(keys)]
        texts[module] = "\n".join([*lines, "}", ""])
    return texts
