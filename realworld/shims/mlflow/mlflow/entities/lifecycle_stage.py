class LifecycleStage:
    ACTIVE = "active"
    DELETED = "deleted"

    @classmethod
    def view_type_to_stages(cls, view_type=None):
        from mlflow.entities import ViewType
        stages = []
        if view_type in (ViewType.ACTIVE_ONLY, ViewType.ALL):
            stages.append(cls.ACTIVE)
        if view_type in (ViewType.DELETED_ONLY, ViewType.ALL):
            stages.append(cls.DELETED)
        return stages
