"""rattail.db.types: imported by the revisions, nothing of it used."""
