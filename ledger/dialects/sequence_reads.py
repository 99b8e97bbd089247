"""What a database can say of one of its sequences as it stands (:class:`SequenceReads`, a base of
``Database``): what the reverse of SQL text that alters or drops it is written from."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import sqlalchemy as sa

    from .sequences import SequenceNow

__all__ = ["SequenceReads"]


class SequenceReads:
    """A database's reads and spellings of one sequence; a database without sequences has none."""

    #: SQL text of an ``execute`` op may hold several statements, which run as one (PostgreSQL's
    #: drivers send text without parameters as one simple query): a reverse can make a sequence
    #: and then set where it stands
    sql_text_holds_statements: ClassVar[bool] = False
    #: ``ALTER SEQUENCE ... AS type`` states the sequence's type (PostgreSQL's)
    sequence_types: ClassVar[bool] = False
    #: how ``ALTER SEQUENCE`` says the sequence does not cycle
    no_cycle: ClassVar[str] = "NO CYCLE"
    #: a statement that fails aborts the transaction it runs in (PostgreSQL's): a read made inside
    #: a migration's transaction runs under a SAVEPOINT, so that its failure leaves that transaction as it was
    failure_aborts_transaction: ClassVar[bool] = False

    def sequence_now(self, conn: sa.Connection, schema: str | None, name: str, *,
                     dropping: bool = False) -> SequenceNow | None:
        """The sequence ``name`` of ``schema`` (the default one: None), a column's too, as the
        database holds it now: its options, the value it gives next and the column that owns it;
        None when it holds no such sequence (or has no sequences). ``dropping``: it is about to be
        dropped, so where the database tells the value it gives next only by giving it (MariaDB,
        whose catalog holds where it stands past the values the server cached), that value is drawn."""
        return None

    def sequence_dependents(self, conn: sa.Connection, schema: str | None,
                            name: str) -> tuple[list[tuple[str, str, str]], list[str]]:
        """What a ``DROP SEQUENCE ... CASCADE`` of the sequence ``name`` of ``schema`` (the default
        one: None), as the database stores it, takes with it: the columns whose defaults draw on it
        (schema, table, column), and a description of each other object that depends on it (a view)."""
        return [], []

    def column_sequences(self, conn: sa.Connection, schema: str | None, table: str) -> list[tuple[str, int, bool]]:
        """Where each sequence a column of ``table`` owns stands (PostgreSQL's SERIAL and identity
        columns): its qualified name, its last value and whether that value was drawn. None here: a
        column's generator follows the rows inserted with their own values (MariaDB's AUTO_INCREMENT,
        SQLite's rowid)."""
        return []

    def set_column_sequences(self, conn: sa.Connection, positions: list[tuple[str, int, bool]]) -> None:
        """Set each sequence of ``positions`` (from :meth:`column_sequences`) where it stood."""
