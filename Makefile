# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3.11 || command -v python3)
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
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The hub needs Python 3.11 or newer.")'
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
