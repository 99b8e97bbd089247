PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Two workers (the machines have two cores); a file's tests stay on one worker.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=25

.PHONY: test demo bench realworld clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	@# The build backend's notices go to a log, shown only when the install fails.
	$(BIN)/python -m pip install --quiet -e '.[test]' > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	touch $(STAMP)

test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The report's tests open it in Debian's chromium: installed with apt-get where it is missing
# (as root, or through passwordless sudo), once; nothing is downloaded at test time.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
	    echo "make: chromium is missing and cannot be installed here (apt-get install chromium)" >&2; exit 0; fi; \
	  echo "make: installing chromium (apt-get) for the report's browser tests" >&2; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: $(STAMP)
	cd examples/shop && rm -f shop.db && bash ../../examples/demo.sh $(abspath $(BIN))

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Real Alembic histories from PyPI wheels (cached in .realworld-cache/), on SQLite, PostgreSQL and
# MariaDB; writes the table of results into docs/alembic.md. REALWORLD_ARGS="--only fab --dialect sqlite".
# The drivers histories run on (psycopg2, asyncpg) come with the test extra.
realworld: $(STAMP)
	$(BIN)/python -m pip install --quiet sqlmodel numpy sqlalchemy-utils alembic-postgresql-enum pytz babel  # langflow's and zenml's histories name sqlmodel's types; optuna's imports numpy; superset's and zou's declare sqlalchemy-utils' types (zou's LocaleType and TimezoneType need babel and pytz); dstack's runs alembic-postgresql-enum's sync_enum_values
	$(BIN)/python -m realworld $(REALWORLD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
