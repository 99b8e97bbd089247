"""The real Alembic histories ``make realworld`` runs: where each lives in its wheel, and what its
own ``env.py`` configures that the history depends on (version table, naming convention, batch
mode). Nothing of the packages is imported: helper modules a history imports are stood in for by
the small modules under ``realworld/shims/<shim>/``."""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

#: galaxy/model/database_object_names.py
_GALAXY_CONVENTION = {
    "pk": "%(table_name)s_pkey",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "uq": "%(table_name)s_%(column_0_name)s_key",
    "ck": "%(table_name)s_%(column_0_name)s_check",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
}

#: jupyterhub/orm.py, langflow/alembic/env.py, sqlalchemy_helpers/manager.py (anitya)
_JUPYTERHUB_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: airflow/models/base.py
_AIRFLOW_CONVENTION = {
    "ix": "idx_%(column_0_N_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_uq",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

#: prefect/server/database/orm_models.py
_PREFECT_CONVENTION = {
    "ix": "ix_%(table_name)s__%(column_0_N_name)s",
    "uq": "uq_%(table_name)s__%(column_0_N_name)s",
    "ck": "ck_%(table_name)s__%(constraint_name)s",
    "fk": "fk_%(table_name)s__%(column_0_N_name)s__%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: phoenix/db/models.py (its CHECK names are quoted with backticks inside the name)
_PHOENIX_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_`%(constraint_name)s`",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: dstack/_internal/server/models.py
_DSTACK_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: mcpgateway/db.py
_MCPGATEWAY_CONVENTION = {
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

#: duffy/database/__init__.py (CentOS's Duffy)
_DUFFY_CONVENTION = {
    "ix": "%(column_0_N_label)s_index",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}

#: kadi/ext/db.py
_KADI_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
}

DIALECTS = ("sqlite", "postgresql", "mariadb")


@attrs.frozen
class Base:
    """The models a history starts from: the package creates its tables with ``create_all()`` and
    migrates from there, so Alembic alone fails on an empty database. As the package does for a new
    database, the heads of the history in that version's wheel are stamped (none: nothing is)."""

    #: the ``pip download`` requirement of the version the history starts at
    requirement: str
    #: the modules of that wheel holding the models (their MetaData is created)
    modules: tuple[str, ...]
    #: the dialects whose history starts from these models (the others start from an empty database)
    dialects: tuple[str, ...] = DIALECTS
    #: the version has no wheel: its source distribution (the models are read from its package folder)
    sdist: bool = False
    #: what the models need that this environment lacks (an older SQLAlchemy): they are created by
    #: the python of a throwaway venv with these requirements (and the database drivers)
    venv: tuple[str, ...] = ()
    #: import the modules without running the ``__init__.py`` of their packages (which import the whole package)
    bare_packages: bool = False
    #: stamp the heads of that version's history (False: the whole history runs on these tables, as
    #: mlflow runs it after ``create_all()`` of its pre-migration models)
    stamp: bool = True
    #: a file of the history's shim folder run after the modules are imported: what the package's app
    #: does to the models before it creates them (its globals' MetaData are created too)
    setup: str | None = None
    #: a file of the history's shim folder run before the modules are imported: what the package's app
    #: does before its models can be imported (its settings)
    prepare: str | None = None
    #: the script location in that version's package, where it is not the history's (tahrir-api's old
    #: line kept its history in a top-level ``alembic/``)
    folder: str | None = None
    #: the name of another history (in :data:`HISTORIES`, from the wheel of ``requirement``) that makes
    #: the starting schema instead of the models: Alembic alone runs it to its heads, with its own version
    #: table, as the package's tool runs it before this one (neutron-db-manage runs neutron's history
    #: before a sub-project's, whose tables refer to neutron's); ``modules`` are then none
    history: str | None = None
    #: a revision of this history whose ``upgrade(op)`` the package runs itself on a new database (with
    #: Alembic's ``Operations`` on the connection, outside Alembic's upgrade) and then stamps, upgrading from
    #: there (mindsdb's checkpoint revision, which does nothing when Alembic runs it); ``modules`` are then none
    checkpoint: str | None = None


@attrs.frozen
class History:
    """One Alembic history in a wheel."""

    name: str
    #: the ``pip download`` requirement
    requirement: str
    #: the script location inside the wheel (the folder holding ``versions/``)
    folder: str
    #: the revisions lie in ``folder`` itself, with no env.py (Flask-Alembic's layout): they become ``versions/``
    flat: bool = False
    #: the version has no wheel: the history is read from its source distribution
    sdist: bool = False
    version_table: str = "alembic_version"
    #: the schema of the version table (PostgreSQL), as its env.py configures Alembic (None: the default schema)
    version_table_schema: str | None = None
    naming_convention: dict[str, str] | None = None
    #: the folders under realworld/shims/ put on the path, as one (None: the history imports nothing of its
    #: package); a module several histories import (oslo.db) lives in a folder of its own that each names
    shim: str | tuple[str, ...] | None = None
    render_as_batch: bool = False
    transaction_per_migration: bool = False
    #: version locations relative to the script location, per dialect, several separated by spaces
    #: (None: ``versions``)
    version_locations: dict[str, str] | None = None
    #: the dialects the history is meant for
    dialects: tuple[str, ...] = DIALECTS
    #: helper modules of the package copied from the wheel into the shim (pure SQLAlchemy/Alembic code)
    copied: tuple[str, ...] = ()
    #: other packages' histories Alembic reads beside this one, in the same script folder (one version table),
    #: as (requirement, folder of their revisions): nonebot-plugin-orm gathers the revisions of every plugin it
    #: loads, and one plugin's revision ``depends_on`` another's. Each lies in ``versions/<folder's first part>/``,
    #: so ``version_locations`` must name ``versions`` (read recursively)
    beside: tuple[tuple[str, str], ...] = ()
    #: in the CI subset of ``make test``
    ci: bool = False
    #: the dialects whose migrations run on an AUTOCOMMIT connection, as the package runs them
    autocommit: tuple[str, ...] = ()
    #: the models the history starts from (None: an empty database)
    base: Base | None = None
    #: the SQLAlchemy driver the package runs each database on, when not schema-ledger's default
    #: (psycopg 3, PyMySQL), with URL query options after a ``?`` (``"pymysql?client_flag=65536"``);
    #: an async driver (asyncpg) runs the history through an async env.py (``connection.run_sync``),
    #: as the package's own env.py does. ``alembic`` and ``schema-ledger`` get that URL.
    drivers: dict[str, str] = attrs.Factory(dict)
    #: the package's env.py turns on SQLite's ``PRAGMA foreign_keys`` for every connection
    sqlite_foreign_keys: bool = False
    #: the package's env.py commits a transaction left open after Alembic's (a revision that
    #: commits the connection itself leaves the rest of the run in one Alembic has not begun)
    commit_after: bool = False
    #: the keyword arguments the package's env.py passes to ``run_migrations()`` (Alembic's multidb
    #: template passes ``engine_name``, which each revision's ``upgrade(engine_name)`` dispatches on)
    migration_args: dict[str, str] = attrs.Factory(dict)
    #: the keywords under which the package's env.py passes Alembic's Config to ``run_migrations()``
    #: (``context.run_migrations(config=config)``: each revision's ``upgrade(config)`` reads it)
    config_args: tuple[str, ...] = ()
    #: main options the package's tool sets on Alembic's Config before it upgrades (written into alembic.ini)
    main_options: dict[str, str] = attrs.Factory(dict)
    #: PostgreSQL extensions the package's installation makes in a new database before its history runs
    #: (GeoNature's install_db.sh makes uuid-ossp): made in every database the harness makes for the history,
    #: the drill's scratch database among them
    extensions: tuple[str, ...] = ()

    @property
    def qualified_version_table(self) -> str:
        """The version table, with its schema when it has one."""
        return f"{self.version_table_schema}.{self.version_table}" if self.version_table_schema else self.version_table

    @property
    def shims(self) -> tuple[str, ...]:
        """The folders of ``shim``, in order."""
        return (self.shim,) if isinstance(self.shim, str) else tuple(self.shim or ())

    def base_for(self, dialect: str) -> Base | None:
        return self.base if self.base is not None and dialect in self.base.dialects else None

    def locations(self, dialect: str) -> str | None:
        if self.version_locations is None:
            return None
        return self.version_locations.get(dialect)

    def url(self, dialect: str, url: str) -> str:
        """``url`` (a database made with schema-ledger's default driver) with the package's driver."""
        driver = self.drivers.get(dialect)
        if driver is None:
            return url
        name, _, query = driver.partition("?")
        parsed = sa.make_url(url)
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+{name}")
        if query:
            parsed = parsed.update_query_string(query)
        return parsed.render_as_string(hide_password=False)

    def is_async(self, dialect: str) -> bool:
        """Whether the package runs ``dialect`` on an async driver (then env.py is async)."""
        driver = self.drivers.get(dialect)
        if driver is None:
            return False
        return bool(sa.make_url(f"{dialect}+{driver.partition('?')[0]}://").get_dialect().is_async)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "requirement": self.requirement, "folder": self.folder}


HISTORIES: tuple[History, ...] = (
    # airflow runs PostgreSQL on psycopg2 (a revision writes literal("0") into an integer column, which
    # psycopg 3 binds as text) and MySQL on mysqlclient, whose connections allow several statements per
    # query (a revision sends CREATE PROCEDURE ...; CALL ...): PyMySQL with CLIENT.MULTI_STATEMENTS (65536),
    # mysqlclient needing a C client library to build
    History("airflow", "apache-airflow-core==3.3.2", "airflow/migrations", naming_convention=_AIRFLOW_CONVENTION,
            shim="airflow", render_as_batch=True, transaction_per_migration=True, copied=("airflow/migrations/utils.py",),
            drivers={"postgresql": "psycopg2", "mariadb": "pymysql?client_flag=65536"}),
    History("fab", "apache-airflow-providers-fab==3.10.2", "airflow/providers/fab/migrations",
            version_table="alembic_version_fab", render_as_batch=True, transaction_per_migration=True, ci=True),
    History("aim-storage", "aim==3.29.1", "aim/storage/migrations"),
    History("aim-web", "aim==3.29.1", "aim/web/migrations", ci=True),
    History("jupyterhub", "jupyterhub==6.1.1", "jupyterhub/alembic", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="jupyterhub", transaction_per_migration=True,
            # 1.0: its head is 4dc2d5a8c53c; the revision after 0.5's base, 99a28a4418e1, cannot run on
            # Python 3 / SQLAlchemy 2 (datetime._replace, connection.execute of a str)
            base=Base("jupyterhub==1.0.0", ("jupyterhub.orm",))),
    History("nbgrader", "nbgrader==0.9.6", "nbgrader/alembic", shim="nbgrader",
            base=Base("nbgrader==0.5.0", ("nbgrader.api",), sdist=True, venv=("sqlalchemy<1.4",))),  # b6d005d67074 "initial alembic revision"
    History("buildbot", "buildbot==4.3.0", "buildbot/db/migrations", shim="buildbot",
            base=Base("buildbot==3.4.0", ("buildbot.db.model",))),  # 059 "v3.4 alembic initial"
    # On SQLite each storage creates its tables and stamps head; on PostgreSQL and MySQL a database
    # made by dagster 0.7's storages (runs, event logs, schedules) is migrated by this history.
    History("dagster", "dagster==1.13.29", "dagster/_core/storage/alembic", shim="dagster",
            copied=("dagster/_core/storage/migration/utils.py", "dagster/_core/storage/event_log/schema.py"),
            base=Base("dagster==0.7.0", ("dagster.core.storage.runs.schema", "dagster.core.storage.event_log.schema",
                                         "dagster.core.storage.schedules.schema"),
                      dialects=("postgresql", "mariadb"), bare_packages=True),
            autocommit=("postgresql", "mariadb")),  # dagster-postgres and dagster-mysql engines
    History("langflow", "langflow-base==1.13.0", "langflow/alembic", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="langflow", copied=("langflow/utils/migration.py",
                                     "langflow/services/database/models/catalog_policy/__init__.py",
                                     "langflow/services/database/models/catalog_policy/model.py")),
    History("zenml", "zenml==0.98.0", "zenml/zen_stores/migrations", shim="zenml",
            copied=("zenml/zen_stores/migrations/utils.py", "zenml/enums.py", "zenml/utils/enum_utils.py")),
    History("prefect",  "prefect==3.9.1", "prefect/server/database/_migrations", naming_convention=_PREFECT_CONVENTION,
            shim="prefect", version_locations={"sqlite": "versions/sqlite", "postgresql": "versions/postgresql"},
            dialects=("sqlite", "postgresql"),
            # prefect's server runs PostgreSQL on asyncpg (a revision sends format('%I', ...), which psycopg
            # takes for a placeholder) through an async env.py
            drivers={"postgresql": "asyncpg"}),
    # prefect 2.x: its history under migrations/ (not _migrations); a data revision (1678f2fb8b33 on SQLite,
    # f98ae6d8e2cc on PostgreSQL) inserts the default work pool, reads back its generated id and passes
    # it to later statements: import-alembic leaves that data out, naming the revision
    History("prefect-2", "prefect==2.14.21", "prefect/server/database/migrations", naming_convention=_PREFECT_CONVENTION,
            shim="prefect", version_locations={"sqlite": "versions/sqlite", "postgresql": "versions/postgresql"},
            dialects=("sqlite", "postgresql"), drivers={"postgresql": "asyncpg"}),
    # mlflow makes a new database with create_all() of its models as of 0.9.1 (initial_models.py), then
    # runs its whole history on it, in one transaction (its env.py: render_as_batch=True)
    History("mlflow", "mlflow==3.18.0", "mlflow/store/db_migrations", shim="mlflow", render_as_batch=True,
            copied=("mlflow/store/db/base_sql_model.py", "mlflow/store/db/trace_analytics_schema_75868b020152.py",
                    "mlflow/store/db/trace_analytics_backfill_75868b020152.py"),
            base=Base("mlflow==3.18.0", ("mlflow.store.tracking.dbmodels.initial_models",), bare_packages=True,
                      stamp=False)),
    History("optuna", "optuna==5.1.0", "optuna/storages/_rdb/alembic", shim="optuna", render_as_batch=True),
    # ckan db init runs the whole history on an empty database (ckan runs on PostgreSQL)
    History("ckan", "ckan==2.12.0", "ckan/migration", copied=("ckan/migration/__init__.py",)),
    # open-webui runs its history on an empty database (its first revision creates the tables it does
    # not find); its String columns have no length, so it runs on SQLite and PostgreSQL only
    History("open-webui", "open-webui==0.12.4", "open_webui/migrations", shim="open_webui",
            copied=("open_webui/migrations/util.py",), dialects=("sqlite", "postgresql")),
    # ironic-dbsync upgrade runs the whole history from its initial migration (oslo.db's types and
    # engine facade: realworld/shims/oslo, shared by the OpenStack histories; ironic's options at their
    # defaults: realworld/shims/ironic)
    History("ironic", "ironic==39.0.0", "ironic/db/sqlalchemy/alembic", shim=("ironic", "oslo")),
    # superset's app creates flask_appbuilder's security tables (ab_user ...) with create_all() of
    # its models before it migrates; its env.py runs one transaction per revision on SQLite and MySQL
    History("superset", "apache-superset==6.1.0", "superset/migrations", shim=("sqlalchemy14", "superset"),
            transaction_per_migration=True,
            base=Base("flask-appbuilder==5.3.0", ("flask_appbuilder.security.sqla.models",),
                      venv=("flask-appbuilder==5.3.0",), stamp=False),
            copied=tuple(f"superset/migrations/{m}.py" for m in (
                "__init__", "migration_utils", "shared/__init__", "shared/utils", "shared/constraints",
                "shared/security_converge", "shared/catalogs", "shared/native_filters", "shared/migrate_viz/__init__",
                "shared/migrate_viz/base", "shared/migrate_viz/processors", "shared/migrate_viz/query_functions"))),
    # phoenix runs its whole history on an empty database, one transaction per revision, on aiosqlite
    # and asyncpg through an async env.py; it supports SQLite and PostgreSQL
    History("phoenix", "arize-phoenix==20.26.1", "phoenix/db/migrations", naming_convention=_PHOENIX_CONVENTION,
            transaction_per_migration=True, dialects=("sqlite", "postgresql"),
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg"}),
    # mage-ai runs its whole history on an empty database (its env.py: render_as_batch=True)
    History("mage-ai", "mage-ai==0.9.80", "mage_ai/orchestration/db/migrations", shim="mage_ai", render_as_batch=True),
    # dstack's server runs its whole history on an empty database, one transaction per revision, on
    # aiosqlite and asyncpg through an async env.py (render_as_batch=True); its revisions live in year
    # folders (recursive_version_locations) and use alembic-postgresql-enum's sync_enum_values
    History("dstack", "dstack==0.22.5", "dstack/_internal/server/migrations", naming_convention=_DSTACK_CONVENTION,
            shim="dstack", render_as_batch=True, transaction_per_migration=True, dialects=("sqlite", "postgresql"),
            version_locations={"sqlite": "versions", "postgresql": "versions"},
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg"}),
    # airflow's edge3 provider: its own version table, airflow's naming convention and env.py options
    History("edge3", "apache-airflow-providers-edge3==5.1.0", "airflow/providers/edge3/migrations",
            version_table="alembic_version_edge3", naming_convention=_AIRFLOW_CONVENTION, shim="airflow",
            render_as_batch=True, transaction_per_migration=True),
    # flaskbb's flaskbb db upgrade (Flask-Alembic: the revisions lie in flaskbb/migrations with no env.py,
    # under the branch label "default") runs the whole history on an empty database, no naming
    # convention; its columns use sqlalchemy-utils' UUIDType and its own UTCDateTime (realworld/shims/flaskbb)
    History("flaskbb", "flaskbb==2.2.0", "flaskbb/migrations", flat=True, shim="flaskbb"),
    # datajunction-server runs its whole history on an empty PostgreSQL database (render_as_batch=True)
    History("datajunction", "datajunction-server==0.0.272", "datajunction_server/alembic", shim="datajunction",
            render_as_batch=True, dialects=("postgresql",)),
    # octavia-db-manage upgrade runs the whole history on an empty database (octavia runs on MySQL;
    # its env.py: no naming convention, one transaction)
    History("octavia", "octavia==19.0.0", "octavia/db/migration/alembic_migrations", shim="octavia"),
    # ihatemoney's flask db upgrade runs the whole history on an empty database (Flask-Migrate's
    # defaults: no naming convention, no batch mode; a revision skips itself on SQLite)
    History("ihatemoney", "ihatemoney==7.2.1", "ihatemoney/migrations", shim="ihatemoney",
            copied=("ihatemoney/migrations/utils.py",)),
    # keystone-manage db_sync runs the whole history on an empty database: a legacy initial revision,
    # then the expand and contract branches (branch labels) under one folder per release (its env.py:
    # render_as_batch=True; keystone.common.sql's types and options stood in for by realworld/shims/keystone)
    History("keystone", "keystone==30.0.0", "keystone/common/sql/migrations", shim="keystone", render_as_batch=True,
            version_locations={d: "versions" for d in DIALECTS}),
    # glance-manage db sync runs the whole history (expand and contract branches, no triggers) on an empty
    # database; the initial revision makes its tables with the modules beside it (copied); its env.py:
    # render_as_batch=True
    History("glance", "glance==33.0.0", "glance/db/sqlalchemy/alembic_migrations", shim="glance", render_as_batch=True,
            copied=tuple(f"glance/db/sqlalchemy/{m}.py" for m in (
                "schema", "alembic_migrations/add_images_tables", "alembic_migrations/add_metadefs_tables",
                "alembic_migrations/add_tasks_tables", "alembic_migrations/add_artifacts_tables"))),
    # aodh's whole history from its initial revision, as its storage's upgrade(nocreate=True) runs it
    # (aodh-dbsync makes a new database with create_all() and stamps head; the history migrates
    # older ones); its env.py: no naming convention, one transaction; its initial revision uses the
    # column types of its models (copied); oslo_utils' clock and uuids stood in for by realworld/shims/aodh
    History("aodh", "aodh==23.0.0", "aodh/storage/sqlalchemy/alembic", shim="aodh",
            copied=("aodh/storage/sqlalchemy/models.py",)),
    # conda-store-server runs its whole history on an empty database (its env.py: no naming convention,
    # no batch mode, one transaction; its revisions write their own batch blocks)
    # anitya (release-monitoring.org) makes a new database with create_all() of its models and stamps
    # head; its history migrates the databases of older versions: here one made by anitya 0.12.0's
    # models (its history's heads stamped). Its env.py takes sqlalchemy_helpers' Base, whose MetaData
    # has that library's naming convention (jupyterhub's); it runs on PostgreSQL and SQLite
    History("anitya", "anitya==2.3.0", "anitya/db/migrations", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="anitya", dialects=("sqlite", "postgresql"),
            base=Base("anitya==0.12.0", ("anitya.db.models",), setup="base_social.py",
                      venv=("sqlalchemy<1.4", "social-auth-app-flask-sqlalchemy==1.0.1"))),
    # tahrir-api (Fedora Badges' database; 1.5.6, 23 revisions): Fedora's database was made by initialize_tahrir_db,
    # create_all() of the models of 0.8.1, the last of the old line (no naming convention: 53b73809290f drops the
    # foreign key PostgreSQL named assertions_badge_id_fkey), and stamped at the head of its history (then in a
    # top-level alembic/); 10 revisions since move tags into new tables with the bound connection, insert rows and
    # re-create that foreign key in batch mode. Its env.py: its models' metadata (sqlalchemy_helpers' naming
    # convention), one transaction. A revision of 0.8.1's imports the package (realworld/shims/tahrir)
    History("tahrir", "tahrir-api==1.5.6", "tahrir_api/migrations", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="tahrir",
            base=Base("tahrir-api==0.8.1", ("tahrir_api.model",), sdist=True, folder="alembic",
                      venv=("sqlalchemy<1.4", "zope.sqlalchemy<1.2", "arrow", "pygments", "simplejson"))),
    History("conda-store", "conda-store-server==2025.2.2", "conda_store_server/_internal/alembic"),
    # meltano's system database: MigrationService.upgrade runs the whole history on an empty database
    # (its env.py: no naming convention, one transaction); the revisions import meltano.migrations and
    # meltano.core.sqlalchemy's column types (copied), meltano.core.utils stood in for (realworld/shims/meltano)
    History("meltano", "meltano==4.4.1", "meltano/migrations", shim="meltano",
            copied=("meltano/migrations/__init__.py", "meltano/migrations/utils/__init__.py",
                    "meltano/migrations/utils/dialect_typing.py", "meltano/core/sqlalchemy.py")),
    # argilla-server's server start (and argilla_server database migrate) runs the whole history on an
    # empty database, SQLite or PostgreSQL, in one transaction; its env.py enforces foreign keys on SQLite
    History("argilla", "argilla-server==2.8.0", "argilla_server/alembic", dialects=("sqlite", "postgresql"),
            sqlite_foreign_keys=True),
    # zuul's SQL reporter runs its whole history on an empty database when it connects (its env.py: no
    # naming convention, one transaction; each revision's upgrade takes the table prefix, empty by default)
    History("zuul", "zuul==14.3.0", "zuul/driver/sql/alembic"),
    # gnocchi's indexer upgrade(nocreate=True) runs the whole history from its initial revision (gnocchi-upgrade
    # makes a new database with create_all() and stamps head; the history migrates older ones); its env.py:
    # no naming convention, one transaction; gnocchi runs on PostgreSQL and MySQL. Its column types (copied)
    # are TypeDecorators with a dialect's own type (DECIMAL(20, 6), DATETIME(6) on MySQL); realworld/shims/gnocchi
    # PostgreSQL runs on psycopg2, as oslo.db's engines do (a revision writes a string into a json column,
    # which psycopg 3 binds as varchar)
    History("gnocchi", "gnocchi==4.7.1", "gnocchi/indexer/alembic", shim="gnocchi", dialects=("postgresql", "mariadb"),
            copied=("gnocchi/indexer/sqlalchemy_types.py", "gnocchi/indexer/sqlalchemy_legacy_resources.py"),
            drivers={"postgresql": "psycopg2"}),
    # placement-manage db sync runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its revisions import nothing of placement
    History("placement", "openstack-placement==16.0.0", "placement/db/sqlalchemy/alembic"),
    # manila-manage db sync runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its revisions read manila's constants and migration helpers
    # (copied), oslo_log and oslo_utils stood in for (realworld/shims/manila)
    History("manila", "manila==23.0.1", "manila/db/migrations/alembic", shim="manila",
            copied=("manila/common/constants.py", "manila/db/migrations/utils.py")),
    # heat-manage db_sync runs the whole history on an empty database (its env.py: no naming convention,
    # one transaction); its column types (heat.db.types: LONGTEXT on MySQL, JSON as text) are copied,
    # oslo_serialization's jsonutils stood in for (realworld/shims/heat)
    History("heat", "openstack-heat==27.0.1", "heat/db/migrations", shim="heat", copied=("heat/db/types.py",)),
    # designate-manage database sync runs the whole history on an empty database (its env.py: no naming
    # convention, render_as_batch=True, one transaction per revision); its legacy_utils and column types
    # (a UUID that is PostgreSQL's uuid and CHAR(32) elsewhere) are copied, oslo_log and oslo_utils stood in for
    History("designate", "designate==23.0.0", "designate/storage/sqlalchemy/alembic", shim="designate",
            render_as_batch=True, transaction_per_migration=True,
            copied=("designate/storage/sqlalchemy/alembic/legacy_utils.py", "designate/storage/sqlalchemy/types.py")),
    # blazar-db-manage upgrade runs the whole history on an empty database (OpenStack's reservation
    # service; its env.py: no naming convention, one transaction); its revisions import nothing of blazar but
    # read ``sa.orm``, which its env.py imports (realworld/shims/blazar)
    History("blazar", "blazar==18.0.0", "blazar/db/migration/alembic_migrations", shim="blazar"),
    # cyborg-dbsync upgrade runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); a revision reads cyborg.common.constants (realworld/shims/cyborg)
    History("cyborg", "openstack-cyborg==17.0.0", "cyborg/db/sqlalchemy/alembic", shim="cyborg"),
    # ironic-inspector-dbsync upgrade runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); oslo.db's JSON types (realworld/shims/oslo), oslo_utils' uuids and its
    # introspection states (realworld/shims/ironic_inspector) stood in for
    History("ironic-inspector", "ironic-inspector==12.5.0", "ironic_inspector/db/migrations",
            shim=("ironic_inspector", "oslo")),
    # zaqar-sql-db-manage upgrade runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its revisions import nothing of zaqar
    History("zaqar", "zaqar==23.0.1", "zaqar/storage/sqlalchemy/migration/alembic_migrations"),
    # senlin-manage db_sync runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction per revision); its legacy_utils and column types are copied, oslo's
    # logger, jsonutils and time helpers and pytz's utc stood in for (realworld/shims/senlin)
    History("senlin", "senlin==16.0.0", "senlin/db/sqlalchemy/alembic", shim="senlin", transaction_per_migration=True,
            copied=("senlin/db/sqlalchemy/alembic/legacy_utils.py", "senlin/db/sqlalchemy/types.py")),
    # fractal-server runs its whole history on an empty PostgreSQL database (the one database it supports;
    # its env.py: render_as_batch=True, its models' naming convention, one transaction); two revisions
    # import that naming convention (copied)
    History("fractal-server", "fractal-server==2.26.0", "fractal_server/migrations", naming_convention=_JUPYTERHUB_CONVENTION,
            render_as_batch=True, dialects=("postgresql",), copied=("fractal_server/migrations/naming_convention.py",)),
    # magnum-db-manage upgrade runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its CONF, oslo_serialization and oslo_utils' uuids (realworld/shims/magnum)
    # and its JSON-as-text column types, watcher's too (realworld/shims/oslo), stood in for
    History("magnum", "magnum==23.0.0", "magnum/db/sqlalchemy/alembic", shim=("magnum", "oslo")),
    # mistral-db-manage upgrade head runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its column types are copied, the helpers, states, clock and option
    # its revisions read stood in for (realworld/shims/mistral)
    History("mistral", "mistral==23.0.0", "mistral/db/sqlalchemy/migration/alembic_migrations", shim="mistral",
            copied=("mistral/db/sqlalchemy/types.py",)),
    # masakari-manage db sync runs the whole history on an empty database (its env.py: no naming
    # convention, render_as_batch=True, one transaction); oslo.db's SoftDeleteInteger stood in for
    # (realworld/shims/oslo)
    History("masakari", "masakari==22.0.0", "masakari/db/sqlalchemy/migrations", shim="oslo", render_as_batch=True),
    # nova-manage db sync and api_db sync run the whole histories of nova's two databases on empty ones
    # (their env.py: no naming convention, render_as_batch=True, one transaction); nova.db.types (a
    # TypeDecorator that is PostgreSQL's INET and a VARCHAR elsewhere) and the keypair type stood in for
    # (realworld/shims/nova)
    History("nova", "nova==34.0.0", "nova/db/main/migrations", shim="nova", render_as_batch=True),
    History("nova-api", "nova==34.0.0", "nova/db/api/migrations", shim="nova", render_as_batch=True),
    # tacker-db-manage upgrade head runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its column types and migration helpers are copied, oslo_serialization's
    # jsonutils stood in for (realworld/shims/tacker)
    History("tacker", "tacker==16.0.0", "tacker/db/migration/alembic_migrations", shim="tacker",
            copied=("tacker/db/types.py", "tacker/db/migration/__init__.py")),
    # barbican-manage db upgrade runs the whole history on an empty database (its env.py: no naming
    # convention, one transaction); its JsonBlob column type stood in for (realworld/shims/barbican)
    History("barbican", "barbican==23.0.0", "barbican/model/migration/alembic_migrations", shim="barbican"),
    # watcher-db-manage upgrade runs the whole history on an empty database (OpenStack's infrastructure
    # optimization service; its env.py: no naming convention, one transaction); oslo.db's SoftDeleteInteger
    # and watcher's JSON-as-text column types, magnum's too (realworld/shims/oslo), and the two models a
    # data revision queries (realworld/shims/watcher) stood in for
    History("watcher", "python-watcher==17.0.0", "watcher/db/sqlalchemy/alembic", shim=("watcher", "oslo")),
    # ziggurat_foundations (a library of user, group and resource permission models) runs its own history
    # on an empty database with its own version table, one transaction per revision, its env.py's naming
    # convention; its revisions branch on the dialect (get_context().connection.engine.dialect)
    History("ziggurat", "ziggurat-foundations==0.9.1", "ziggurat_foundations/migrations",
            version_table="alembic_ziggurat_foundations_version", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="ziggurat", transaction_per_migration=True),
    # zou (the Kitsu production tracker's API) runs its whole history on an empty PostgreSQL database in one
    # transaction, as its upgrade-db command does (Flask-Migrate's defaults: no naming convention); its
    # columns are sqlalchemy-utils' UUIDType, ChoiceType, LocaleType, TimezoneType and EmailType, and its
    # data migrations declare ORM models on zou.migrations.utils (copied); zou's choice lists and helpers
    # stand in (realworld/shims/zou)
    History("zou", "zou==1.0.97", "zou/migrations", shim="zou", dialects=("postgresql",),
            copied=("zou/migrations/__init__.py", "zou/migrations/utils/__init__.py", "zou/migrations/utils/base.py")),
    # cinder-manage db sync runs the whole history on an empty database (OpenStack's block storage; its
    # env.py: no naming convention, one transaction); oslo.db's index_exists (realworld/shims/oslo), its quota
    # models (written and soft-deleted through an ORM session), options, volume type names and a clock
    # (realworld/shims/cinder) stood in for
    History("cinder", "cinder==29.0.0", "cinder/db/migrations", shim=("cinder", "oslo")),
    # cloudkitty-dbsync upgrade runs the history of cloudkitty's hashmap rating module on an empty
    # database, with its own version table (hashmap_alembic); its env.py: the models' naming convention
    # (jupyterhub's), one transaction. Its revisions import a sibling revision and a frozen copy of the
    # models (copied, with cloudkitty's models and helpers); the enginefacade session they nest in
    # (realworld/shims/cloudkitty) and oslo.db's ModelBase (realworld/shims/oslo) stood in for
    History("cloudkitty-hashmap", "cloudkitty==25.0.0", "cloudkitty/rating/hash/db/sqlalchemy/alembic",
            version_table="hashmap_alembic", naming_convention=_JUPYTERHUB_CONVENTION, shim=("cloudkitty", "oslo"),
            copied=("cloudkitty/common/db/models.py", "cloudkitty/rating/common/db/migrations.py",
                    "cloudkitty/rating/common/db/models.py", "cloudkitty/rating/hash/db/sqlalchemy/models.py",
                    "cloudkitty/rating/hash/db/sqlalchemy/alembic/models/__init__.py",
                    "cloudkitty/rating/hash/db/sqlalchemy/alembic/models/f8c799db4aa0_fix_unnamed_constraints.py",
                    "cloudkitty/rating/hash/db/sqlalchemy/alembic/versions/"
                    "644faa4491fd_update_tenant_id_type_from_uuid_to_text.py")),
    # cloudkitty's other histories, each with its own version table, run by cloudkitty-dbsync upgrade on an
    # empty database as the hashmap one is; their models have no naming convention (plain declarative_base),
    # one transaction. pyscripts' revisions read its models (copied) in the enginefacade session stood in
    # for; storage_state's import the revisions before them (copied) and oslo.db's ModelBase
    History("cloudkitty", "cloudkitty==25.0.0", "cloudkitty/db/sqlalchemy/alembic", version_table="cloudkitty_alembic"),
    History("cloudkitty-pyscripts", "cloudkitty==25.0.0", "cloudkitty/rating/pyscripts/db/sqlalchemy/alembic",
            version_table="pyscripts_alembic", shim=("cloudkitty", "oslo"),
            copied=("cloudkitty/common/db/models.py", "cloudkitty/rating/common/db/migrations.py",
                    "cloudkitty/rating/common/db/models.py", "cloudkitty/rating/pyscripts/db/sqlalchemy/models.py")),
    History("cloudkitty-storage", "cloudkitty==25.0.0", "cloudkitty/storage/v1/sqlalchemy/alembic",
            version_table="storage_sqlalchemy_alembic"),
    History("cloudkitty-hybrid", "cloudkitty==25.0.0", "cloudkitty/storage/v1/hybrid/alembic",
            version_table="storage_hybrid_alembic"),
    History("cloudkitty-state", "cloudkitty==25.0.0", "cloudkitty/storage_state/alembic",
            version_table="storage_states_alembic", shim=("cloudkitty", "oslo"),
            copied=tuple(f"cloudkitty/storage_state/alembic/versions/{m}.py" for m in (
                "750d3050_create_last_processed_timestamp_column", "c50ed2c19204_update_storage_state_constraint"))),
    # neutron-db-manage upgrade heads runs the whole history on an empty database: a kilo initial revision,
    # then the expand and contract branches (branch labels, depends_on between them) in one folder per
    # release (recursive_version_locations); its env.py: no naming convention, one transaction. Its
    # migration helpers and the initial revision's table modules are copied; neutron_lib's constants are
    # copied from neutron-lib, its Conflict error, oslo's uuids, strutils, jsonutils and logger stood in for
    # (realworld/shims/neutron)
    History("neutron", "neutron==29.0.0", "neutron/db/migration/alembic_migrations", shim="neutron",
            version_locations={d: "versions" for d in DIALECTS},
            copied=("neutron/db/migration/__init__.py", "neutron/db/migration/alembic_migrations/__init__.py",
                    *(f"neutron/db/migration/alembic_migrations/{m}.py" for m in (
                        "agent_init_ops", "core_init_ops", "dvr_init_opts", "l3_init_ops", "metering_init_ops",
                        "ml2_init_ops", "other_extensions_init_ops", "portsec_init_ops", "secgroup_init_ops")))),
    # mcp-contextforge-gateway runs its whole history on an empty database in one transaction (its env.py:
    # its models' naming convention, no batch mode, and a commit of what is left open after Alembic's
    # transaction: r2b3c4d5e6f7 commits the connection itself); its revisions inspect the database and
    # branch on the dialect. Its settings at their defaults stand in (realworld/shims/mcpgateway), its slugify is copied
    History("mcpgateway", "mcp-contextforge-gateway==1.1.0", "mcpgateway/alembic", naming_convention=_MCPGATEWAY_CONVENTION,
            shim="mcpgateway", commit_after=True, copied=("mcpgateway/utils/create_slug.py",)),
    # quetz (mamba's package server) runs its whole history on an empty database, under the branch label
    # "quetz" (its plugins add their own branches), with a merge revision; its env.py: render_as_batch=True,
    # no naming convention, one transaction. It runs on SQLite and PostgreSQL; its revisions import nothing
    History("quetz", "quetz-server==0.10.4", "quetz/migrations", render_as_batch=True, dialects=("sqlite", "postgresql")),
    # airflow 2.10.5's whole history (1.5.0 to 2.10: 153 revisions), which airflow 3's starts after; the same
    # env.py options, drivers and shim (sqlalchemy_jsonfield's JSONField stood in for). Its data migrations
    # (FAB permissions through a web app, DAG files) find no rows on an empty database: their sessions and
    # models are stood in for by objects that hold nothing. It rebuilds tables in SQL text on SQLite and runs
    # MySQL dynamic SQL (SET @var = IF(...); PREPARE; EXECUTE) that drops a unique constraint where it exists
    History("airflow2", "apache-airflow==2.10.5", "airflow/migrations", naming_convention=_AIRFLOW_CONVENTION,
            shim="airflow", render_as_batch=True, transaction_per_migration=True, copied=("airflow/migrations/utils.py",),
            drivers={"postgresql": "psycopg2", "mariadb": "pymysql?client_flag=65536"}),
    # datanommer (Fedora's message store) makes a new database with init(create=True): create_all() of its
    # models on TimescaleDB (messages a hypertable) and a stamp; its history migrates older ones. It starts
    # here from datanommer.models 1.0.0's models (whose wheel has no history: nothing stamped), without the
    # hypertable (no timescaledb extension on this server: realworld/shims/datanommer/base_plain_postgresql.py);
    # its env.py: no naming convention, one transaction. f4fdb5442d05 makes a materialized view from the
    # package's selectable (datanommer/models/view.py, copied; the model it selects stood in for). PostgreSQL only
    History("datanommer", "datanommer.models==1.5.0", "datanommer/models/alembic", shim="datanommer",
            dialects=("postgresql",), copied=("datanommer/models/view.py",),
            base=Base("datanommer.models==1.0.0", ("datanommer.models",), setup="base_plain_postgresql.py")),
    # mlrun 1.5.2 (the last version whose wheel holds its server's histories) runs one history on SQLite and
    # another on MySQL, each on an empty database, in one transaction (its env.py: no naming convention, no
    # batch mode online); its revisions read the collation of its string columns (utf8_bin on MySQL) and one
    # option (realworld/shims/mlrun)
    History("mlrun", "mlrun==1.5.2", "mlrun/api/migrations_sqlite", shim="mlrun", dialects=("sqlite",)),
    History("mlrun-mysql", "mlrun==1.5.2", "mlrun/api/migrations_mysql", shim="mlrun", dialects=("mariadb",)),
    # pgAdmin 4 (9.18) keeps its configuration database with Flask-Migrate: its app runs the whole history
    # on an empty database (SQLite, or PostgreSQL with CONFIG_DATABASE_URI), in one transaction, no naming
    # convention. Its revisions read pgAdmin's config, make the first user through Flask-Security and move
    # preferences through ORM sessions: config at desktop mode's defaults, the models (the columns they
    # read), the first user's details, the schema version and two constants stood in for (realworld/shims/pgadmin4)
    History("pgadmin4", "pgadmin4==9.18", "pgadmin4/migrations", shim="pgadmin4", dialects=("sqlite", "postgresql")),
    # evidently (0.7.23, ML monitoring) keeps its UI service's SQL storage (SQLite or PostgreSQL) with a history
    # it runs on an empty database in one transaction (its env.py: no naming convention, no batch mode); its
    # revisions import nothing of evidently
    History("evidently", "evidently==0.7.23", "evidently/ui/service/storage/sql/migrations",
            dialects=("sqlite", "postgresql")),
    # GNU Mailman 3's core makes a new database with create_all() of its models and stamps head; its history
    # migrates the databases of older versions: here one made by mailman 3.3.0's models (the oldest wheel;
    # created from a throwaway venv with mailman 3.3.0 installed, asyncio.coroutine given back for Python 3.11),
    # its head stamped. Its env.py: no naming convention, render_as_batch=True, one transaction. Its column
    # types and database helpers are copied; atpublic, its interfaces and config stood in for (realworld/shims/mailman)
    History("mailman", "mailman==3.3.10", "mailman/database/alembic", shim="mailman", render_as_batch=True,
            copied=("mailman/database/types.py", "mailman/database/helpers.py"),
            base=Base("mailman==3.3.0", tuple(f"mailman.model.{m}" for m in (
                "address", "autorespond", "bans", "bounce", "cache", "digests", "domain", "language", "listmanager",
                "mailinglist", "member", "message", "messagestore", "mime", "pending", "preferences", "requests",
                "roster", "subscriptions", "template", "uid", "user", "usermanager", "workflow")),
                      venv=("mailman==3.3.0",), prepare="base_asyncio.py")),
    # bodhi (Fedora's updates system) makes a new database with create_all() of its models and stamps
    # head (initialize_bodhi_db); its history starts at a squash (d986618207bc). The users' databases
    # were made by an earlier version's models: bodhi-server 5.7.5, the oldest wheel. Its env.py: no
    # naming convention, one transaction; its revisions import nothing of bodhi. Its models read bodhi's
    # settings when imported: realworld/shims/bodhi/base_settings.py gives them the two secrets it requires.
    # bodhi runs on psycopg2 (a revision sends COMMIT, then a SHOW that fails outside any transaction
    # on psycopg2; psycopg 3 begins a new one, which the failure aborts)
    History("bodhi", "bodhi-server==26.4.0", "bodhi/server/migrations",
            shim="bodhi", base=Base("bodhi-server==5.7.5", ("bodhi.server.models",), prepare="base_settings.py"),
            drivers={"postgresql": "psycopg2"}),
    # galaxy makes a new database with create_all() of its models (galaxy.model and the tool shed install
    # models) and stamps both heads; its history (galaxy-data's galaxy/model/migrations) has two branches,
    # gxy and tsi, each in its own folder. The users' databases were made by the models of galaxy-data
    # 23.0.1, the oldest wheel with the Alembic history (galaxy 22.05 has none on PyPI), created from a
    # throwaway venv with what they need (SQLAlchemy 1.4, galaxy-util, galaxy-objectstore,
    # social-auth-core). Its env.py: its models' naming convention, one transaction. Its revisions' helper
    # modules (migrations/util.py, database_object_names.py, the audit triggers, the data fixes) are copied;
    # galaxy.util, galaxy.model's column types and the models the data fixes query stand in
    # (realworld/shims/galaxy)
    History("galaxy", "galaxy-data==26.1.2", "galaxy/model/migrations/alembic", naming_convention=_GALAXY_CONVENTION,
            shim="galaxy", version_locations={d: "versions_gxy versions_tsi" for d in DIALECTS},
            copied=("galaxy/model/database_object_names.py", "galaxy/model/migrations/util.py",
                    "galaxy/model/triggers/__init__.py", "galaxy/model/triggers/update_audit_table.py",
                    "galaxy/model/migrations/data_fixes/__init__.py",
                    "galaxy/model/migrations/data_fixes/association_table_fixer.py",
                    "galaxy/model/migrations/data_fixes/custos_to_psa.py",
                    "galaxy/model/migrations/data_fixes/user_table_fixer.py"),
            base=Base("galaxy-data==23.0.1", ("galaxy.model", "galaxy.model.tool_shed_install"),
                      venv=("galaxy-util==23.0.1", "galaxy-objectstore==23.0.1", "sqlalchemy>=1.4.25,<2",
                            "social-auth-core==4.0.3"))),
    # keylime (remote attestation) runs its history on each of its two databases (the registrar's and the
    # verifier's, each its own database) at start-up, through Alembic's multidb env.py: each revision's
    # upgrade(engine_name) runs upgrade_registrar() or upgrade_cloud_verifier(), each database has its own
    # version table; no naming convention, no batch mode, one transaction. Its column type and logging
    # helper stand in (realworld/shims/keylime)
    History("keylime-registrar", "keylime==7.14.3", "keylime/migrations", shim="keylime",
            version_table="alembic_version_registrar", migration_args={"engine_name": "registrar"}),
    History("keylime-verifier", "keylime==7.14.3", "keylime/migrations", shim="keylime",
            version_table="alembic_version_cloud_verifier", migration_args={"engine_name": "cloud_verifier"}),
    # fittrackee (a self-hosted workout tracker) runs its whole history on an empty PostgreSQL database, the one
    # database it supports, in one transaction (ftcli db upgrade: Flask-Migrate's defaults, no naming convention).
    # 0.12.2 is the last version before its history needs PostGIS (Geometry columns, which this server lacks).
    # Its revisions read the upload folder from flask's config and one list of enum values; its roles are copied
    History("fittrackee", "fittrackee==0.12.2", "fittrackee/migrations", shim="fittrackee", dialects=("postgresql",),
            copied=("fittrackee/users/roles.py",)),
    # aiida-core's SQLite storage (sqlite_dos): its history from its initial revision (main_0001, the tables)
    # on an empty database, as Alembic runs it (aiida makes a new storage with create_all() of the same
    # models and stamps main@head); its env.py: no naming convention, one transaction per revision. main_0002
    # drops the hashes of calculation nodes: aiida's logger, entry point loader and node type string stand
    # in (realworld/shims/aiida). Its PostgreSQL history (psql_dos) is not here: see docs/alembic.md
    History("aiida-sqlite", "aiida-core==2.9.4", "aiida/storage/sqlite_dos/migrations", shim="aiida",
            transaction_per_migration=True, dialects=("sqlite",)),
    # zun-db-manage upgrade runs the whole history on an empty database (OpenStack's container service; its
    # env.py: no naming convention, render_as_batch=True, one transaction); its JSON-as-text column types
    # (realworld/shims/oslo), the container type a revision defaults to and oslo_serialization's jsonutils
    # (realworld/shims/zun) stood in for
    History("zun", "zun==18.0.0", "zun/db/sqlalchemy/alembic", shim=("zun", "oslo"), render_as_batch=True),
    # skyline-apiserver (OpenStack's dashboard back end) runs its history on an empty database at start-up
    # (its env.py: no naming convention, one transaction); its tables start with no primary key, which a
    # later revision adds in batch blocks; its revisions import nothing of skyline
    History("skyline", "skyline-apiserver==9.0.0", "skyline_apiserver/db/alembic"),
    # sahara-db-manage upgrade head runs the whole history on an empty database (OpenStack's data processing
    # service, retired after 19.0.0; its env.py: no naming convention, one transaction); its column types
    # are copied, oslo_serialization's jsonutils stood in for (realworld/shims/sahara)
    History("sahara", "sahara==19.0.0", "sahara/db/migration/alembic_migrations", shim="sahara",
            copied=("sahara/db/sqlalchemy/types.py",)),
    # monasca_db upgrade runs the whole history on an empty database (OpenStack's monitoring API; its
    # env.py sets its own naming convention on the models' MetaData, one transaction); its revisions
    # import nothing of monasca
    History("monasca", "monasca-api==11.0.0", "monasca_api/db/alembic", naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s"}),
    # trove-manage db_sync runs the whole history on an empty database (OpenStack's database service; its
    # env.py: no naming convention, one transaction); its registry defaults are copied, the option a
    # revision reads stood in for (realworld/shims/trove)
    History("trove", "trove==26.0.0", "trove/db/sqlalchemy/migrations", shim="trove",
            copied=("trove/common/constants.py",)),
    # freezer-manage db sync runs the whole history on an empty database (OpenStack's backup service; its
    # env.py: no naming convention, one transaction); oslo's logger and jsonutils stood in for
    # (realworld/shims/freezer)
    History("freezer", "freezer-api==19.0.0", "freezer_api/db/sqlalchemy/migrations", shim="freezer"),
    # freshmaker (Red Hat's rebuilder of container images on security fixes; 0.1.2, its last release, a source
    # distribution, 14 revisions) runs its whole history on an empty database with Flask-Migrate (no naming
    # convention, one transaction; its revisions write their own batch blocks for SQLite). 90f8444d5ab7 sets the new
    # state of every event with ``sa.update(Event)`` over its model, b17231ee8220 and e06434b3ef5e move and merge
    # rows in SQL text before they drop a column and add a unique index. Its models, db and six stand in, its
    # types are copied (realworld/shims/freshmaker)
    History("freshmaker", "freshmaker==0.1.2", "freshmaker/migrations", sdist=True, shim="freshmaker",
            copied=("freshmaker/types.py",)),
    # refstack (OpenStack's interoperability results; 2.1.0, 13 revisions) runs its whole history on an empty
    # database (refstack-manage upgrade; its env.py: no naming convention, one transaction, version table from
    # its options, alembic_version by default). Its tables are MySQL's (mysql_charset), and 434be17a6ec3 sends
    # MySQL's SET FOREIGN_KEY_CHECKS as a string, which SQLAlchemy 1.x ran (realworld/shims/refstack)
    History("refstack", "refstack==2.1.0", "refstack/db/migrations/alembic", shim="refstack"),
    # waiverdb (Fedora's waivers of test results; 1.4.0, the newest version, has only a source distribution)
    # runs its whole history on an empty PostgreSQL database, the one it runs on, with Flask-Migrate (no
    # naming convention, one transaction); its JSON serializer, column type and subject conversions are
    # stood in for as waiverdb writes them, and its ResultsDB client by one with nothing to ask
    # (realworld/shims/waiverdb)
    History("waiverdb", "waiverdb==1.4.0", "waiverdb/migrations", sdist=True, shim="waiverdb",
            dialects=("postgresql",)),
    # rucio (CERN's scientific data management) makes a new database with create_all() of its models and
    # stamps head (rucio-admin's bootstrap); its history migrates older ones: here one made by rucio 37.0.0's
    # models (the oldest version with a wheel), its heads stamped, which needs a configuration file
    # (realworld/shims/rucio/base_config.py). Its env.py: no naming convention, one transaction. Its column
    # types, enums and the generic schema's lengths are copied; get_schema_value, try_drop_constraint and
    # the models' String stood in for (realworld/shims/rucio)
    History("rucio", "rucio==41.5.1", "rucio/db/sqla/migrate_repo", shim="rucio",
            copied=tuple(f"rucio/{m}.py" for m in (
                "common/constants", "common/exception", "common/constraints", "common/types",
                "common/schema/generic", "common/schema/schema_ref", "db/sqla/constants", "db/sqla/types")),
            base=Base("rucio==37.0.0", ("rucio.db.sqla.models",), prepare="base_config.py")),
    # qinling-db-manage upgrade head runs the whole history on an empty database (OpenStack's function
    # service, retired after 5.0.0; its env.py: no naming convention, one transaction). Its initial revision
    # registers a @compiles(CreateTable) of its own for the rest of the process (CREATE TABLE IF NOT EXISTS
    # for the tables it marks); its column types are copied, oslo_serialization's jsonutils stood in for
    # (realworld/shims/qinling)
    History("qinling", "qinling==5.0.0", "qinling/db/sqlalchemy/migration/alembic_migrations", shim="qinling",
            copied=("qinling/db/sqlalchemy/types.py",)),
    # solum-db-manage upgrade head runs the whole history on an empty database (OpenStack's application
    # service; its env.py: no naming convention, one transaction); its two column types and oslo's clock
    # stood in for (realworld/shims/solum)
    History("solum", "solum==15.0.0", "solum/objects/sqlalchemy/migration/alembic_migrations", shim="solum"),
    # congress-db-manage upgrade head runs the whole history on an empty database (OpenStack's policy
    # service, retired after 11.0.0; its env.py: no naming convention, one transaction); the initial
    # revision's table module is copied
    History("congress", "openstack-congress==11.0.0", "congress/db/migration/alembic_migrations",
            copied=("congress/db/migration/alembic_migrations/policy_rules_init_opts.py",)),
    # vitrage-dbsync runs its history (one initial revision) on an empty database (OpenStack's root cause
    # analysis service; its env.py: no naming convention, one transaction); its column types and oslo's
    # clock stood in for (realworld/shims/vitrage)
    History("vitrage", "vitrage==15.0.1", "vitrage/storage/sqlalchemy/migration/alembic_migrations", shim="vitrage"),
    # BentoML 0.x's Yatai service keeps its metadata (SQLite or PostgreSQL: its String columns have no length)
    # with create_all() and a stamp of head for a new database, and its history for an older one: here one
    # made by bentoml 0.8.6's models (its history's head a6b00ae45279 stamped). Two revisions create a
    # model's table on op.get_bind() (Label.__table__.create(bind): a PostgreSQL enum with it), the others
    # alter in batch blocks; its env.py: no naming convention, one transaction. Its label and lock stores
    # and declarative base are copied; its exceptions and a protobuf message stand in (realworld/shims/bentoml)
    History("bentoml", "bentoml==0.13.1", "bentoml/yatai/migrations", shim="bentoml", dialects=("sqlite", "postgresql"),
            copied=("bentoml/yatai/db/base.py", "bentoml/yatai/db/stores/label.py", "bentoml/yatai/db/stores/lock.py"),
            base=Base("bentoml==0.8.6", ("bentoml.yatai.repository.metadata_store", "bentoml.yatai.deployment.store"),
                      bare_packages=True, prepare="base_packages.py", venv=("sqlalchemy==1.4.54", "protobuf==3.20.3"))),
    # neutron's sub-projects: neutron-db-manage upgrade heads runs neutron's history, then each installed
    # sub-project's branch in the same database with its own version table (their tables have foreign keys
    # to neutron's: networks, routers, ports, standardattributes). Each starts from neutron 29.0.0's history
    # run by Alembic alone (Base.history), on MariaDB, the one database that history completes on here; their
    # env.py: no naming convention, one transaction. Their expand and contract branches (branch labels from
    # neutron's cli) lie in one folder per release (recursive_version_locations); the release milestones
    # they name and the helpers some call are neutron's own module, copied into
    # realworld/shims/neutron_subproject; neutron's shim serves the rest
    History("bgpvpn", "networking-bgpvpn==25.0.0", "networking_bgpvpn/neutron/db/migration/alembic_migrations",
            version_table="alembic_version_bgpvpn", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    History("dynamic-routing", "neutron-dynamic-routing==29.0.0",
            "neutron_dynamic_routing/db/migration/alembic_migrations", version_table="alembic_version_dr",
            shim=("neutron", "neutron_subproject"), dialects=("mariadb",), version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # neutron-fwaas: its firewall-group model, which a sanity check queries, and its strings stand in
    # (realworld/shims/neutron_fwaas); its constants are copied
    History("fwaas", "neutron-fwaas==25.0.0", "neutron_fwaas/db/migration/alembic_migrations",
            version_table="alembic_version_fwaas", shim=("neutron", "neutron_subproject", "neutron_fwaas"),
            dialects=("mariadb",), version_locations={"mariadb": "versions"},
            copied=("neutron_fwaas/common/fwaas_constants.py",),
            base=Base("neutron==29.0.0", (), history="neutron")),
    # rally db upgrade runs its history (28 revisions from an initial one, many data migrations over stored
    # tasks) on a database older than its models (OpenStack's benchmarking tool; its env.py: batch mode on
    # every database, no naming convention, one transaction). Its column types are copied; its exceptions,
    # statuses, engine, UUID factory and the plugins a data revision loads per stored row stand in
    # (realworld/shims/rally)
    History("rally", "rally==5.1.1", "rally/common/db/migrations", shim="rally", render_as_batch=True,
            copied=("rally/common/db/sa_types.py",)),
    # tap-as-a-service: its start revision sits in versions/ itself, beside the release folders; its
    # initial revision's table module is copied
    History("taas", "tap-as-a-service==18.0.0", "neutron_taas/db/migration/alembic_migration",
            version_table="alembic_version_taas", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            copied=("neutron_taas/db/migration/taas_init_ops.py",),
            base=Base("neutron==29.0.0", (), history="neutron")),
    History("l2gw", "networking-l2gw==22.0.0", "networking_l2gw/db/migration/alembic_migrations",
            version_table="l2gw_alembic_version", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-sfc: a contract revision re-creates foreign keys it reflects with neutron's helpers
    History("sfc", "networking-sfc==23.0.0", "networking_sfc/db/migration/alembic_migrations",
            version_table="alembic_version_sfc", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # neutron-vpnaas: data migrations (reading rows, netaddr standing in: realworld/shims/neutron_vpnaas),
    # an enum of its constants (copied), foreign keys dropped and re-created by neutron's helpers
    History("vpnaas", "neutron-vpnaas==29.0.0", "neutron_vpnaas/db/migration/alembic_migrations",
            version_table="alembic_version_vpnaas", shim=("neutron", "neutron_subproject", "neutron_vpnaas"),
            dialects=("mariadb",), version_locations={"mariadb": "versions"},
            copied=("neutron_vpnaas/services/vpn/common/constants.py",),
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-bagpipe: a contract revision ``depends_on`` an expand one (across the two branches) and
    # drops the port-chain tables that one made
    History("bagpipe", "networking-bagpipe==25.0.0", "networking_bagpipe/db/migration/alembic_migrations",
            version_table="alembic_version_bagpipel2", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-odl (OpenDaylight's ML2 driver; its journal tables, an enum of its states from its
    # constants, copied, with rows a data revision inserts)
    History("odl", "networking-odl==22.0.0", "networking_odl/db/migration/alembic_migrations",
            version_table="odl_alembic_version", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"}, copied=("networking_odl/common/constants.py",),
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-mlnx (Mellanox's ML2 driver; its SDN journal tables, enums of its constants, copied)
    History("mlnx", "networking-mlnx==21.0.0", "networking_mlnx/db/migration/alembic_migrations",
            version_table="mlnx_alembic_version", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            copied=("networking_mlnx/plugins/ml2/drivers/sdn/constants.py",),
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-infoblox (Infoblox's IPAM driver): a revision's columns take a Python-side default from its
    # utils (realworld/shims/networking_infoblox)
    History("infoblox", "networking-infoblox==19.0.0", "networking_infoblox/neutron/db/migration/alembic_migrations",
            version_table="alembic_version_infoblox", shim=("neutron", "neutron_subproject", "networking_infoblox"),
            dialects=("mariadb",), version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # networking-cisco 10.0.0: 18 of its 22 revisions were emptied (``pass``) when its
    # drivers were removed; its 2023.1 revisions add the Nexus Dashboard tables
    History("cisco", "networking-cisco==10.0.0", "networking_cisco/db/migration/alembic_migrations",
            version_table="cisco_alembic_version", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # dragonflow 4.0.0 (OpenStack's distributed SDN controller; a source distribution, its last release on PyPI): a
    # branch point in versions/ itself, expand and contract branches, one table of its own
    History("dragonflow", "dragonflow==4.0.0", "dragonflow/db/neutron/migration/alembic_migrations", sdist=True,
            version_table="df_alembic_version", shim=("neutron", "neutron_subproject"), dialects=("mariadb",),
            version_locations={"mariadb": "versions"},
            base=Base("neutron==29.0.0", (), history="neutron")),
    # fief-server's main history (its admin database: workspaces, their databases; each workspace's own
    # database has a second history, whose revisions read a table prefix its env.py passes in the
    # context's options). fief migrates on start with its env.py: no naming convention, one transaction,
    # version locations main_versions. Its initial revision makes its PostgreSQL enum on the connection
    # (checkfirst); its columns are fief's GUID (PostgreSQL's UUID by load_dialect_impl, CHAR(36)
    # elsewhere) and an offset-aware TIMESTAMP, which stand in as fief defines them (realworld/shims/fief)
    History("fief", "fief-server==0.27.0", "fief/alembic", shim="fief",
            version_locations=dict.fromkeys(DIALECTS, "main_versions")),
    # ckanext-harvest: ckan db upgrade -p harvest runs the plugin's history after ckan's, in ckan's
    # database with the plugin's own version table; its tables refer to ckan's package table (a
    # deferrable foreign key), its first revision creates what it does not find, its second re-creates
    # foreign keys by their PostgreSQL names. It starts from ckan 2.12.0's history run by Alembic alone,
    # on PostgreSQL, the one database that history completes on here; its env.py: no naming convention,
    # one transaction
    History("harvest", "ckanext-harvest==1.6.3", "ckanext/harvest/migration/harvest",
            version_table="harvest_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    # maubot 0.1.2 (the Matrix bot system) ships its history in the wheel's data folder and
    # runs it with alembic upgrade head on an empty database, SQLite or PostgreSQL (its String columns have
    # no length); its env.py: render_as_batch=True, no naming convention, one transaction. A revision
    # imports mautrix's JSON-in-text column type and the event contents it holds, which stand in
    # (realworld/shims/mautrix)
    History("maubot", "maubot==0.1.2", "maubot-0.1.2.data/data/alembic", shim="mautrix", render_as_batch=True,
            dialects=("sqlite", "postgresql")),
    # odcs 0.9.2 (Fedora's On Demand Compose Service; it has only a source distribution) runs its
    # whole history with Flask-Migrate's flask db upgrade on an empty database, PostgreSQL in production and
    # SQLite for development (its String columns have no length); its env.py: no naming convention, one
    # transaction; its revisions import nothing of odcs
    History("odcs", "odcs==0.9.2", "src/odcs/server/migrations", sdist=True, dialects=("sqlite", "postgresql")),
    # trulens-core (TruLens' evaluation records): trulens runs its history on an empty database, SQLite,
    # PostgreSQL or MySQL, through Alembic's API with the Config it makes: the table prefix set as a main option
    # (trulens_, its default), which names the version table; its env.py passes that Config to run_migrations()
    # (config=config) and every revision's upgrade(config) reads the prefix from it. No naming convention, one
    # transaction. Its revisions ask trulens whether tracing is on (the event table) and query its apps in an
    # ORM session (realworld/shims/trulens)
    History("trulens", "trulens-core==2.16.0", "trulens/core/database/migrations", shim="trulens",
            version_table="trulens_alembic_version", config_args=("config",),
            main_options={"trulens.table_prefix": "trulens_"}),
    # openhands-ai's app server (OpenHands, the coding agent) runs its history on start on an empty database,
    # SQLite by default or PostgreSQL (its String columns have no length); its env.py: no naming convention,
    # one transaction. Its initial revision's enum columns take their values from two status enums of the
    # app server (realworld/shims/openhands)
    History("openhands", "openhands-ai==1.11.0", "openhands/app_server/app_lifespan/alembic", shim="openhands",
            dialects=("sqlite", "postgresql")),
    # mindsdb makes a new database (SQLite by default, or PostgreSQL; its String columns have no length) as its
    # migrate.py does: the checkpoint revision's upgrade(op) run with Alembic's Operations (it does nothing
    # under Alembic's own upgrade), stamped, then alembic upgrade head; its env.py: render_as_batch=True,
    # no naming convention, one transaction. Its column types, file storage groups, logger, configuration
    # and default ids stand in (realworld/shims/mindsdb)
    History("mindsdb", "mindsdb==26.1.0", "mindsdb/migrations", shim="mindsdb", render_as_batch=True,
            dialects=("sqlite", "postgresql"),
            base=Base("mindsdb==26.1.0", (), checkpoint="9f150e4f9a05")),
    # ckan's other plugins with a history of their own run as harvest's does (ckan db upgrade -p NAME, in
    # ckan's database after its history, with the version table NAME_alembic_version their env.py names
    # after the history's folder; no naming convention, one transaction), from ckan 2.12.0's history
    History("ckanext-files", "ckanext-files==1.3.4", "ckanext/files/migration/files",
            version_table="files_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-tour", "ckanext-tour==2.0.0", "ckanext/tour/migration/tour",
            version_table="tour_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-event-audit", "ckanext-event-audit==2.0.0", "ckanext/event_audit/migration/event_audit",
            version_table="event_audit_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-comments", "ckanext-comments==0.3.1.post1", "ckanext/comments/migration/comments",
            version_table="comments_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-check-link", "ckanext-check-link==0.4.0", "ckanext/check_link/migration/check_link",
            version_table="check_link_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-flakes", "ckanext-flakes==0.5.0", "ckanext/flakes/migration/flakes",
            version_table="flakes_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-permissions", "ckanext-permissions==0.4.0", "ckanext/permissions/migration/permissions",
            version_table="permissions_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    History("ckanext-ap-support", "ckanext-admin-panel==2.1.3", "ckanext/ap_support/migration/admin_panel_support",
            version_table="admin_panel_support_alembic_version", dialects=("postgresql",),
            base=Base("ckan==2.12.0", (), history="ckan")),
    # nonebot-plugin-orm's plugins (the NoneBot chat-bot framework's SQLAlchemy plugin): nb orm upgrade runs
    # each plugin's history, under its branch label, from its revisions in the plugin's migrations/ folder
    # (no env.py: nonebot-plugin-orm's own, an async engine, render_as_batch=True, the naming convention of its
    # Model's MetaData, jupyterhub's). Their data revisions move rows from nonebot_plugin_datastore, which is
    # not loaded (require raises): nonebot's logger and require stand in (realworld/shims/nonebot)
    History("nonebot-user", "nonebot-plugin-user==0.6.1", "nonebot_plugin_user/migrations", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    History("nonebot-session-orm", "nonebot-plugin-session-orm==0.2.2", "nonebot_plugin_session_orm/migrations",
            flat=True, naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    History("nonebot-wordcloud", "nonebot-plugin-wordcloud==0.11.1", "nonebot_plugin_wordcloud/migrations",
            flat=True, naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # nonebot-plugin-chatrecorder 0.7.0: its initial revision depends_on nonebot-plugin-uninfo's (another package,
    # whose two revisions nb orm upgrade reads beside it, under their own branch); a data revision moves the
    # messages of its older table, which is not there
    History("nonebot-chatrecorder", "nonebot-plugin-chatrecorder==0.7.0", "nonebot_plugin_chatrecorder/migrations",
            flat=True, naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("nonebot-plugin-uninfo==0.11.2", "nonebot_plugin_uninfo/migrations"),),
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # nonebot-plugin-bind 0.2.2 keeps its tables with nonebot-plugin-datastore, the framework's older plugin: its
    # history (one revision, no branch label) runs with the version table NAME_alembic_version, the same naming
    # convention, batch mode and async engine; its String columns have no length
    History("nonebot-bind", "nonebot-plugin-bind==0.2.2", "nonebot_plugin_bind/migrations", flat=True,
            version_table="nonebot_plugin_bind_alembic_version", naming_convention=_JUPYTERHUB_CONVENTION,
            render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # skypilot (SkyPilot's API server; 0.14.1): one Alembic script folder (sky/schemas/db) holding six histories, each
    # in its own version location with its own version table (sections of its alembic.ini), on SQLite (a file per
    # database) or PostgreSQL; its env.py: no naming convention, one transaction. Each initial revision creates, in
    # an autocommit_block, every table of the current models still missing (checkfirst) and then adds each column
    # of older databases with op.add_column, swallowing the error that says the column is there; later revisions
    # do the same, with partial indexes (postgresql_where, sqlite_where). The models' tables and the helpers they
    # call are copied from the package (realworld/shims/skypilot), with the constants they read
    *(History(f"skypilot-{name}", "skypilot==0.14.1", "sky/schemas/db", version_table=f"alembic_version_{table}",
              shim="skypilot", dialects=("sqlite", "postgresql"), version_locations=dict.fromkeys(("sqlite", "postgresql"), name))
      for name, table in (("global_user_state", "state_db"), ("spot_jobs", "spot_jobs_db"), ("serve_state", "serve_state_db"),
                          ("skypilot_config", "sky_config_db"), ("kv_cache", "kv_cache_db"), ("recipes", "recipes_db"))),
    # Invenio's modules (CERN's digital library framework, InvenioRDM's base): invenio alembic upgrade runs, with
    # Flask-Alembic, the revisions of every installed module (each in its package's alembic/ folder, found by entry
    # point: version locations, no env.py) in one script folder and one version table, each module's history on a
    # branch of its own whose first revision depends_on invenio-db's dbdbc1b19cf2 (the versioning transaction
    # table); invenio-db's own revisions lie beside. Its context: invenio-db's naming convention (jupyterhub's),
    # one transaction per revision; invenio-db's 35c1075e6360 sends COMMIT itself. invenio_db.utils' column type
    # helpers and its UTCDateTime TypeDecorator stand in (realworld/shims/invenio)
    *(History(f"invenio-{name}", requirement, f"invenio_{name.replace('-', '_')}/alembic", flat=True,
              naming_convention=_JUPYTERHUB_CONVENTION, shim="invenio", transaction_per_migration=True,
              version_locations=dict.fromkeys(DIALECTS, "versions"),
              beside=(("invenio-db==2.6.1", "invenio_db/alembic"),))
      for name, requirement in (("pidstore", "invenio-pidstore==4.0.2"), ("records", "invenio-records==6.1.0"),
                                ("files-rest", "invenio-files-rest==6.1.0"), ("oaiserver", "invenio-oaiserver==6.0.2"),
                                ("banners", "invenio-banners==8.0.2"), ("pages", "invenio-pages==10.0.3"),
                                ("audit-logs", "invenio-audit-logs==4.1.0"), ("collections", "invenio-collections==10.0.3"))),
    # invenio-userprofiles 7.0.3 (3 revisions; the module was folded into invenio-accounts): its table refers to the
    # users (c25ef2c50ffa depends_on invenio-accounts' 9848d0149abd) and 41157f1933d6, which depends_on
    # invenio-accounts' eb9743315a9d, copies the profiles into the users' table in SQL text and drops its table
    History("invenio-userprofiles", "invenio-userprofiles==7.0.3", "invenio_userprofiles/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts"), transaction_per_migration=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"))),
    # invenio-accounts (11 revisions): f2522cdd5fcd drops the roles table's primary key with CASCADE in SQL text on
    # PostgreSQL (which drops the foreign keys referring to it), and on MySQL drops those foreign keys one by one,
    # found from the models (sqlalchemy_utils.get_referencing_foreign_keys); 9848d0149abd reads Flask's app config.
    # Flask's current_app and the models' roles table and the table referring to it stand in
    # (realworld/shims/invenio_accounts)
    History("invenio-accounts", "invenio-accounts==9.1.0", "invenio_accounts/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts"), transaction_per_migration=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"), beside=(("invenio-db==2.6.1", "invenio_db/alembic"),)),
    # invenio-access (7 revisions), with invenio-accounts' history beside (its tables refer to the roles and users):
    # f2522cdd5fcd of invenio-accounts then depends_on 842a62b56e60 of invenio-access, and its CASCADE drops
    # invenio-access's foreign key to the roles on PostgreSQL, which f9843093f686 makes again
    History("invenio-access", "invenio-access==7.1.0", "invenio_access/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts", "invenio_access"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"))),
    # invenio-oauthclient (8 revisions), with invenio-accounts' history beside: aaa265b0afa6 depends_on its
    # 62efc52773d4 and moves the user identities to invenio-accounts' table
    History("invenio-oauthclient", "invenio-oauthclient==9.1.2", "invenio_oauthclient/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"))),
    # invenio-oauth2server (4 revisions, its first depends_on invenio-accounts' 9848d0149abd), invenio-webhooks (3; its
    # first depends_on invenio-oauth2server's 12a88921ada2) and invenio-github (3; its tables refer to the users and to
    # invenio-webhooks' events), each with the histories it depends on beside; their revisions name invenio_db's db
    # (realworld/shims/invenio)
    *(History(f"invenio-{name}", requirement, f"invenio_{name}/alembic", flat=True,
              naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts"),
              transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
              beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"),
                      *beside))
      for name, requirement, beside in (
          ("oauth2server", "invenio-oauth2server==6.1.0", ()),
          ("webhooks", "invenio-webhooks==4.0.2", (("invenio-oauth2server==6.1.0", "invenio_oauth2server/alembic"),)),
          ("github", "invenio-github==7.1.2", (("invenio-oauth2server==6.1.0", "invenio_oauth2server/alembic"),
                                               ("invenio-webhooks==4.0.2", "invenio_webhooks/alembic"))))),
    # invenio-jobs (9 revisions; a merge of two heads, 1773910810), with invenio-accounts' history beside (its first
    # tables revision depends_on 9848d0149abd, its runs refer to the users): 356496a01197 takes column types from
    # invenio_db's db object (realworld/shims/invenio) and imports its run status enum (realworld/shims/invenio_jobs)
    History("invenio-jobs", "invenio-jobs==11.1.0", "invenio_jobs/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim=("invenio", "invenio_accounts", "invenio_jobs"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"))),
    # invenio-communities (14 revisions), with the histories beside whose revisions it depends_on and whose tables
    # it refers to: invenio-accounts' and invenio-access' (the users and roles), invenio-records', invenio-files-rest's
    # (the buckets and objects) and invenio-requests' (the requests). With it installed, invenio-accounts'
    # f2522cdd5fcd depends_on its 37b21951084c, drops (CASCADE on PostgreSQL, one by one on MySQL) its foreign
    # keys to the roles too, which its 02cd82910727 makes again (realworld/shims/invenio_communities)
    History("invenio-communities", "invenio-communities==29.3.0", "invenio_communities/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION,
            shim=("invenio", "invenio_accounts", "invenio_access", "invenio_communities"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"),
                    ("invenio-access==7.1.0", "invenio_access/alembic"), ("invenio-records==6.1.0", "invenio_records/alembic"),
                    ("invenio-files-rest==6.1.0", "invenio_files_rest/alembic"),
                    ("invenio-requests==15.2.2", "invenio_requests/alembic"))),
    # invenio-rdm-records (21 revisions; InvenioRDM's records), as invenio-communities with invenio-communities' and
    # invenio-collections' histories beside (its tables refer to the communities, a revision depends_on
    # invenio-collections' 425b691f768b); 1777278349 imports invenio_db.shared (realworld/shims/invenio)
    History("invenio-rdm-records", "invenio-rdm-records==36.0.0", "invenio_rdm_records/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION,
            shim=("invenio", "invenio_accounts", "invenio_access", "invenio_communities"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"),
                    ("invenio-access==7.1.0", "invenio_access/alembic"), ("invenio-records==6.1.0", "invenio_records/alembic"),
                    ("invenio-files-rest==6.1.0", "invenio_files_rest/alembic"),
                    ("invenio-requests==15.2.2", "invenio_requests/alembic"),
                    ("invenio-communities==29.3.0", "invenio_communities/alembic"),
                    ("invenio-collections==10.0.3", "invenio_collections/alembic"))),
    # invenio-checks 12.0.1 (6 revisions; checks run on InvenioRDM's drafts and records), as invenio-rdm-records with
    # invenio-communities' history beside (its configurations refer to the communities; its tables revision
    # depends_on invenio-communities' de9c14cbb0b2): its columns are sqlalchemy-utils' UUIDType and ChoiceType over
    # its enums (realworld/shims/invenio_checks), a later revision turns the ChoiceType's VARCHAR(1) into CHAR(1)
    # and alters columns' nullability without their type, which Alembic does not do on MySQL
    History("invenio-checks", "invenio-checks==12.0.1", "invenio_checks/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION,
            shim=("invenio", "invenio_accounts", "invenio_access", "invenio_communities", "invenio_checks"),
            transaction_per_migration=True, version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-accounts==9.1.0", "invenio_accounts/alembic"),
                    ("invenio-access==7.1.0", "invenio_access/alembic"), ("invenio-records==6.1.0", "invenio_records/alembic"),
                    ("invenio-files-rest==6.1.0", "invenio_files_rest/alembic"),
                    ("invenio-requests==15.2.2", "invenio_requests/alembic"),
                    ("invenio-communities==29.3.0", "invenio_communities/alembic"))),
    # invenio-requests (6 revisions): 1763728177 depends_on invenio-records' 8ae99b034410 and refers to
    # invenio-files-rest's objects (files_object), both histories beside; invenio-vocabularies (12): 55a700f897b6
    # depends_on invenio-pidstore's 999c62899c20, beside
    History("invenio-requests", "invenio-requests==15.2.2", "invenio_requests/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim="invenio", transaction_per_migration=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-records==6.1.0", "invenio_records/alembic"),
                    ("invenio-files-rest==6.1.0", "invenio_files_rest/alembic"))),
    History("invenio-vocabularies", "invenio-vocabularies==14.5.0", "invenio_vocabularies/alembic", flat=True,
            naming_convention=_JUPYTERHUB_CONVENTION, shim="invenio", transaction_per_migration=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("invenio-db==2.6.1", "invenio_db/alembic"), ("invenio-pidstore==4.0.2", "invenio_pidstore/alembic"))),
    # duffy (CentOS CI's node allocator; 3.4.0, 3 revisions) makes a new database with create_all() of its models and
    # stamps head (duffy setup-db); its history migrates older databases: here one made by duffy 3.0.0's models (its
    # one revision stamped, the models created with SQLAlchemy 1.4 and pydantic 1 as 3.0.0 ran them), on PostgreSQL or
    # SQLite, the databases its partial indexes are written for. Its env.py: its models' naming convention, one
    # transaction
    History("duffy", "duffy==3.4.0", "duffy/database/migrations", naming_convention=_DUFFY_CONVENTION,
            dialects=("sqlite", "postgresql"),
            base=Base("duffy==3.0.0", ("duffy.database.model",), venv=("sqlalchemy>=1.4,<2", "pydantic<2"))),
    # qcfractal (MolSSI's QCArchive server; 0.71, 62 revisions, PostgreSQL only) makes a new database with create_all()
    # of its models and stamps head (qcfractal-server init-db); its history, cut at d1ee87a66b71 in 0.65, migrates
    # older databases (qcfractal-server upgrade-db): here one made by 0.65's models (its 53 revisions stamped, the models
    # created with qcportal 0.65, whose enums their columns use). Its env.py: no naming convention, one transaction.
    # Its revisions' hashing helper is copied; msgpack and tqdm stand in (realworld/shims/qcfractal)
    History("qcfractal", "qcfractal==0.71", "qcfractal/alembic", shim="qcfractal", dialects=("postgresql",),
            copied=("qcfractal/alembic/migration_helpers/__init__.py", "qcfractal/alembic/migration_helpers/hashing.py"),
            base=Base("qcfractal==0.65", ("qcfractal.components.register_all", "qcfractal.db_socket.base_orm"),
                      venv=("qcportal==0.65", "sqlalchemy>=2,<2.1", "numpy"))),
    # pyspur (a visual AI-agent builder; 0.1.18, 11 revisions): pyspur serve runs its whole history on an empty
    # PostgreSQL database (on SQLite it only calls create_all()); its env.py: no naming convention, no batch mode
    # off SQLite, one transaction
    History("pyspur", "pyspur==0.1.18", "pyspur/models/management/alembic", dialects=("postgresql",)),
    # nonebot-plugin-fishing 0.2.3 (4 revisions) and nonebot-plugin-wakatime 0.3.1 (4) run as nonebot-user's do, each
    # under its branch label
    *(History(f"nonebot-{name}", requirement, f"nonebot_plugin_{name}/migrations", flat=True,
              naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
              drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"})
      for name, requirement in (("fishing", "nonebot-plugin-fishing==0.2.3"), ("wakatime", "nonebot-plugin-wakatime==0.3.1"),
                                # uninfo: JSON columns, then a batch block per table renaming its unique constraint;
                                # all4one (nonebot-plugin-datastore's era, no branch label): a batch block turning the
                                # INTEGER primary key into a Uuid
                                ("uninfo", "nonebot-plugin-uninfo==0.11.2"), ("all4one", "nonebot-plugin-all4one==0.1.0a4"),
                                # yijing 0.3.2: its later revisions add NOT NULL columns with server defaults, a TEXT's "{}"
                                ("yijing", "nonebot-plugin-yijing==0.3.2"))),
    # nonebot-plugin-memes 0.8.1, as nonebot-chatrecorder: its initial revision depends_on nonebot-plugin-uninfo's
    # (beside), and its data revision moves the rows of its older table when it is there (it is not) with automap
    History("nonebot-memes", "nonebot-plugin-memes==0.8.1", "nonebot_plugin_memes/migrations",
            flat=True, naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("nonebot-plugin-uninfo==0.11.2", "nonebot_plugin_uninfo/migrations"),),
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # nonebot-plugin-access-control 1.2.4 (2 revisions, in its orm_migrations/ folder): its data revision moves the rows of
    # nonebot-plugin-datastore's tables when that package is installed, which it is not
    History("nonebot-access-control", "nonebot-plugin-access-control==1.2.4", "nonebot_plugin_access_control/orm_migrations",
            flat=True, naming_convention=_JUPYTERHUB_CONVENTION, shim="nonebot", render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # ngshare (nbgrader's exchange as a JupyterHub service; 0.6.0, 2 revisions) runs its whole history on an empty
    # database when it starts (dbutil.upgrade: its env.py, no naming convention, one transaction)
    History("ngshare", "ngshare==0.6.0", "ngshare/alembic"),
    # covalent (a workflow orchestration platform; 0.240.0, a source distribution, 10 revisions): its dispatcher's
    # DataStore.run_migrations runs the whole history on an empty database (covalent db migrate; SQLite, its
    # default, or COVALENT_DATABASE_URL); its env.py: render_as_batch=True, no naming convention, one transaction
    History("covalent", "covalent==0.240.0", "covalent_migrations", sdist=True, render_as_batch=True),
    # cognee (a memory layer for AI agents; 1.6.5, 49 revisions) runs its whole history at start-up on an empty
    # database, SQLite (its default) or PostgreSQL, through an async engine (aiosqlite, asyncpg); its env.py: no
    # naming convention, one transaction. Its initial revision creates, from the frozen schema its revisions share
    # (copied), each table and PostgreSQL enum type still missing; later ones inspect before they add, and one
    # reads the session cache's settings. The modules they import stand in, with cognee's defaults
    # (realworld/shims/cognee)
    History("cognee", "cognee==1.6.5", "cognee/alembic", shim="cognee", copied=("cognee/alembic/frozen_schema.py",),
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # privacyidea (the multi-factor authentication server) makes a new database with create_all() of its models
    # and stamps head (pi-manage setup create_tables); its history (every revision guarded for the databases of
    # older versions) migrates the databases of older versions: here one made by privacyidea 3.12's models, the
    # oldest wheel. Its env.py (Flask-Migrate's): no naming convention, one transaction on an AUTOCOMMIT
    # connection, on every database. Its models' db.py and utils.py are copied (the @compiles hooks: DATETIME(6) on
    # MySQL, CREATE SEQUENCE ... INCREMENT BY 0 on MariaDB; the sequence helpers); privacyidea.lib, which its data
    # revisions call to convert rows, stands in (realworld/shims/privacyidea)
    History("privacyidea", "privacyidea==3.14", "privacyidea/migrations", shim="privacyidea",
            copied=("privacyidea/models/db.py", "privacyidea/models/utils.py"), autocommit=DIALECTS,
            base=Base("privacyidea==3.12", ("privacyidea.models",))),
    # faraday (faradaysec, the vulnerability management platform; 155 revisions) makes a new PostgreSQL database
    # with create_all() of its models and stamps head (faraday-manage initdb); its history migrates the databases
    # of older versions: here one made by faradaysec 4.0.4's models (a throwaway venv with the SQLAlchemy 1.3 and
    # Flask-SQLAlchemy 2 they need; faraday.server.config makes a home folder when imported:
    # realworld/shims/faraday/base_home.py). Its env.py: no naming convention, one transaction per revision.
    # Its revisions read faraday's JSONType, its models' constants (token scopes, role names, permission actions)
    # and the roles (Role.query.all()), which stand in (realworld/shims/faraday); its permission names are copied.
    # faraday runs on psycopg2 (a revision writes a string into a time column, which psycopg 3 binds as varchar)
    History("faraday", "faradaysec==5.25.2", "faraday/migrations", shim="faraday", transaction_per_migration=True,
            dialects=("postgresql",), copied=("faraday/server/utils/permissions.py",), drivers={"postgresql": "psycopg2"},
            base=Base("faradaysec==4.0.4", ("faraday.server.models",), prepare="base_home.py", setup="base_roles.py",
                      venv=("SQLAlchemy<1.4", "Flask-SQLAlchemy==2.5.1", "flask==2.0.3", "werkzeug<2.1",
                            "Flask-Security-Too<5", "filedepot", "PyJWT"))),
    # amundsen-rds (0.0.8; 4 revisions), the relational models of Amundsen's metadata service: its users run the
    # whole history on an empty database with `alembic upgrade head` (its env.py: no naming convention, one
    # transaction); its key columns carry MySQL's collation latin1_general_cs
    History("amundsen-rds", "amundsen-rds==0.0.8", "amundsen_rds/migrations"),
    # mwdb-core (CERT Polska's malware database; 49 revisions, PostgreSQL only: ARRAY, JSONB, enums) runs its whole
    # history on an empty database (mwdb-core configure: Flask-Migrate's upgrade; its env.py: no naming convention,
    # one transaction); a revision reads mwdb.model's OpenIDGroupManagementMode, and 6a7aefae72d3 sends
    # connection.execute("ANALYZE"), a string, which the SQLAlchemy 1.4 it pins runs (realworld/shims/mwdb)
    History("mwdb", "mwdb-core==2.20.0", "mwdb/model/migrations", shim="mwdb", dialects=("postgresql",)),
    # kadi (Kadi4Mat, KIT's research data infrastructure; 44 revisions, PostgreSQL only: JSONB) runs its whole history
    # on an empty database (kadi db init: Flask-Migrate's upgrade; its env.py: its models' naming convention, one
    # transaction); its revisions name the column types of kadi.lib.migration_types (a UTC DateTime, a JSONB,
    # sqlalchemy-utils' StringEncryptedType), which stand in, and 9c4e6e15c4b8 passes parameters to
    # connection.execute as keywords, which the SQLAlchemy 1.4 it pins runs (realworld/shims/kadi)
    History("kadi", "kadi==1.13.0", "kadi/migrations", naming_convention=_KADI_CONVENTION, shim="kadi",
            dialects=("postgresql",)),
    # knowledge-repo (0.9.3; 9 revisions), Airbnb's Knowledge Repo: its app makes a new database with create_all() of
    # its models and stamps head, and upgrades one at an older revision (db_upgrade): here its whole history from
    # the initial revision on an empty database (Flask-Migrate's env.py: no naming convention, one transaction);
    # the only module its revisions import is its MediumText (MEDIUMTEXT on MySQL), copied
    History("knowledge-repo", "knowledge-repo==0.9.3", "knowledge_repo/app/migrations",
            copied=("knowledge_repo/utils/types.py",)),
    # irrd (4.5.4; 25 revisions), the Internet Routing Registry daemon, PostgreSQL only: irrd_database_upgrade runs
    # its whole history on an empty database (its env.py: no naming convention, one transaction); its revisions add
    # enum values in autocommit_block(), and one reads irrd's database status table and a settings helper, which
    # stand in (realworld/shims/irrd); irrd runs on psycopg2 (a revision compares a numeric column with 2**128, which
    # psycopg 3 binds as bigint)
    History("irrd", "irrd==4.5.4", "irrd/storage/alembic", shim="irrd", dialects=("postgresql",),
            drivers={"postgresql": "psycopg2"}),
    # ethyca-fides (fides, Ethyca's privacy engineering platform; 331 revisions from two roots, fidesctl's and
    # fidesops', PostgreSQL only) runs its whole history on an empty database when its server starts (its env.py: no
    # naming convention, one transaction); its revisions use sqlalchemy-citext's CIText, loguru, fides' config
    # (encryption keys), enums and a few helpers, which stand in, and import fides' models, fideslang and networkx
    # only to convert rows, placeholders (realworld/shims/fides); its own migration helpers are copied
    History("fides", "ethyca-fides==2.78.2", "fides/api/alembic/migrations", shim="fides", dialects=("postgresql",),
            copied=tuple(f"fides/api/alembic/migrations/helpers/{m}.py" for m in (
                "__init__", "custom_report_migration_functions", "database_functions",
                "fideslang_migration_functions"))),
    # dbos (1.14.0; 15 revisions), DBOS Transact's system database, PostgreSQL only: DBOS runs its whole history on
    # an empty database when it launches (its env.py: no naming convention, one transaction); the tables lie in the
    # schema dbos its first revision creates (CREATE SCHEMA IF NOT EXISTS, then the uuid-ossp extension)
    History("dbos", "dbos==1.14.0", "dbos/_alembic_migrations", dialects=("postgresql",)),
    # grader-service (0.12.5; 12 revisions), TU Wien's JupyterHub grading service: grader-service-migrate runs its whole
    # history on an empty database (its env.py: render_as_batch=True, no naming convention, one transaction); SQLite
    # and PostgreSQL. Its revisions branch on the dialect, make and drop PostgreSQL ENUM types, re-create foreign
    # keys with ON DELETE CASCADE and move rows in SQL; the token generator one calls stands in
    # (realworld/shims/grader_service)
    History("grader-service", "grader-service==0.12.5", "grader_service/migrate", shim="grader_service",
            render_as_batch=True, dialects=("sqlite", "postgresql")),
    # guardrails-api (0.4.4; 3 revisions), Guardrails AI's API server, PostgreSQL only: its server makes the tables of
    # its models and then runs the history (guarded with if_exists/if_not_exists for a database its models just
    # made); a database of 0.2.1, before the history, has the tables of 0.2.1's models (its audit trigger, made
    # as SQL text beside them, left out), which the whole history then migrates: the key of `guards` moves from
    # `name` to a new `id` (drop_constraint of the primary key, create_primary_key), the audit function and trigger
    # are made again as SQL text (copied from the wheel), columns become NOT NULL
    History("guardrails-api", "guardrails-api==0.4.4", "guardrails_api/db/migrations", dialects=("postgresql",),
            copied=("guardrails_api/db/extras/audit.py",),
            base=Base("guardrails-api==0.2.1", ("guardrails_api.models.guard_item_audit",
                                                "guardrails_api.models.guard_item"), bare_packages=True, stamp=False)),
    # embedchain (0.1.128; 1 revision), the RAG framework: it runs its history on its database (SQLite by default, any
    # SQLAlchemy URL) when an app starts (its env.py: no naming convention, one transaction); its `sa.String()`
    # columns have no length
    History("embedchain", "embedchain==0.1.128", "embedchain/migrations"),
    # tiled (0.2.20; 28 revisions), Bluesky's structured scientific data service, its catalog database (SQLite and
    # PostgreSQL): a new catalog is made by create_all() of its models and stamped; one made by 0.1.0a101, the
    # first version whose history has a revision (6825c778aa3c, "initialize", whose upgrade refuses to run), is
    # migrated by the whole history (its env.py: no naming convention, one transaction). Its revisions alter the
    # ENUM of structure families, make GIN indexes and a full-text table (PostgreSQL: tsvector; SQLite: an FTS5
    # virtual table with triggers), a closure table with triggers, and move rows; its JSON type and enums, and the
    # helpers of its data revisions, stand in (realworld/shims/tiled). The models of 0.1.0a101 need pydantic 1.
    # tiled runs both databases on async drivers (aiosqlite, asyncpg) through an async env.py
    History("tiled", "tiled==0.2.20", "tiled/catalog/migrations", shim="tiled", dialects=("sqlite", "postgresql"),
            base=Base("tiled==0.1.0a101", ("tiled.catalog.orm",), bare_packages=True,
                      venv=("sqlalchemy>=2,<2.1", "pydantic<2")),
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg"}),
    # reana-db (0.9.5, a source distribution; 11 revisions, PostgreSQL only), REANA's database: its tables live in
    # the schema __reana, with Alembic's version table there (its env.py: version_table_schema="__reana",
    # include_schemas); a database made by reana-db 0.7.3's models (before the history; reana-db makes the schema
    # first) is migrated by the whole history: quota tables, enums, a workspace path moved in SQL, the
    # constraints renamed to its naming convention, indexes reworked; the shared volume path one revision reads
    # stands in (realworld/shims/reana). The models of 0.7.3 need SQLAlchemy 1.3 and sqlalchemy-utils.
    History("reana-db", "reana-db==0.9.5", "reana_db/alembic", sdist=True, shim="reana", dialects=("postgresql",),
            version_table_schema="__reana",
            base=Base("reana-db==0.7.3", ("reana_db.models",), sdist=True, prepare="prepare_commons.py",
                      venv=("sqlalchemy<1.4", "sqlalchemy-utils<0.37", "cryptography"))),
    # gramps-webapi (3.24.0, a source distribution: the wheel holds no history; 18 revisions), Gramps Web's user
    # database: `gramps-webapi user migrate` runs `alembic upgrade head` on it (SQLite by default, or PostgreSQL;
    # its env.py: no naming convention, one transaction); its first revision creates the users table only when
    # the inspector does not find it, later ones branch on what the inspector finds, and its ids are a GUID
    # TypeDecorator (PostgreSQL's UUID, CHAR(32) elsewhere), copied with the modules that import it
    History("gramps-webapi", "gramps-webapi==3.24.0", "alembic_users", sdist=True, shim="gramps_webapi",
            copied=("gramps_webapi/auth/sql_guid.py",)),
    # mautrix-hangouts (0.1.4, its last release, yanked; 13 revisions), the Matrix-Hangouts bridge: its history
    # lies in the wheel's data folder and runs with alembic upgrade head on an empty database, SQLite or
    # PostgreSQL (its env.py: render_as_batch=True, no naming convention, one transaction); its revisions
    # branch on the engine's name and use mautrix's JSON-in-text column type (realworld/shims/mautrix), and
    # fb42f7a67a6b copies rows with `op.get_bind().execute("INSERT INTO ... SELECT ...")`, a string, which
    # SQLAlchemy 1.x ran: refstack's shim gives SQLAlchemy 2 that behaviour in both runs compared
    History("mautrix-hangouts", "mautrix-hangouts==0.1.4", "mautrix_hangouts-0.1.4.data/data/alembic",
            shim=("mautrix", "refstack"), render_as_batch=True, dialects=("sqlite", "postgresql")),
    # mautrix-telegram (0.10.2, the last version with an Alembic history; 31 revisions from 2018 on), the
    # Matrix-Telegram bridge, as mautrix-hangouts: its history in the wheel's data folder, run with alembic upgrade
    # head on an empty database, SQLite or PostgreSQL (its env.py: render_as_batch=True). Its revisions move the
    # rows of older files into the database (Telethon's session files, the state store's mx-state.json: none
    # here), declare ORM classes on mautrix's declarative base, and copy tables in SQL strings passed to
    # `conn.execute` (refstack's shim, as above); the bridge's config stands in (realworld/shims/mautrix_telegram)
    History("mautrix-telegram", "mautrix-telegram==0.10.2", "mautrix_telegram-0.10.2.data/data/alembic",
            shim=("mautrix", "mautrix_telegram", "refstack"), render_as_batch=True, dialects=("sqlite", "postgresql")),
    # mautrix-facebook (0.2.1, the last version with an Alembic history; 19 revisions), the Matrix-Facebook bridge, as
    # mautrix-hangouts: its history in the wheel's data folder, SQLite or PostgreSQL (its env.py: render_as_batch=True)
    History("mautrix-facebook", "mautrix-facebook==0.2.1", "mautrix_facebook-0.2.1.data/data/alembic", shim="mautrix",
            render_as_batch=True, dialects=("sqlite", "postgresql")),
    # murano (16.0.0, OpenStack's application catalog, retired; 16 revisions) runs its whole history with
    # murano-db-manage upgrade on an empty database (its env.py: no naming convention, one transaction). Written
    # for SQLAlchemy 1.x: its helper copies a table through `sa.MetaData(bind=...)`, `meta.reflect()` and
    # `select([...])`, its initial revision inserts rows with `table.insert(values=...)`
    # (realworld/shims/sqlalchemy14 gives SQLAlchemy 2 those behaviours in both runs compared); its MySQL branches
    # widen columns to LONGTEXT and DATETIME(fsp=6); its constants, column types and helper are copied, oslo's
    # clock and json stand in (realworld/shims/murano)
    History("murano", "murano==16.0.0", "murano/db/migration/alembic_migrations", shim=("sqlalchemy14", "murano"),
            copied=("murano/common/consts.py", "murano/db/sqla/types.py", "murano/db/migration/helpers.py")),
    # gertty (1.6.0; 19 revisions), the console client for Gerrit, keeps its local database on SQLite by default
    # (any SQLAlchemy URL): it runs its whole history on an empty database when it starts (its env.py: no naming
    # convention, one transaction). Its revisions alter and drop SQLite columns with helpers of their own that
    # make the table again under a random name (`<table>_<uuid4>`), copy the rows through a reflected
    # `MetaData(bind=...)` and `select([...])`, drop the old table and rename, and fill new columns in SQL
    # (realworld/shims/gertty; dbsupport.py copied)
    History("gertty", "gertty==1.6.0", "gertty/alembic", shim=("sqlalchemy14", "gertty"),
            copied=("gertty/dbsupport.py",)),
    # gpustack (2.3.0; 41 revisions), the GPU cluster manager for AI models, runs its whole history on an empty
    # database when its server starts, SQLite by default, PostgreSQL or MySQL (its env.py: render_as_batch=True, no
    # naming convention, one transaction); its revisions check tables and columns before they change them, make and
    # drop views in SQL text, change enums per database and move rows; its version, config, column types and
    # constants stand in (realworld/shims/gpustack), its SQL statements and helpers are copied. Its server runs the
    # history on the URL's default driver (psycopg2 for postgresql://, PyMySQL for mysql://): e6bf9e067296 binds
    # strings into to_json(), whose type psycopg 3 leaves unknown
    History("gpustack", "gpustack==2.3.0", "gpustack/migrations", shim="gpustack", render_as_batch=True,
            copied=("gpustack/schemas/stmt.py", "gpustack/utils/sql_enum.py", "gpustack/migrations/utils.py"),
            drivers={"postgresql": "psycopg2"}),
    # skyvern (1.0.56; 307 revisions, PostgreSQL only), the browser-automation agent: its history lies in the wheel's
    # top-level alembic/ folder and runs on an empty database through an async env.py (create_async_engine, psycopg's
    # async driver; no naming convention, one transaction); its revisions import nothing of skyvern: enum values
    # added, indexes made and dropped CONCURRENTLY in autocommit blocks with a statement timeout set around them,
    # columns backfilled in SQL text
    History("skyvern", "skyvern==1.0.56", "alembic", dialects=("postgresql",),
            drivers={"postgresql": "psycopg_async"}),
    # subunit2sql (1.10.0; 17 revisions), OpenStack's store of test results (its CI's subunit streams): its
    # subunit2sql-db-manage upgrade runs the whole history on an empty database, MySQL in OpenStack's CI, SQLite
    # and PostgreSQL too (its env.py: render_as_batch=True, no naming convention, one transaction). Its revisions
    # branch on the dialect: 2822a408bdd0 moves every table from UUID keys to integer ids (per dialect: batch
    # blocks on SQLite, ALTER ... USING and sequences on PostgreSQL), 1679b5bc102c runs a .sql file beside it on
    # MySQL and copies the microseconds row by row elsewhere through a bound MetaData (SQLAlchemy 1.x), others
    # reflect the indexes before they add the missing ones. oslo.db's model_query, the options, the models and
    # the session 5332fe255095 queries stand in (realworld/shims/subunit2sql)
    History("subunit2sql", "subunit2sql==1.10.0", "subunit2sql/migrations", shim=("oslo", "sqlalchemy14", "subunit2sql"),
            render_as_batch=True),
    # nostr-relay (1.14; 3 revisions), a relay of the Nostr protocol: it runs alembic upgrade head on its storage at
    # start (SQLite on aiosqlite by default, or PostgreSQL on asyncpg; its env.py: async, no naming convention, one
    # transaction). Its initial revision picks BLOB and JSON on SQLite, BYTEA and JSONB elsewhere (so MySQL cannot
    # run it), drops older tables in SQL text and makes two tables inside try/except; a data revision moves the
    # events of the older table it reflects, which a new database has not (aionostr's Event stands in,
    # realworld/shims/nostr_relay)
    History("nostr-relay", "nostr-relay==1.14", "nostr_relay/alembic", shim="nostr_relay",
            dialects=("sqlite", "postgresql"), drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg"}),
    # nonebot-bison (0.9.14; 14 revisions), a NoneBot plugin that pushes social-media posts to chats, keeps its tables
    # with nonebot-plugin-datastore as nonebot-bind does (version table NAME_alembic_version, jupyterhub's naming
    # convention, render_as_batch=True, an async engine): batch blocks that change column types to JSON (with
    # postgresql_using), add and drop unique constraints and columns and make columns NOT NULL, tables renamed, and
    # data revisions that reflect the tables with automap_base and rewrite the users in an ORM session
    History("nonebot-bison", "nonebot-bison==0.9.14", "nonebot_bison/config/migrations", flat=True,
            version_table="nonebot_bison_alembic_version", naming_convention=_JUPYTERHUB_CONVENTION,
            render_as_batch=True,
            drivers={"sqlite": "aiosqlite", "postgresql": "asyncpg", "mariadb": "aiomysql"}),
    # mlflow's auth history (mlflow 3.18.0; 7 revisions): the tracking server's basic-auth database, which
    # mlflow.server.auth.db.utils.migrate runs to head on an empty database (SQLite by default; any SQLAlchemy URL;
    # its env.py: version table alembic_version_auth, no naming convention, one transaction): users and per-resource
    # permissions, a workspace column added with a server default, RBAC tables and a data revision that moves every
    # permission into a synthetic role per user in SQL text with bound parameters
    History("mlflow-auth", "mlflow==3.18.0", "mlflow/server/auth/db/migrations", version_table="alembic_version_auth",
            shim="mlflow"),
    # pypnusershub (3.3.1; 14 revisions), the users and permissions module of GeoNature, UsersHub and TaxHub (French
    # national parks' biodiversity applications), PostgreSQL only: `geonature db upgrade` runs it with Flask-Migrate
    # on a database GeoNature's install_db.sh made with the uuid-ossp extension (env.py: no naming convention, one
    # transaction). Its initial revision (branch utilisateurs) runs one SQL file of the package: CREATE SCHEMA
    # utilisateurs, SET search_path to it, functions, tables with serial keys and uuid_generate_v4() defaults,
    # triggers, views; a sample-data branch depends_on it; later revisions alter its tables in that schema, add
    # constraints and JSONB columns and insert a provider through its model (realworld/shims/pypnusershub stands in
    # for it; the SQL files are copied)
    History("pypnusershub", "pypnusershub==3.3.1", "pypnusershub/migrations", shim="pypnusershub",
            dialects=("postgresql",), extensions=("uuid-ossp",),
            copied=("pypnusershub/migrations/data/__init__.py", "pypnusershub/migrations/data/utilisateurs.sql",
                    "pypnusershub/migrations/data/utilisateurs-samples.sql")),
    # wuttjamaican (0.33.3; 9 revisions, branch label wutta), the base of the Wutta framework's apps: `wutta-alembic
    # upgrade heads` runs it (env.py: the models' naming convention, that of jupyterhub, one transaction). Its UUID is a
    # TypeDecorator whose load_dialect_impl is PostgreSQL's UUID there and CHAR(32) elsewhere; a PostgreSQL enum made
    # with Enum.create(op.get_bind()) then used with create_type=False; a data revision that copies timestamps into new
    # naive columns row by row, drops the old ones and renames (realworld/shims/wuttjamaican stands in for the helpers)
    History("wuttjamaican", "wuttjamaican==0.33.3", "wuttjamaican/db/alembic", naming_convention=_JUPYTERHUB_CONVENTION,
            shim="wuttjamaican"),
    # wutta-continuum (0.4.0; 5 revisions, branch label wutta_continuum): SQLAlchemy-Continuum's version tables for
    # wuttjamaican's models, read beside wuttjamaican's history (the app's version_locations name both; one version
    # table): its transaction table refers to wuttjamaican's user table with no depends_on, composite primary keys
    # (uuid, transaction_id), BigInteger identities, a later revision adding composite indexes per upstream
    History("wutta-continuum", "wutta-continuum==0.4.0", "wutta_continuum/db/alembic",
            naming_convention=_JUPYTERHUB_CONVENTION, shim="wuttjamaican",
            version_locations=dict.fromkeys(DIALECTS, "versions"),
            beside=(("wuttjamaican==0.33.3", "wuttjamaican/db/alembic/versions"),)),
    # rattail-tempmon (0.4.7, no wheel; 10 revisions), Rattail's temperature monitoring add-on with its own database
    # (the tempmon engine; env.py: no naming convention, one transaction): clients, probes, readings and appliances,
    # a Numeric grown in place, images as LargeBinary, data revisions that set new columns with bound parameters (a
    # datetime of the run) and rename them over the dropped ones with no existing type
    History("rattail-tempmon", "rattail-tempmon==0.4.7", "rattail_tempmon/db/alembic", sdist=True, shim="rattail"),
)


def by_name(name: str) -> History:
    for history in HISTORIES:
        if history.name == name:
            return history
    raise KeyError(name)
