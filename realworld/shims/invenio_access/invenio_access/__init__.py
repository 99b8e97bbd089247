"""invenio_access, importable: invenio-accounts' f2522cdd5fcd depends_on its 842a62b56e60 when it is installed,
and the models' metadata holds its table referring to the roles (realworld/shims/invenio_accounts)."""
