"""The codec's field types (``ledger.format.unstructure.resolved_fields``) are those
``attrs.resolve_types`` gives: ``typing.get_type_hints`` of the class, set on its fields."""

from __future__ import annotations

import os
import subprocess
import sys
import typing

import attrs

from ledger.format.unstructure import resolved_fields

#: a name the annotations below read from this module
Pairs = tuple[tuple[str, typing.Any], ...]


@attrs.frozen
class _Base:
    a: int
    b: str | None = None


@attrs.frozen
class _Child(_Base):
    c: tuple[_Base, ...] = ()
    d: Pairs = ()
    e: typing.Optional[_Base] = None  # noqa: UP007 - the typing spelling on purpose


@attrs.frozen
class _Redeclared(_Child):
    a: bool = False  # the subclass's annotation is the one that counts


@attrs.frozen
class _Quoted(_Base):
    f: "list[_Base]" = attrs.field(factory=list)  # noqa: UP037 - a quoted name inside the text: attrs' own way


def test_fresh_classes_resolve_as_attrs_resolves_them() -> None:
    for cls in (_Child, _Redeclared, _Base, _Quoted):
        assert getattr(cls, "__attrs_types_resolved__", None) is not cls
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = resolved_fields(cls)
        assert [f.name for f in fields] == [f.name for f in attrs.fields(cls)]
        assert {f.name: f.type for f in fields} == {name: hints[name] for name in (f.name for f in fields)}
        assert cls.__attrs_types_resolved__ is cls  # type: ignore[attr-defined]
    assert attrs.fields(_Redeclared).a.type is bool
    assert attrs.fields(_Child).b.type == (str | None)
    assert attrs.fields(_Child).d.type == Pairs
    assert attrs.fields(_Quoted).f.type == list[_Base]


_VOCABULARY = """
import typing, attrs
import ledger.alembic
from ops import OP_TYPES
from ledger.format.unstructure import resolved_fields
seen, todo, compared = set(), list(OP_TYPES.values()), 0
while todo:
    cls = todo.pop()
    if cls in seen or not attrs.has(cls):
        continue
    seen.add(cls)
    assert getattr(cls, "__attrs_types_resolved__", None) is not cls, cls
    hints = typing.get_type_hints(cls, include_extras=True)
    for f in resolved_fields(cls):
        assert f.type == hints[f.name], (cls, f.name, f.type, hints[f.name])
        compared += 1
        for arg in (f.type, *typing.get_args(f.type)):
            for inner in (typing.get_args(arg) or (arg,)):
                if isinstance(inner, type) and attrs.has(inner):
                    todo.append(inner)
print(len(seen), compared)
"""


def test_the_vocabulary_resolves_as_attrs_resolves_it() -> None:
    # a fresh process: no class of the vocabulary resolved yet by the converter or another test
    ran = subprocess.run([sys.executable, "-c", _VOCABULARY], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=False)
    assert ran.returncode == 0, ran.stderr
    classes, fields = map(int, ran.stdout.split())
    assert classes > 20 and fields > 100
