"""Loaded at start-up (sitecustomize): argon2 (the key derivation a data migration re-encrypts rows
with) and mcpgateway's encryption service convert rows only; on an empty database they convert
nothing, so each name they import is a placeholder class. The uuid4s the revisions draw (ba202ac1665f
prints the id of the role it makes) come from a seeded generator, as a fixed clock would: each run
of the history prints the same lines."""
import random
import uuid

from realworld_placeholders import install

install(("argon2", "mcpgateway.services"), first=False)
_draw = random.Random(0)
uuid.uuid4 = lambda: uuid.UUID(int=_draw.getrandbits(128), version=4)
