"""Loaded at start-up (sitecustomize): keylime.ima, whose policy templates a data migration copies only
for rows an empty database does not have, is a package of placeholders."""
from realworld_placeholders import install

install(("keylime.ima",), constants=True)
