import logging

logger = logging.getLogger("langflow.migrations")
