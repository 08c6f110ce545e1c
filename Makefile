# Two commands work on a fresh machine with only Python 3.11+:
#   make demo   run the main job on the bundled demo consortium
#   make test   run the test suite
#   make notebooks  re-execute notebooks/*.ipynb and store them with their outputs (checked clean)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("residentsurvey needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/residentsurvey demo

# -n auto: one pytest worker per core (pytest-xdist); --dist loadfile keeps a test file on one worker, so
# module fixtures that build a whole report are built once. Large simulations live in benchmarks/.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

notebooks: $(STAMP)
	$(BIN)/python notebooks/execute.py

bench: $(STAMP)
	$(BIN)/python benchmarks/council_estimates.py
	$(BIN)/python benchmarks/raking.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache
