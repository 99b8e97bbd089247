"""barbican: 39cf2e645cba reads ``barbican.model.models.JsonBlob`` through ``import barbican``."""
import importlib

importlib.import_module("barbican.model.models")
