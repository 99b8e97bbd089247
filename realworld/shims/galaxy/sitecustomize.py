"""Loaded at start-up (sitecustomize): PyJWT, which galaxy's custos-to-PSA data fix imports only to
read tokens of rows an empty database does not have, is a placeholder."""
from realworld_placeholders import install

install(("jwt",))
