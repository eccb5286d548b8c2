# eduqa: the two commands a new machine needs are `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.eduqa-installed

.PHONY: install report test lab lint demo-data clean-reports

# Create the virtual environment if missing and install eduqa with its test tools.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Build the reports of every season in params/ (the demo county by default).
report: $(STAMP)
	$(BIN)/eduqa run --all

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check eduqa tests benchmarks

# Regenerate the bundled demo county under data/raw/ (seeded: same files every time).
demo-data: $(STAMP)
	$(BIN)/eduqa synth --out data/raw

clean-reports:
	rm -rf reports/*/ reports/index.html data/processed/*/
