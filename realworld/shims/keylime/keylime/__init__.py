"""keylime's revisions name its column type by attribute (``keylime.db.verifier_db.JSONPickleType``)
after ``import keylime``: keylime's env.py has imported those modules by then."""
from keylime.db import registrar_db, verifier_db

__all__ = ["registrar_db", "verifier_db"]
