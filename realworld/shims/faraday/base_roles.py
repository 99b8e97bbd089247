"""What faraday-manage initdb does after create_all() (faraday 4.0.4's _create_roles): the four roles every
faraday database has, which later revisions give permissions to. Inserted when the roles table is made."""
import sqlalchemy as sa


def _roles_on_create():
    from faraday.server.models import db

    sa.event.listen(db.metadata.tables["faraday_role"], "after_create", sa.DDL(
        "INSERT INTO faraday_role(name, weight) VALUES ('admin', 10),('asset_owner', 20),('pentester', 30),('client', 40)"))


_roles_on_create()
