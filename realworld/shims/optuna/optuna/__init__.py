"""What optuna's migrations import of optuna: its two state enums (their member names are the values
of the ENUM columns) and the names of its distributions, which convert rows (none on a new database)."""
