"""Run before faraday's models are imported: faraday.server.config makes its home folder (~/.faraday,
or FARADAY_HOME) when imported; here a throwaway one."""
import os
import tempfile

os.environ["FARADAY_HOME"] = tempfile.mkdtemp(prefix="realworld-faraday-")
