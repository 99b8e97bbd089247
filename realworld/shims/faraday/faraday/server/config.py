"""faraday.server.config as two older revisions read it: the local config file, which a new
installation has not written."""
from pathlib import Path

LOCAL_CONFIG_FILE = Path("/nonexistent/.faraday/config/server.ini")
