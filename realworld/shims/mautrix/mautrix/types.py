"""mautrix.types: the state event contents a column holds (serialized as JSON)."""


class _Serializable:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def serialize(self):
        return dict(self.__dict__)

    @classmethod
    def deserialize(cls, data):
        return cls(**data)


class RoomEncryptionStateEventContent(_Serializable):
    pass


class PowerLevelStateEventContent(_Serializable):
    pass
