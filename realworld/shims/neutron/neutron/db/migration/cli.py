"""neutron.db.migration.cli (neutron 29.0.0): the branch labels of the expand and contract branches."""
EXPAND_BRANCH = 'expand'
CONTRACT_BRANCH = 'contract'
MIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)
