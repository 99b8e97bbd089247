"""Migration files -> revisions: recording, checksums, the chain, and one-line errors for bad files."""

from __future__ import annotations

import textwrap
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


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def rev(rid: str, parent: str | None, body: str = "op.execute('SELECT 1')", doc: str = "A revision.") -> str:
    return f'"""{doc}"""\nimport sqlalchemy as sa\n\nrevision = {rid!r}\ndown_revision = {parent!r}\n\n\ndef upgrade(op):\n    {body}\n'


CUSTOMERS = '''
    """Customers.

    Who buys things.
    """
    import sqlalchemy as sa

    revision = "c1"
    down_revision = None


    def upgrade(op):
        op.create_table(
            "customer",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("email", sa.String(200), nullable=False, unique=True),
        )
        with op.batch_alter_table("customer") as batch_op:
            batch_op.add_column(sa.Column("name", sa.String(80)))
            batch_op.create_index("ix_customer_name", ["name"])
        op.execute("UPDATE customer SET name = email", reverse_sql="UPDATE customer SET name = NULL")
'''


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
BAD_CASES = {
    "syntax error": ({"a.py": rev("a", None), "b.py": rev("b", "a", body="op.execute('x'")}, "b.py", 9, "SyntaxError"),
    "import error": (
        {"a.py": "import no_such_module_xyz\n" + rev("a", None)}, "a.py", 1, "ModuleNotFoundError"),
    "upgrade raises": ({"a.py": rev("a", None, body="op.drop_column('t')")}, "a.py", 9, "upgrade() raised TypeError"),
    "upgrade divides by zero": (
        {"a.py": rev("a", None, body="x = 1\n    y = x / 0")}, "a.py", 10, "ZeroDivisionError"),
    "missing parent": ({"a.py": rev("a", None), "b.py": rev("b", "zz")}, "b.py", None, "down_revision zz of b does not exist"),
    "two heads": ({"a.py": rev("a", None), "b.py": rev("b", "a"), "c.py": rev("c", "a")}, "c.py", None, "two heads"),
    "two roots": ({"a.py": rev("a", None), "b.py": rev("b", None)}, "b.py", None, "two first revisions"),
    "duplicate id": ({"a.py": rev("a", None), "b.py": rev("a", None)}, "b.py", None, "duplicate revision id a"),
    "cycle": ({"a.py": rev("a", None), "b.py": rev("b", "c"), "c.py": rev("c", "b")}, "b.py", None, "cycle: b -> c -> b"),
    "self parent": ({"a.py": rev("a", "a")}, "a.py", None, "names itself"),
    "no revision": ({"a.py": "down_revision = None\ndef upgrade(op):\n    pass\n"}, "a.py", None, "`revision` must be"),
    "no down_revision": ({"a.py": "revision = 'a'\ndef upgrade(op):\n    pass\n"}, "a.py", None, "`down_revision` is missing"),
    "no upgrade": ({"a.py": "revision = 'a'\ndown_revision = None\n"}, "a.py", None, "no `def upgrade(op):`"),
    "a downgrade": (
        {"a.py": rev("a", None) + "\n\ndef downgrade(op):\n    pass\n"}, "a.py", None, "defines downgrade()"),
    "invalid op": (
        {"a.py": rev("a", None, body="op.add_column('t', sa.Column('id', sa.Integer, primary_key=True))")},
        "a.py", 9, "upgrade(): add_column t.id: add the column, then create_primary_key"),
}


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
