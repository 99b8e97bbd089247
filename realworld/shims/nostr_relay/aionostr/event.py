"""aionostr.event.Event, which nostr-relay's fb1b3b1247a1 builds from each row of the old ``event`` table
(there is none in a new database: the revision returns before it reads one)."""


class Event:
    def __init__(self, **fields):
        self.__dict__.update(fields)
