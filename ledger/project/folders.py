"""Whether a project's migrations folder is schema-ledger's, or Alembic's script folder under that name.

``alembic init migrations`` (and Flask-Migrate) make ``migrations/``, schema-ledger's default folder
name. Such a folder holds Alembic's ``env.py``: it is not read as schema-ledger migration files
(that would run ``env.py``); the commands that read a hooked project take the ledger's revisions
instead, as where no migrations folder exists, and those that need files say which folder is whose.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["alembic_script_folder", "holds_migrations", "why_no_migrations"]


def alembic_script_folder(folder: Path) -> bool:
    """Whether ``folder`` is an Alembic script folder: it holds Alembic's ``env.py``."""
    return (folder / "env.py").is_file()


def holds_migrations(folder: Path) -> bool:
    """Whether ``folder`` is a schema-ledger migrations folder: it exists and is not Alembic's."""
    return folder.is_dir() and not alembic_script_folder(folder)


def why_no_migrations(folder: Path) -> str:
    """What ``folder`` is, where ``holds_migrations`` is False, in words that follow its name."""
    if folder.is_dir():
        return "is an Alembic script folder (it holds env.py), not schema-ledger's migrations folder"
    return "does not exist"
