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
# The student edition of the notebooks (make student) and the autograders (make grade).
STUDENT       := build/student
AUTOGRADER    := build/autograder
STUDENT_BUILT := $(STUDENT)/.built
# TensorFlow's C++ log level must be set before TensorFlow loads: for the lab, the tests and the
# report (the kernelspec and jupyter/ipython_kernel_config.py, installed below, set it too).
export TF_CPP_MIN_LOG_LEVEL ?= 3

# A bad COURSE_DATA stops lab, test and report before anything starts (the install included).
ifneq ($(filter lab test report,$(MAKECMDGOALS)),)
ifneq ($(shell case "$$(printf '%s' '$(subst ','\'',$(COURSE_DATA))' | tr A-Z a-z | sed 's/^ *//;s/ *$$//')" in (''|sample|full|auto) echo ok;; esac),ok)
$(error COURSE_DATA='$(COURSE_DATA)' is not a data scale; expected one of sample, full, auto (empty or unset means auto). Example: COURSE_DATA=sample make $(firstword $(filter lab test report,$(MAKECMDGOALS))))
endif
endif

# `make grade` needs a folder of submissions: checked before anything is built.
ifneq ($(filter grade,$(MAKECMDGOALS)),)
ifeq ($(strip $(SUBMISSIONS)),)
$(error SUBMISSIONS is not set; usage: make grade SUBMISSIONS=DIR (a folder of submitted notebooks, e.g. SUBMISSIONS=collected/01))
endif
ifneq ($(shell [ -d '$(subst ','\'',$(SUBMISSIONS))' ] && echo ok),ok)
$(error SUBMISSIONS='$(SUBMISSIONS)' is not a folder; expected a folder of submitted notebooks)
endif
endif

.PHONY: help lab fresh test report refresh-outputs slides student grade clean
help:
	@echo "make lab              set up (first time), copy new notebooks (student edition) into workspace/, open it in JupyterLab"
	@echo "make fresh NB=06      a fresh copy of one notebook in workspace/ (yours is kept as a backup)"
	@echo "make test             set up (first time) and run every test: lint, unit tests, notebooks"
	@echo "make report           execute every notebook headless and write the course run report"
	@echo "make refresh-outputs  re-execute notebooks, keep outputs of checked cells only"
	@echo "make slides           one offline reveal.js deck per notebook in build/slides/ (or NB=notebooks/01_x.ipynb)"
	@echo "make student          write the student edition of every notebook to build/student/, autograders to build/autograder/"
	@echo "make grade SUBMISSIONS=DIR  grade every notebook in DIR offline; writes DIR/grades.csv"
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

lab: $(STAMP) $(STUDENT_BUILT)
	$(PY) -m course_utils.tools.workspace sync $(STUDENT)
	$(VENV)/bin/jupyter lab --notebook-dir=$(WORKSPACE) $(ROOT)

fresh: $(STAMP) $(STUDENT_BUILT)
	$(PY) -m course_utils.tools.workspace fresh $(NB) --source $(STUDENT)

# The notebooks run on two pytest-xdist workers (--dist loadscope keeps each notebook's cells on one
# worker, in order); README "Measured budget" gives the measured gain.
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest tests
	$(PY) -m pytest -n 2 --dist loadscope notebooks

report: $(STAMP)
	$(PY) -m course_utils.tools.report notebooks

refresh-outputs: $(STAMP)
	$(PY) -m course_utils.tools.notebooks refresh $(or $(NB),notebooks/*.ipynb)

# Offline decks (README, "Teaching with the course"): executed at sample scale, reveal.js inlined from
# the sphinx-revealjs package; MathJax 3 (one self-contained file) from the npm registry when npm exists.
MATHJAX := build/mathjax/package/es5/tex-svg-full.js
slides: $(STAMP)
	@[ -f $(MATHJAX) ] || ! command -v npm >/dev/null || { mkdir -p build/mathjax && \
	    (cd build/mathjax && npm pack --silent mathjax@3.2.2 >/dev/null && \
	     tar -xzf mathjax-3.2.2.tgz package/es5/tex-svg-full.js && rm mathjax-3.2.2.tgz) || \
	    echo "MathJax not fetched: formulas stay as TeX in the decks"; }
	COURSE_DATA=sample COURSE_MATHJAX=$(MATHJAX) $(PY) -m course_utils.tools.slides build $(or $(NB),notebooks/*.ipynb) --out build/slides

# Exercises (README, "For instructors"): the notebooks are the masters; otter assign writes the
# student edition (no solutions, no hidden tests) that the learner's workspace gets, and the
# autograders that `make grade` runs offline (no Docker).
student: $(STAMP)
	$(PY) -m course_utils.tools.exercises student notebooks --out $(STUDENT) --autograder $(AUTOGRADER)
	touch $(STUDENT_BUILT)

$(STUDENT_BUILT): $(wildcard notebooks/*.ipynb notebooks/GLOSSARY.md) course_utils/tools/exercises.py | $(STAMP)
	$(PY) -m course_utils.tools.exercises student notebooks --out $(STUDENT) --autograder $(AUTOGRADER)
	touch $@

grade: $(STAMP) $(STUDENT_BUILT)
	$(PY) -m course_utils.tools.exercises grade "$(SUBMISSIONS)" --autograder $(AUTOGRADER)

clean:
	rm -rf $(VENV) build *.egg-info
