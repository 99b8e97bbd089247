"""networking_infoblox.neutron.common.utils: get_hash as networking-infoblox defines it."""
import hashlib
import time


def get_hash(text=None):
    if text and isinstance(text, str):
        return hashlib.md5(text.encode("utf-8")).hexdigest()
    return hashlib.md5(str(time.time()).encode("utf-8")).hexdigest()
