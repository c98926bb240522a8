# The two commands: `make run` and `make test`. Everything else here serves them.
# The first Python 3.11+ that actually runs (pyenv shims can exist for versions that are not installed).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test setup install lint format demo frontend clean

run: setup
	$(BIN)/python manage.py run_hub

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=hub.settings.test
	DJANGO_SETTINGS_MODULE=hub.settings.production SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=hub.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo

install: $(INSTALLED)

$(INSTALLED): requirements/base.txt requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "The hub needs Python 3.11 or newer: none was found on PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	@touch $@

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the committed stylesheet from GOV.UK Frontend's Sass (needs Node.js; running the hub does not).
frontend:
	cd frontend && npm ci && npm run build

clean:
	rm -rf $(VENV) var
