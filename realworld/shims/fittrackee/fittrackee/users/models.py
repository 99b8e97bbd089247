"""What fittrackee's revisions import of fittrackee.users.models: the values of an enum (as in 0.12.2)."""
SEGMENTS_CREATION_EVENTS = [
    "all",
    "none",
    "only_manual",
]
