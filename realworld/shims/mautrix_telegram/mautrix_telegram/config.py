"""mautrix_telegram.config: the bridge's config file, which 6ca3d74d51e4 reads only when it finds the
old state store (mx-state.json) to move; no run here has one, so nothing is read."""


class Config(dict):
    def __init__(self, path, registration_path, base_path):
        super().__init__()
        self.path = path

    def load(self):
        raise FileNotFoundError(self.path)
