"""nonebot_plugin_alconna's Target, which wordcloud's 4f1a6b35e888 loads from each stored schedule (none here)."""


class Target:
    @classmethod
    def load(cls, data):
        raise NotImplementedError("no schedule is stored on an empty database")
