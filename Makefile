# The course's commands. Run `make help` for the list.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# On Linux with an NVIDIA driver, install TensorFlow with its CUDA libraries.
TF_PIN := $(shell grep -E '^tensorflow==' requirements.txt)
GPU    := $(shell [ "$$(uname -s)" = Linux ] && command -v nvidia-smi >/dev/null 2>&1 && echo yes)
ROOT   := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# The learner's copy of the notebooks (git-ignored); notebooks/ stays the clean source.
WORKSPACE := workspace
# TensorFlow's C++ log level must be set before TensorFlow loads: for the lab, the tests and the
# report (the kernelspec and jupyter/ipython_kernel_config.py, installed below, set it too).
export TF_CPP_MIN_LOG_LEVEL ?= 3

# A bad COURSE_DATA stops lab, test and report before anything starts (the install included).
ifneq ($(filter lab test report,$(MAKECMDGOALS)),)
ifneq ($(shell case "$$(printf '%s' '$(subst ','\'',$(COURSE_DATA))' | tr A-Z a-z | sed 's/^ *//;s/ *$$//')" in (''|sample|full|auto) echo ok;; esac),ok)
$(error COURSE_DATA='$(COURSE_DATA)' is not a data scale; expected one of sample, full, auto (empty or unset means auto). Example: COURSE_DATA=sample make $(firstword $(filter lab test report,$(MAKECMDGOALS))))
endif
endif

.PHONY: help lab fresh test report refresh-outputs clean
help:
	@echo "make lab              set up (first time), copy new notebooks into workspace/, open it in JupyterLab"
	@echo "make fresh NB=06      a fresh copy of one notebook in workspace/ (yours is kept as a backup)"
	@echo "make test             set up (first time) and run every test: lint, unit tests, notebooks"
	@echo "make report           execute every notebook headless and write the course run report"
	@echo "make refresh-outputs  re-execute notebooks, keep outputs of checked cells only"
	@echo "make clean            remove .venv/ and build/ (workspace/ with your notebooks is kept)"

$(STAMP): requirements.txt pyproject.toml jupyter/ipython_kernel_config.py jupyter/overrides.json
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(if $(GPU),$(PY) -m pip install --quiet "$(subst tensorflow==,tensorflow[and-cuda]==,$(TF_PIN))")
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" \
	    >/dev/null
	mkdir -p $(VENV)/etc/ipython $(VENV)/share/jupyter/lab/settings
	cp jupyter/ipython_kernel_config.py $(VENV)/etc/ipython/ipython_kernel_config.py
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

lab: $(STAMP)
	$(PY) -m course_utils.tools.workspace sync
	$(VENV)/bin/jupyter lab --notebook-dir=$(WORKSPACE) $(ROOT)

fresh: $(STAMP)
	$(PY) -m course_utils.tools.workspace fresh $(NB)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

report: $(STAMP)
	$(PY) -m course_utils.tools.report notebooks

refresh-outputs: $(STAMP)
	$(PY) -m course_utils.tools.notebooks refresh $(or $(NB),notebooks/*.ipynb)

clean:
	rm -rf $(VENV) build *.egg-info
