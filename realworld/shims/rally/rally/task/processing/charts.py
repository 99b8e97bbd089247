"""rally.task.processing.charts: the statistics table a data revision builds per stored workload (none here)."""


class MainStatsTable:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("rally's charts are not stood in for")
