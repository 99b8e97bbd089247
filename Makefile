PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Two workers (the machines have two cores); a file's tests stay on one worker.
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=25

.PHONY: test demo bench realworld clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(STAMP)
	cd examples/shop && rm -f shop.db && bash ../../examples/demo.sh $(abspath $(BIN))

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Real Alembic histories from PyPI wheels (cached in .realworld-cache/), on SQLite, PostgreSQL and
# MariaDB; writes the table of results into docs/alembic.md. REALWORLD_ARGS="--only fab --dialect sqlite".
realworld: $(STAMP)
	$(BIN)/python -m pip install --quiet sqlmodel  # langflow's and zenml's histories name its types
	$(BIN)/python -m realworld $(REALWORLD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
