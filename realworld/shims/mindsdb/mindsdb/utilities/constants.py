"""mindsdb.utilities.constants: the default company and user ids."""
DEFAULT_COMPANY_ID = "00000000-0000-0000-0000-000000000000"
DEFAULT_USER_ID = "00000000-0000-0000-0000-000000000000"
