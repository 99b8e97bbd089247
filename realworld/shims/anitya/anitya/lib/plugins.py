"""anitya.lib.plugins: b9201d816075's downgrade writes a row per backend and ecosystem plugin
(its upgrade reads none); no plugin is loaded here."""


class _Plugins:
    @staticmethod
    def get_plugins() -> list:
        return []


BACKEND_PLUGINS = ECOSYSTEM_PLUGINS = VERSION_PLUGINS = _Plugins()
