"""mlflow.utils.workspace_utils.DEFAULT_WORKSPACE_NAME (mlflow 3.18.0), the workspace the auth history's
2ed73881770d gives every existing permission and e5f6a7b8c9d0 a role of."""

DEFAULT_WORKSPACE_NAME = "default"
