"""What pgAdmin's revisions import of pgadmin: the models they query (the columns they read), the
first user's details, the schema version kept in the ``version`` table, two constants."""
