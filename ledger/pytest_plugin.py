"""pytest plugin for projects that use schema-ledger (fixtures arrive with the drill)."""
