"""aiida's logger, which main_0002 warns on when it finds nodes."""
import logging

AIIDA_LOGGER = logging.getLogger("aiida")
