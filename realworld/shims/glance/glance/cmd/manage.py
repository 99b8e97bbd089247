"""glance.cmd.manage.USE_TRIGGERS: ``glance-manage db sync`` sets it to False before it runs the history."""
USE_TRIGGERS = False
