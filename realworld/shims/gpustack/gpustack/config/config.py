"""gpustack.config.config.get_global_config: the server's config, whose data and cache folders its revisions
read (the initial revision writes a bootstrap_version file into the data folder; c45e397531d1 looks for model
caches in the cache folder): a fresh empty folder for both."""
import tempfile
import types

_config = None


def get_global_config():
    global _config
    if _config is None:
        folder = tempfile.mkdtemp(prefix="gpustack-")
        _config = types.SimpleNamespace(data_dir=folder, cache_dir=folder)
    return _config
