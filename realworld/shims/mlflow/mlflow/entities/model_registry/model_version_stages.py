STAGE_NONE = "None"
