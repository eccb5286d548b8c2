# eduqa: the two commands a new machine needs are `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.eduqa-installed
LOCK   := requirements.lock

.PHONY: install report test browser lab lint demo-data clean-reports sweep lock

# Create the virtual environment if missing and install eduqa with its test tools, at the
# versions of requirements.lock (the ones the tests passed with).
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools' notice on editable installs ("be careful with folders ... same name") is
	@# informational and read like an error: silenced for this one command
	PYTHONWARNINGS="ignore::UserWarning" $(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[dev]"
	touch $(STAMP)

# Rewrite requirements.lock from a fresh environment with the newest versions pyproject.toml
# allows (then run `make test` before committing it).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore::UserWarning" .venv-lock/bin/python -m pip install --quiet -e ".[dev]"
	head -3 $(LOCK) > $(LOCK).new
	.venv-lock/bin/python -m pip freeze --exclude-editable >> $(LOCK).new
	mv $(LOCK).new $(LOCK) && rm -rf .venv-lock

install: $(STAMP)

# Build the reports of every season in params/ (the demo county by default).
report: $(STAMP)
	$(BIN)/eduqa run --all

test: $(STAMP) browser
	$(BIN)/python -m pytest -n auto --durations=15

# The browser test (tests/test_browser.py) opens the reports in Debian's chromium, with a CJK font
# for the Chinese text. Installed here when missing and we are root with apt-get (as in CI);
# elsewhere a note is printed and the test is skipped (in CI it fails instead).
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(BROWSER_PACKAGES) for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	else \
	  echo "note: chromium or a CJK font is missing and cannot be installed here" \
	       "(needs root and apt-get: apt-get install $(BROWSER_PACKAGES))"; \
	fi

# JupyterLab refuses to start as root without --allow-root (containers, CI machines).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# ruff on the code and the notebooks, mypy on the library, the import contracts of
# pyproject.toml (all in .ci/run)
lint: $(STAMP)
	$(BIN)/ruff check eduqa tests benchmarks notebooks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The county-shape sweep (issue 33): 200 seeded counties of every shape, each validated and run
# as a new county's first season, their outputs checked (eduqa/sweep.py); about 25 minutes.
# `make test` runs a sample of 20 (tests/test_sweep.py).
sweep: $(STAMP)
	$(BIN)/python -m eduqa.sweep 200

# Regenerate the bundled demo county under data/raw/ (seeded: same files every time).
demo-data: $(STAMP)
	$(BIN)/eduqa synth --out data/raw
	$(BIN)/python -c "from eduqa.project.scaffold import write_demo_files; write_demo_files('.')"

clean-reports:
	rm -rf reports/*/ reports/index.html data/processed/*/
