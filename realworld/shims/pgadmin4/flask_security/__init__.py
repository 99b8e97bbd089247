"""What pgAdmin's revisions use of Flask-Security: the security extension and its user datastore,
which hash the first user's password (a row) and upgrade stored hashes (rows)."""


class SQLAlchemyUserDatastore:
    def __init__(self, db, user_model, role_model):
        self.db, self.user_model, self.role_model = db, user_model, role_model


class Security:
    def __init__(self, app=None, datastore=None, **kwargs):
        if app is not None:
            app.extensions["security"] = self
