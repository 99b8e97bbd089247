"""Run before reana-db 0.7.3's models are imported: reana_commons.config with the two settings its
config and models read (reana-commons is not installed there)."""
import sys
import types

config = types.ModuleType("reana_commons.config")
config.REANA_INFRASTRUCTURE_COMPONENTS_HOSTNAMES = {"db": "reana-db"}
config.REANA_RUNTIME_KUBERNETES_KEEP_ALIVE_JOBS_WITH_STATUSES = []
config.SHARED_VOLUME_PATH = "/var/reana"
package = types.ModuleType("reana_commons")
package.__path__ = []
package.config = config
sys.modules["reana_commons"] = package
sys.modules["reana_commons.config"] = config
