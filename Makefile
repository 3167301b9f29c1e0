# The course's commands. Run `make help` for the list.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# On Linux with an NVIDIA driver, install TensorFlow with its CUDA libraries.
TF_PIN := $(shell grep -E '^tensorflow==' requirements.txt)
GPU    := $(shell [ "$$(uname -s)" = Linux ] && command -v nvidia-smi >/dev/null 2>&1 && echo yes)
ROOT   := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help lab test report refresh-outputs clean
help:
	@echo "make lab              set up (first time) and open the course in JupyterLab"
	@echo "make test             set up (first time) and run every test: lint, unit tests, notebooks"
	@echo "make report           execute every notebook headless and write the course run report"
	@echo "make refresh-outputs  re-execute notebooks, keep outputs of checked cells only"

$(STAMP): requirements.txt pyproject.toml
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(if $(GPU),$(PY) -m pip install --quiet "$(subst tensorflow==,tensorflow[and-cuda]==,$(TF_PIN))")
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

report: $(STAMP)
	$(PY) -m course_utils.tools.report notebooks

refresh-outputs: $(STAMP)
	$(PY) -m course_utils.tools.notebooks refresh $(or $(NB),notebooks/*.ipynb)

clean:
	rm -rf $(VENV) build *.egg-info
