"""mailman's configuration object: the folders its older revisions move files in (70af5a4e5790,
fa0d96e28631; they run before mailman 3.3.0, where this history starts), empty here."""
import tempfile
import types

_folder = tempfile.mkdtemp(prefix="mailman-")
config = types.SimpleNamespace(LIST_DATA_DIR=_folder, CACHE_DIR=_folder)
