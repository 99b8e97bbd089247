"""``make realworld``'s starting schemas: ``create_all()`` of a package's models read from its wheel.

The models module imports a third-party module that is not installed and uses it as a base
class and a decorator; with ``bare_packages`` its package's ``__init__`` (which fails here) is not
run; one MetaData is held by a class. The heads of the wheel's
own Alembic history are read from its revision files, not imported.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa

from realworld.harness import ROOT, heads_in, stamped_heads
from realworld.histories import Base, History

MODELS = '''
import sqlalchemy as sa
from not_installed_web import gen, Handler
from .helpers import width


class Model(Handler):
    metadata = sa.MetaData()
    sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(width)))

    @gen.coroutine
    def run(self):
        pass


other = sa.MetaData()
sa.Table("tokens", other, sa.Column("id", sa.Integer, primary_key=True))
'''


def _wheel(folder: Path, init: str) -> Path:
    wheel = folder / "pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg/__init__.py", init)
        archive.writestr("pkg/db/__init__.py", "")
        archive.writestr("pkg/db/helpers.py", "width = 40\n")
        archive.writestr("pkg/db/models.py", MODELS)
        archive.writestr("pkg/alembic/versions/a_base.py", "revision = 'a1'\ndown_revision = None\n")
        archive.writestr("pkg/alembic/versions/b_next.py", "revision: str = 'b2'\ndown_revision: str | None = 'a1'\n")
        archive.writestr("pkg/alembic/versions/c_side.py", "revision = 'c3'\ndown_revision = ('a1',)\n")
    return wheel


@pytest.mark.parametrize("bare", [False, True])
def test_the_models_of_a_wheel_are_created_without_installing_the_package(tmp_path: Path, bare: bool) -> None:
    wheel = _wheel(tmp_path, "raise RuntimeError(\"imports the whole package\")\n" if bare else "")
    url = f"sqlite:///{tmp_path / 'base.db'}"
    args = [sys.executable, "-m", "realworld.bootstrap", *(["--bare-packages"] if bare else []), url, str(wheel),
            "pkg.db.models"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "created 2 tables: tokens, users" in result.stdout
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            columns = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns("users")}
    finally:
        engine.dispose()
    assert set(columns) == {"id", "name"} and getattr(columns["name"], "length", None) == 40


def test_a_setup_file_adds_what_the_package_s_app_adds_to_its_models(tmp_path: Path) -> None:
    """``--setup``: a file run after the models are imported, with the wheel's package importable;
    the MetaData in its globals are created with the models' (anitya's app adds python-social-auth's)."""
    wheel = _wheel(tmp_path, "")
    setup = tmp_path / "setup.py"
    setup.write_text("import sqlalchemy as sa\nfrom pkg.db.models import Model\n"
                     "extra = sa.MetaData()\n"
                     "sa.Table('social', extra, sa.Column('user_id', sa.ForeignKey(Model.metadata.tables['users'].c.id)))\n",
                     encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'base.db'}"
    args = [sys.executable, "-m", "realworld.bootstrap", "--setup", str(setup), url, str(wheel), "pkg.db.models"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "created 3 tables: social, tokens, users" in result.stdout


def test_the_heads_of_a_wheel_s_history_are_read_from_its_revision_files(tmp_path: Path) -> None:
    assert heads_in(_wheel(tmp_path, ""), "pkg/alembic") == ["b2", "c3"]


def test_a_prepare_file_runs_before_the_models_and_placeholders_read_as_empty_settings(tmp_path: Path) -> None:
    """``--prepare``: a file run before the models are imported (bodhi's models read its settings
    when imported). A placeholder iterates as empty and compares as neither smaller nor greater, so
    settings read from a library that is not installed are none, and a version check takes no branch."""
    wheel = tmp_path / "conf-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("conf/__init__.py", "")
        archive.writestr("conf/settings.py", "from not_installed_paste import get_appsettings, version_info\n"
                                             "values = {'width': 10}\n"
                                             "def load(given=None):\n"
                                             "    values.update(given or get_appsettings('x.ini'))\n"
                                             "    if version_info < (4, 3) or version_info > (4, 3):\n"
                                             "        raise RuntimeError('a placeholder took a branch')\n")
        archive.writestr("conf/models.py", "import sqlalchemy as sa\nfrom conf.settings import values\n"
                                           "if values['width'] == 10:\n    raise RuntimeError('not prepared')\n"
                                           "metadata = sa.MetaData()\n"
                                           "sa.Table('t', metadata, sa.Column('name', sa.String(values['width'])))\n")
    prepare = tmp_path / "prepare.py"
    prepare.write_text("from conf.settings import load\nload()\nload({'width': 30})\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'base.db'}"
    args = [sys.executable, "-m", "realworld.bootstrap", "--prepare", str(prepare), url, str(wheel), "conf.models"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "created 1 tables: t" in result.stdout


def test_the_heads_of_a_history_with_a_folder_per_branch(tmp_path: Path) -> None:
    """galaxy keeps each branch's revisions in a folder of its own (versions_gxy/, versions_tsi/)."""
    wheel = tmp_path / "two-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("two/alembic/versions_a/a1.py", "revision = 'a1'\ndown_revision = None\n")
        archive.writestr("two/alembic/versions_a/a2.py", "revision = 'a2'\ndown_revision = 'a1'\n")
        archive.writestr("two/alembic/versions_b/b1.py", "revision = 'b1'\ndown_revision = None\n")
        archive.writestr("two/alembic/env.py", "revision = 'not a revision'\n")
    assert heads_in(wheel, "two/alembic") == ["a2", "b1"]


def test_a_base_whose_history_lay_elsewhere_is_stamped_at_that_history_s_heads(tmp_path: Path) -> None:
    """tahrir-api's old line kept its history in a top-level ``alembic/`` of its source distribution;
    the history run from its models lies in the package: the base is stamped at the old folder's head."""
    sdist = tmp_path / "old-0.8.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, text in (("old-0.8/alembic/versions/a1.py", "revision = 'a1'\ndown_revision = None\n"),
                           ("old-0.8/alembic/versions/a2.py", "revision = 'a2'\ndown_revision = 'a1'\n"),
                           ("old-0.8/old/model.py", "")):
            data = text.encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    history = History("old", "old==1.0", "old/migrations", base=Base("old==0.8", ("old.model",), sdist=True,
                                                                    folder="alembic"))
    assert stamped_heads(history, sdist) == ["a2"]
    assert stamped_heads(attrs.evolve(history, base=attrs.evolve(history.base, folder=None)), sdist) == []
