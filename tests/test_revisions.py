"""Migration files -> revisions: recording, checksums, the chain, and one-line errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.project.revisions import (
    RevisionChain,
    RevisionError,
    checksum,
    load_revision,
    load_revisions,
    new_revision_file,
)
from ops import AddColumnOp, CreateIndexOp, CreateTableOp, ExecuteSQLOp
from tests.builders import BAD_CASES, CUSTOMERS, rev, write


def test_a_file_records_its_ops_in_steps(tmp_path: Path) -> None:
    revision = load_revision(write(tmp_path, "c1.py", CUSTOMERS))
    assert revision.id == "c1"
    assert revision.down_revision is None
    assert revision.message == "Customers.\n\nWho buys things."
    assert revision.title == "Customers."
    assert [type(op) for op in revision.ops] == [CreateTableOp, AddColumnOp, CreateIndexOp, ExecuteSQLOp]
    assert [(s.batch, len(s.ops)) for s in revision.steps] == [(False, 1), (True, 2), (False, 1)]
    assert revision.steps[1].table_name == "customer"
    assert revision.checksum == checksum(revision.ops)


def test_naming_convention_names_unnamed_constraints(tmp_path: Path) -> None:
    path = write(tmp_path, "c1.py", CUSTOMERS)
    default = load_revision(path)
    table = default.ops[0].table  # type: ignore[attr-defined]
    assert [u.name for u in table.uniques] == ["uq_customer_email"]
    custom = load_revision(path, naming_convention={"uq": "unique_%(table_name)s_%(column_0_name)s"})
    assert [u.name for u in custom.ops[0].table.uniques] == ["unique_customer_email"]  # type: ignore[attr-defined]
    assert custom.checksum != default.checksum


def test_checksum_ignores_formatting_and_sees_changes(tmp_path: Path) -> None:
    original = load_revision(write(tmp_path / "a", "c1.py", CUSTOMERS))
    reformatted = CUSTOMERS.replace('"customer",\n', "'customer',  # the table\n").replace("    Who buys things.\n", "")
    assert load_revision(write(tmp_path / "b", "c1.py", reformatted)).checksum == original.checksum
    changed = CUSTOMERS.replace("String(80)", "String(81)")
    assert load_revision(write(tmp_path / "c", "c1.py", changed)).checksum != original.checksum


def test_loading_imports_nothing_permanently(tmp_path: Path) -> None:
    import sys

    before = set(sys.modules)
    load_revision(write(tmp_path, "c1.py", CUSTOMERS))
    assert not [m for m in set(sys.modules) - before if "migration" in m]


# ---------------------------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------------------------


@given(st.lists(st.text("abcdef0123456789", min_size=3, max_size=8), min_size=1, max_size=6, unique=True),
       st.randoms())
def test_chain_order_follows_parents_not_file_names(ids: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        names = [f"f{i}.py" for i in range(len(ids))]
        rnd.shuffle(names)
        parent = None
        for rid, name in zip(ids, names, strict=True):
            write(Path(folder), name, rev(rid, parent))
            parent = rid
        chain = load_revisions(Path(folder))
    assert chain.ids == tuple(ids)
    assert chain.head is not None and chain.head.id == ids[-1]
    assert chain.upto(ids[0]) == chain.revisions[:1]


def test_resolve_by_prefix(tmp_path: Path) -> None:
    write(tmp_path, "a.py", rev("abc123", None))
    write(tmp_path, "b.py", rev("abd456", "abc123"))
    chain = load_revisions(tmp_path)
    assert chain.resolve("abc").id == "abc123"
    assert chain.resolve("head").id == "abd456"
    with pytest.raises(RevisionError, match="ambiguous"):
        chain.resolve("ab")
    with pytest.raises(RevisionError, match="no revision 'zz'"):
        chain.resolve("zz")


def test_empty_folder_is_an_empty_chain(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "__init__.py").write_text("")
    assert load_revisions(tmp_path / "m") == RevisionChain(())


# Each malformed case: (files, the file the error names, line or None, words in the message)
@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_malformed_files_give_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    files, culprit, line, words = BAD_CASES[case]
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(RevisionError) as info:
        load_revisions(tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert words in message
    where = str(tmp_path / culprit)
    assert message.startswith(f"{where}:{line}: " if line else f"{where}: "), message


def test_new_revision_file_loads_and_chains(tmp_path: Path) -> None:
    first = new_revision_file(tmp_path, 'Add "customers" table', None)
    chain = load_revisions(tmp_path)
    assert chain.head is not None and chain.head.message == 'Add "customers" table'
    assert first.name.endswith("_add_customers_table.py")
    second = new_revision_file(tmp_path, "Next", chain.head.id)
    chain = load_revisions(tmp_path)
    assert len(chain) == 2 and chain.head.path == second and chain.head.ops == ()
