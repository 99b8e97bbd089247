"""The constant of sky.serve.constants that serve_state's models and revisions read."""
INITIAL_VERSION = 1
