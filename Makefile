# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate seed worker clean messages vendor bench bench-small bench-fanout

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/gazouillis migrate
	$(BIN)/gazouillis serve --host $(HOST) --port $(PORT)

migrate: $(VENV)/.installed
	$(BIN)/gazouillis migrate

seed: $(VENV)/.installed
	$(BIN)/gazouillis migrate
	$(BIN)/gazouillis seed demo

worker: $(VENV)/.installed
	$(BIN)/gazouillis worker

lint: $(VENV)/.installed-test
	$(BIN)/ruff check gazouillis tests bench

test: lint
	$(BIN)/python -m pytest

# Benchmarks (bench/README.md; needs Debian's wrk: apt-get install -y wrk). bench-small: the small profile on
# SQLite; bench: the small profile on SQLite, then on PostgreSQL (BENCH_PG_URL, default the local server).
bench-small: $(VENV)/.installed
	$(BIN)/python bench/run.py --profile small --databases sqlite

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py --profile small --databases sqlite,postgresql+redis

# Fan-out latency (bench/fanout.py): authors with 1 to 1M followers on PostgreSQL (BENCH_PG_URL) with the
# Redis feed store (Redis database 14 of the local server, flushed; BENCH_REDIS_URL). ~1 minute to build
# the million accounts once, then ~4 minutes a run.
bench-fanout: $(VENV)/.installed
	$(BIN)/python bench/fanout.py --database postgresql --feed-store redis

# Maintainers only (needs Node/npm): copy the npm packages pinned in package.json into
# gazouillis/static/vendor/, unmodified, with their licenses. The copies are committed.
vendor:
	$(PYTHON) scripts/vendor.py

clean:
	rm -rf $(VENV) build *.egg-info

# Maintainers: refresh the French catalog from the code and templates (then translate the new entries).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output --project gazouillis --version 0.1.0 -F babel.cfg -k N_ -o gazouillis/locale/messages.pot .
	@if [ -f gazouillis/locale/fr/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update --no-fuzzy-matching -i gazouillis/locale/messages.pot -d gazouillis/locale -l fr; \
	else \
		$(BIN)/pybabel init -i gazouillis/locale/messages.pot -d gazouillis/locale -l fr; \
	fi
