"""requests (the HTTP client waiverdb's ResultsDB client uses): 71b84ccc31bb catches its HTTPError."""


class HTTPError(Exception):
    response = None
