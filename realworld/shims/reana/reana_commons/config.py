"""reana_commons.config: the shared volume path a revision builds workspace paths under (its default)."""
SHARED_VOLUME_PATH = "/var/reana"
