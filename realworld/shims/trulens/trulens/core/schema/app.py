"""trulens.core.schema.app: AppDefinition._compute_app_id, a hash of the app's name and version (trulens
hashes them its own way; a new database has no app to hash)."""
import hashlib
import json


class AppDefinition:
    @staticmethod
    def _compute_app_id(app_name: str, app_version: str) -> str:
        text = json.dumps({"app_name": app_name, "app_version": app_version}, sort_keys=True)
        return "app_hash_" + hashlib.md5(text.encode("utf-8")).hexdigest()
