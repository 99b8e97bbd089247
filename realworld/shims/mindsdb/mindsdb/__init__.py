"""mindsdb as its revisions import it, after mindsdb 26.1.0: the column types of its storage models, the
resource groups of its file storage, its logger, configuration (no content folder yet)
and default ids. The models its older data revisions query are not here: a new database starts at the
checkpoint revision, after them."""
