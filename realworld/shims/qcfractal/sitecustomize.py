"""Loaded at start-up (sitecustomize): msgpack and tqdm, which a data revision (67f7b25de401) uses only to
convert the molecules' stored rows and report its progress; on a database with no molecules they
convert nothing, so each name they give is a placeholder class."""
from realworld_placeholders import install

install(("msgpack", "tqdm"), first=False)
