"""What mlflow's migrations import of mlflow: its entities' constants and the table names of its models."""
