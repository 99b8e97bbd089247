"""Loaded at start-up (sitecustomize): what mailman's revisions import only to convert rows or read its
paths, which the revisions run here (those after 3.3.0's head) do not use: mailman's interfaces (its
enums) and its config are placeholders. Alembic imports every revision of the folder to read the history."""
from realworld_placeholders import install

install(("mailman.interfaces", "mailman.config"), constants=True)
