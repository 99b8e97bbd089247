"""pyarrow, imported by 83889e049ddc for the rows of tables it converts (none in a new database)."""
