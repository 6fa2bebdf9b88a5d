# The two commands a newcomer needs: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SERFAIR := $(VENV)/bin/serfair
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: demo test install install-train lint clean-reports benchmarks

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

## install-train: add the `train` extra (torch 2.13.0 CPU) for the training-recipe tests
install-train: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev,train]"

## demo: audit the bundled reference model on the bundled demo set -> reports/demo/
demo: $(VENV)/.installed
	$(SERFAIR) audit --spec audits/demo.yaml --out reports/demo

## test: the test suite (training tests run when torch is installed; CI installs it)
test: $(VENV)/.installed
	$(PY) -m pytest -q

benchmarks: $(VENV)/.installed
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean-reports:
	rm -rf reports/demo
