"""Run before mailman 3.3.0's models are imported. mailman.utilities.datetime (which the models
import) imports mailman.testing.layers for its test clock, and that module no longer imports on
Python 3.11 (mailman.testing.mta's ``@asyncio.coroutine``): a stand-in says it is not testing."""
import sys
import types

layers = types.ModuleType("mailman.testing.layers")
layers.is_testing = lambda: False
layers.MockAndMonkeyLayer = types.SimpleNamespace(register_reset=lambda reset: None)
sys.modules["mailman.testing.layers"] = layers
