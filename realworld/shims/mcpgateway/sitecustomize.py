"""Loaded at start-up (sitecustomize): argon2 (the key derivation a data migration re-encrypts rows
with) and mcpgateway's encryption service convert rows only; on an empty database they convert
nothing, so each name they import is a placeholder class."""
from realworld_placeholders import install

install(("argon2", "mcpgateway.services"), first=False)
