"""cognee.base_config: the system root (read only in multi-user mode)."""

import os
import tempfile
import types


def get_base_config():
    return types.SimpleNamespace(system_root_directory=os.path.join(tempfile.gettempdir(), "cognee-realworld-system"))
