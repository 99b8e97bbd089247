"""rally.consts: the statuses its revisions name (rally 5.1.1's values)."""


class TaskStatus:
    INIT = "init"


class SubtaskStatus:
    RUNNING = "running"
