"""The cache of loaded migration files: a cached load is exactly a fresh load, an edited file is
loaded again, and a corrupt, stale, unwritable or switched-off cache changes nothing but speed."""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.project import revision_cache
from ledger.format import codec
from ledger.project import revisions
from ledger.schema.autogenerate import revision_text
from ledger.project.revision_cache import CACHE_ENV, CACHE_FILE, file_digest
from ledger.project.revisions import Revision, RevisionChain, load_revisions
from tests import strategies
from tests.builders import CUSTOMERS, write

SECOND = '''
    """Orders."""
    import sqlalchemy as sa

    revision = "o2"
    down_revision = "c1"


    def upgrade(op):
        op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True))
'''


def project(folder: Path) -> Path:
    write(folder, "c1_customers.py", CUSTOMERS)
    write(folder, "o2_orders.py", SECOND)
    return folder


def fields(revision: Revision) -> tuple[object, ...]:
    return (revision.id, revision.down_revision, revision.message, revision.path, revision.checksum,
            revision.op_count, revision.steps)


@contextlib.contextmanager
def files_run() -> Iterator[list[Path]]:
    """The migration files that are run (not read from the cache) inside the block."""
    ran: list[Path] = []
    real = revisions._load

    def load(path: Path, *args: object) -> object:
        ran.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    with mock.patch.object(revisions, "_load", load):
        yield ran


def load_twice(folder: Path, **kw: object) -> tuple[RevisionChain, RevisionChain, list[Path]]:
    fresh = load_revisions(folder, **kw)  # type: ignore[arg-type]
    with files_run() as ran:
        cached = load_revisions(folder, **kw)  # type: ignore[arg-type]
    return fresh, cached, ran


def test_a_cached_load_is_the_fresh_load_and_runs_no_file(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    fresh, cached, ran = load_twice(folder)
    assert ran == []
    assert (folder / CACHE_FILE).is_file()
    assert [fields(r) for r in cached] == [fields(r) for r in fresh]
    assert cached.revisions == fresh.revisions
    assert [s.batch for s in cached.revisions[0].steps] == [False, True, False]


def test_a_cached_revision_decodes_its_ops_only_when_asked(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    load_revisions(folder)
    with mock.patch.object(codec, "decode", side_effect=AssertionError("decoded")):
        chain = load_revisions(folder)
        assert [(r.id, r.op_count) for r in chain] == [("c1", 4), ("o2", 1)]
        with pytest.raises(AssertionError, match="decoded"):
            chain.revisions[0].ops  # noqa: B018 - the access is the test


@given(st.lists(strategies.histories(irreversible=True, max_ops=5), min_size=1, max_size=3))
def test_cached_loads_of_generated_files_equal_fresh_loads(histories: list[tuple[object, list]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "migrations"
        folder.mkdir()
        parent = None
        for number, (_start, ops) in enumerate(histories):
            rid = f"r{number:03d}"
            (folder / f"{rid}.py").write_text(revision_text(f"revision {number}", rid, parent, ops), encoding="utf-8")
            parent = rid
        fresh, cached, ran = load_twice(folder)
        assert [fields(r) for r in cached] == [fields(r) for r in fresh]
        # Files that import only SQLAlchemy (and its dialects) are served from the cache.
        pure = [p for p in sorted(folder.glob("*.py")) if "\nfrom " not in p.read_text().replace(
            "from sqlalchemy.dialects import", "")]
        assert not set(pure) & set(ran)


def test_an_edited_file_is_loaded_again(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    before = load_revisions(folder)
    write(folder, "o2_orders.py", SECOND.replace('"orders"', '"orders2"'))
    with files_run() as ran:
        after = load_revisions(folder)
    assert ran == [folder / "o2_orders.py"]
    assert after.revisions[1].checksum != before.revisions[1].checksum
    assert after.revisions[1].ops[0].table_name == "orders2"  # type: ignore[attr-defined]
    with files_run() as ran:
        again = load_revisions(folder)
    assert ran == [] and again.revisions == after.revisions


def test_a_file_with_the_same_bytes_elsewhere_in_time_is_the_same_entry(tmp_path: Path) -> None:
    """Putting back the old bytes finds their entry only if it is still there: entries of replaced
    bytes are dropped, so the file is run once more."""
    folder = project(tmp_path / "migrations")
    load_revisions(folder)
    original = (folder / "o2_orders.py").read_bytes()
    write(folder, "o2_orders.py", SECOND.replace('"orders"', '"orders2"'))
    load_revisions(folder)
    (folder / "o2_orders.py").write_bytes(original)
    with files_run() as ran:
        load_revisions(folder)
    assert ran == [folder / "o2_orders.py"]


def test_a_removed_file_leaves_the_cache(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    load_revisions(folder)
    (folder / "o2_orders.py").unlink()
    load_revisions(folder)
    body = (folder / CACHE_FILE).read_bytes().partition(b"\n")[2]
    assert set(json.loads(body)) == {"c1_customers.py"}


def _rewrite_body(folder: Path, change: object) -> None:
    """Change the entries and write them back with a matching digest: well-formed JSON, wrong content."""
    path = folder / CACHE_FILE
    header_text, _, body = path.read_bytes().partition(b"\n")
    files = json.loads(body)
    change(files)  # type: ignore[operator]
    new_body = json.dumps(files).encode()
    header = json.loads(header_text)
    header["sha256"] = file_digest(new_body)
    path.write_bytes(json.dumps(header).encode() + b"\n" + new_body)


CORRUPTIONS = {
    "garbage": lambda folder: (folder / CACHE_FILE).write_bytes(b"\x00\xff not json"),
    "empty": lambda folder: (folder / CACHE_FILE).write_bytes(b""),
    "truncated": lambda folder: (folder / CACHE_FILE).write_bytes((folder / CACHE_FILE).read_bytes()[:200]),
    "a bit flipped": lambda folder: (folder / CACHE_FILE).write_bytes(
        (folder / CACHE_FILE).read_bytes().replace(b'"o2"', b'"o3"')),
    "another format": lambda folder: (folder / CACHE_FILE).write_bytes(
        (folder / CACHE_FILE).read_bytes().replace(b'"format": 1', b'"format": 99')),
    "a list": lambda folder: (folder / CACHE_FILE).write_bytes(b"[1, 2]\n[]"),
    "wrong types": lambda folder: _rewrite_body(folder, lambda files: files["o2_orders.py"].update(steps="x")),
    "a step without ops": lambda folder: _rewrite_body(
        folder, lambda files: files["o2_orders.py"]["steps"][0].pop("ops")),
    "a directory": lambda folder: ((folder / CACHE_FILE).unlink(), (folder / CACHE_FILE).mkdir()),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupt_cache_is_ignored(tmp_path: Path, corruption: str) -> None:
    folder = project(tmp_path / "migrations")
    fresh = load_revisions(folder)
    CORRUPTIONS[corruption](folder)
    with files_run() as ran:
        again = load_revisions(folder)
    assert ran, "a corrupt entry must not be used"
    assert [fields(r) for r in again] == [fields(r) for r in fresh]


def test_a_corrupt_cache_is_written_anew(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    load_revisions(folder)
    CORRUPTIONS["garbage"](folder)
    load_revisions(folder)
    with files_run() as ran:
        load_revisions(folder)
    assert ran == []


def test_a_payload_that_no_longer_decodes_falls_back_to_the_file(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    fresh = load_revisions(folder)

    def unknown_type(files: dict) -> None:
        files["o2_orders.py"]["steps"][0]["ops"] = ['{"op":{},"type":"no_such_op","v":1}']

    _rewrite_body(folder, unknown_type)
    cached = load_revisions(folder)
    assert cached.revisions[1].steps == fresh.revisions[1].steps


def test_an_unwritable_cache_folder_breaks_nothing(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    with mock.patch.object(revision_cache.tempfile, "mkstemp", side_effect=PermissionError("read-only")):
        fresh = load_revisions(folder)
        again = load_revisions(folder)
    assert not (folder / CACHE_FILE).exists()
    assert again.revisions == fresh.revisions


def test_a_pycache_that_is_a_file_breaks_nothing(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    (folder / "__pycache__").write_text("not a folder")
    fresh = load_revisions(folder)
    assert load_revisions(folder).revisions == fresh.revisions
    assert (folder / "__pycache__").read_text() == "not a folder"


def test_a_read_only_folder_breaks_nothing(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    fresh = load_revisions(folder)
    cache = folder / CACHE_FILE
    shutil.rmtree(cache.parent)
    with mock.patch.object(revision_cache.os, "replace", side_effect=OSError(30, "Read-only file system")):
        assert load_revisions(folder).revisions == fresh.revisions
    assert not cache.exists()
    assert [p.name for p in cache.parent.iterdir()] == []  # no temporary file left behind


def test_a_file_that_imports_project_code_is_never_cached(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    write(folder, "a.py", '''
        """Reads the outside world."""
        import os

        revision = "a"
        down_revision = None


        def upgrade(op):
            op.execute(os.environ.get("SCHEMA_LEDGER_TEST_SQL", "SELECT 1"))
        ''')
    write(folder, "b.py", '''
        """Pure."""
        revision = "b"
        down_revision = "a"


        def upgrade(op):
            op.execute("SELECT 2")
        ''')
    load_revisions(folder)
    with files_run() as ran:
        load_revisions(folder)
    assert ran == [folder / "a.py"]


@pytest.mark.parametrize("source, pure", [
    ("import sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql", True),
    ("from __future__ import annotations\nimport enum, decimal, typing, textwrap", True),
    ("from ops import AddColumnOp", True),
    ("import os", False),
    ("from . import helpers", False),
    ("from .sqlalchemy import x", False),
    ("import myproject.models", False),
    ("def upgrade(op):\n    import json", False),
    ("def upgrade(op):\n    op.execute(open('x.sql').read())", False),
    ("X = eval('1')", False),
    ("X = __import__('os')", False),
])
def test_what_may_be_cached(source: str, pure: bool) -> None:
    assert revision_cache.cacheable(compile(source, "m.py", "exec")) is pure


def test_another_naming_convention_is_another_cache(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    load_revisions(folder)
    with files_run() as ran:
        load_revisions(folder, naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    assert len(ran) == 2


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = project(tmp_path / "migrations")
    monkeypatch.setenv(CACHE_ENV, "0")
    load_revisions(folder)
    assert not (folder / CACHE_FILE).exists()
    with files_run() as ran:
        load_revisions(folder)
    assert len(ran) == 2


def test_a_deleted_cache_is_made_again(tmp_path: Path) -> None:
    folder = project(tmp_path / "migrations")
    fresh = load_revisions(folder)
    shutil.rmtree(folder / "__pycache__")
    assert load_revisions(folder).revisions == fresh.revisions
    assert (folder / CACHE_FILE).is_file()
