"""invenio_communities, importable: invenio-accounts' f2522cdd5fcd depends_on its 37b21951084c when it is installed,
and the models' metadata holds its tables referring to the roles (realworld/shims/invenio_accounts)."""
