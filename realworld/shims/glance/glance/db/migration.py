"""glance.db.migration: the branch labels glance's revisions use (glance 33.0.0)."""
EXPAND_BRANCH = "expand"
CONTRACT_BRANCH = "contract"
