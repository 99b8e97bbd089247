"""What pgAdmin's revisions use of flask: the application (its configuration and extensions)."""
import types


class _App:
    def __init__(self):
        self.config = {}
        self.extensions = {}

    def app_context(self):
        return types.SimpleNamespace(app=self)


current_app = _App()
