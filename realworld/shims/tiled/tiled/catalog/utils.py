"""tiled.catalog.utils: the structure id 2ca16566d692 gives each row it moves (MD5 of canonical JSON; the
canonicaljson package stood in for by json with sorted keys)."""
import hashlib
import json


def compute_structure_id(structure):
    canonical = json.dumps(structure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.md5(canonical.encode("utf-8")).hexdigest()
