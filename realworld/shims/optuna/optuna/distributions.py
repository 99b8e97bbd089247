"""The distributions convert stored rows; a new database has none, so nothing here is ever called."""


def _rows_only(*args, **kwargs):
    raise NotImplementedError("the realworld shim converts no optuna distributions (there are no rows)")


class BaseDistribution:
    def __init__(self, *args, **kwargs):
        _rows_only()


class FloatDistribution(BaseDistribution):
    pass


class IntDistribution(BaseDistribution):
    pass


class UniformDistribution(BaseDistribution):
    pass


class LogUniformDistribution(BaseDistribution):
    pass


class DiscreteUniformDistribution(BaseDistribution):
    pass


class IntUniformDistribution(BaseDistribution):
    pass


class IntLogUniformDistribution(BaseDistribution):
    pass


json_to_distribution = distribution_to_json = _convert_old_distribution_to_new_distribution = _rows_only
