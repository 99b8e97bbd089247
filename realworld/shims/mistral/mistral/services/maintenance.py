"""mistral.services.maintenance.RUNNING: the state 042 and 044 write into their new tables."""
RUNNING = "RUNNING"
