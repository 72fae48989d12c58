# The two commands of the README:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= crmbot.db
TODAY  ?=
JOBS   ?= 2

.PHONY: run test lint demo clean

$(BIN)/crmbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

# Run the bot on its embedded defaults: a demo SQLite database, the offline engine, the terminal chat.
run: $(BIN)/crmbot $(DEMO)
	$(BIN)/crmbot chat --db sqlite:///$(DEMO) $(if $(TODAY),--today $(TODAY))

$(DEMO): | $(BIN)/crmbot
	$(BIN)/crmbot demo --db sqlite:///$(DEMO) $(if $(TODAY),--today $(TODAY))
	$(BIN)/crmbot insights refresh --db sqlite:///$(DEMO) $(if $(TODAY),--today $(TODAY))
	$(BIN)/crmbot leads score --db sqlite:///$(DEMO) $(if $(TODAY),--today $(TODAY))

demo: $(DEMO)

# Lint, then the whole test suite (PostgreSQL tests run when TEST_DATABASE_URL is set, else skip): the
# conversation sets last, in JOBS processes (pytest-xdist), the rest in one (they time servers and workers).
test: $(BIN)/crmbot
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest --ignore=tests/test_conversations.py
	$(BIN)/pytest -n $(JOBS) tests/test_conversations.py

clean:
	rm -rf $(VENV) $(DEMO) $(DEMO)-wal $(DEMO)-shm .crmbot
