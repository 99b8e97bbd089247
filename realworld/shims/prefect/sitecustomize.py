"""Loaded at start-up (sitecustomize): the modules of prefect its migrations import that the shim does
not stand in for (blocks, events, concurrency lease storage, pydantic schemas ...) are used only to
convert rows; on an empty database they convert nothing, so each name they import is a placeholder
class. The finder comes last: the shim's own modules (the column types) are found first."""
from realworld_placeholders import install

install(("prefect",), first=False)
