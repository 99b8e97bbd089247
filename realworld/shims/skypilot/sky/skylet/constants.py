"""The constants of sky.skylet.constants that the models and revisions read."""
SKYPILOT_DEFAULT_WORKSPACE = 'default'
MIN_PRIORITY = -1000
MAX_PRIORITY = 1000
DEFAULT_PRIORITY = 0
