class ModelVersionStatus:
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY = 1, 2, 3
    _NAMES = {1: "PENDING_REGISTRATION", 2: "FAILED_REGISTRATION", 3: "READY"}

    @staticmethod
    def to_string(status):
        return ModelVersionStatus._NAMES[status]
