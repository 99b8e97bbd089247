DEFAULT_CGSNAPSHOT_TYPE = "default_cgsnapshot_type"
