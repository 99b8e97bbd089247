"""Loaded at start-up (sitecustomize): privacyidea's library (its policies, crypto, token classes, event
handlers, node name) is what its data revisions call to convert rows and policies. On a database made by
its models and stamped, the tables those revisions convert are empty; each name they import from it is a
placeholder class whose attributes are their names (``SCOPE.AUTHZ``)."""
from realworld_placeholders import install

install(("privacyidea.lib",), constants=True)
