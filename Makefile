# AuthHub — two commands: `make run` serves, `make test` tests. Both install what they need first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export AUTHHUB_PORT ?= 8000

.PHONY: setup run test test-fast lint format bench sandbox lock migrate createsuperuser clean

setup:
	@scripts/setup.sh

run: setup
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py bootstrap
	@exec $(PY) manage.py serve

test:
	@scripts/setup.sh --test
	@$(PY) -m ruff check .
	@$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

test-fast: setup
	@$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} -m "not slow" $(PYTEST_ARGS)

lint: setup
	@$(PY) -m ruff check .

format: setup
	@$(PY) -m ruff format . && $(PY) -m ruff check --fix .

migrate: setup
	@$(PY) manage.py migrate --noinput

createsuperuser: setup
	@$(PY) manage.py createsuperuser

# The sandbox login sites (tests/sites) in the foreground, for trying the login engine by hand.
# Port 8800 by default: `make sandbox SANDBOX_ARGS="--port 9000 --verbose"`.
sandbox: setup
	@$(PY) -m tests.sites $(SANDBOX_ARGS)

# Regenerate requirements/lock.txt from requirements/base.txt in a throwaway venv.
lock:
	@rm -rf /tmp/authhub-lock && python3 -m venv /tmp/authhub-lock
	@/tmp/authhub-lock/bin/pip install -q -r requirements/base.txt
	@{ echo "# Exact versions CI tested. Regenerate with \`make lock\` after changing requirements/base.txt."; \
	   /tmp/authhub-lock/bin/pip freeze; } > requirements/lock.txt
	@echo "requirements/lock.txt updated"

clean:
	rm -rf $(VENV) .authhub

# Benchmarks against their floors (hand-written Playwright, direct calls); JSON lines on stdout.
bench:
	@scripts/setup.sh --test
	@$(PY) -m bench.engine $(BENCH_ARGS)
	@$(PY) -m bench.api $(BENCH_ARGS)
	@$(PY) -m bench.real_sites
