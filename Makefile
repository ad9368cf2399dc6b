# inrkit set-up and entry points. `make demo` and `make test` do the whole set-up on a fresh machine:
# a virtual environment in .venv, torch (pinned; skipped when an importable torch >= 2.3 exists),
# the package with its test extras, then the job itself.

PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
PY := $(VENV)/bin/python
STAMP := $(VENV)/.inrkit-installed
PYTEST_ARGS ?=
DEMO_OUT ?= runs/demo

.PHONY: setup demo test lint bench-quick paper-gpu clean

TORCH_OK := import torch, sys; v = tuple(int(x) for x in torch.__version__.split('+')[0].split('.')[:2]); sys.exit(v < (2, 3))

# A torch >= 2.3 importable by $(PYTHON) (a CUDA build, say) is reused through system site-packages.
$(PY):
	@if $(PYTHON) -c "$(TORCH_OK)" 2>/dev/null; then \
	  echo "reusing the torch of $(PYTHON)"; $(PYTHON) -m venv --system-site-packages $(VENV); \
	else \
	  $(PYTHON) -m venv $(VENV); \
	fi

$(STAMP): pyproject.toml | $(PY)
	@if $(PY) -c "$(TORCH_OK)" 2>/dev/null; then \
	  echo "torch already present: $$($(PY) -c 'import torch; print(torch.__version__)')"; \
	else \
	  $(PY) -m pip install --quiet "$(TORCH_SPEC)"; \
	fi
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	@rm -rf $(DEMO_OUT)
	$(VENV)/bin/inrkit fit --preset quick --out $(DEMO_OUT)
	@echo "demo run directory: $(DEMO_OUT)"

test: $(STAMP)
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests

bench-quick: $(STAMP)
	$(VENV)/bin/inrkit bench baselines-image --scale quick

# The paper-scale subset on one GPU (about 8 minutes on an H200; prints its FLOP estimate first).
paper-gpu: $(STAMP)
	$(PY) -m inrkit.bench.paper_gpu --out results/paper-gpu

clean:
	rm -rf $(VENV) runs bench .pytest_cache
