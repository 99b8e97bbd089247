"""loguru's logger, which fides' revisions log their progress to: a standard logger."""

import logging

logger = logging.getLogger("fides")
