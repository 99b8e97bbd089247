def __getattr__(name):
    raise AttributeError(f"jupyterhub.roles.{name} is not in the shim: the data migration needs jupyterhub")
