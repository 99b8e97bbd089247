"""ironic_inspector.introspection_state.States (ironic-inspector 12.5.0): the node states d2e48801c8ef makes an enum of."""


class States:
    aborting = "aborting"
    enrolling = "enrolling"
    error = "error"
    finished = "finished"
    processing = "processing"
    reapplying = "reapplying"
    starting = "starting"
    waiting = "waiting"

    @classmethod
    def all(cls):
        return [cls.starting, cls.waiting, cls.processing, cls.finished,
                cls.error, cls.reapplying, cls.enrolling, cls.aborting]
