"""An empty celery configuration (realworld/shims/bodhi/base_settings.py)."""
