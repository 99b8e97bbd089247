"""What fittrackee's revisions use of flask: the application's configuration (its upload folder,
which 4e8597c50064 renames a sub-folder of when it exists: here an empty temporary folder)."""
import tempfile
import types

current_app = types.SimpleNamespace(config={"UPLOAD_FOLDER": tempfile.mkdtemp(prefix="fittrackee-uploads-")})
