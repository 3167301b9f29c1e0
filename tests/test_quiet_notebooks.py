"""Quiet notebooks: no red box in a Setup cell, no warning a learner need not see, figures shown.

Executes notebooks 00, 06 and 11 with nbclient at sample scale in the course's kernel (the
kernelspec and kernel config that `make` installs into .venv). About 2 minutes on 2 cores; run
alone with `pytest -m notebook_run tests/test_quiet_notebooks.py`, or skip with
`-m "not notebook_run"`.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["00_setup.ipynb", "06_cnn_classification.ipynb", "11_transfer_learning.ipynb"]
NOISE = ("UserWarning", "DeprecationWarning")


def setup_cell_index(nb):
    heading = next(i for i, c in enumerate(nb.cells)
                   if c.cell_type == "markdown" and c.source.startswith("## Setup"))
    return next(i for i in range(heading + 1, len(nb.cells)) if nb.cells[i].cell_type == "code")


def streams(cell, name=None):
    return [o for o in cell.get("outputs", [])
            if o.get("output_type") == "stream" and (name is None or o.get("name") == name)]


@pytest.mark.notebook_run
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_quietly(name, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", "sample")
    # The kernelspec from .venv (that `make` installs), not one in the user's ~/.local/share/jupyter.
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    path = ROOT / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, startup_timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    setup = setup_cell_index(nb)
    stderr = "".join(o["text"] for o in streams(nb.cells[setup], "stderr"))
    assert stderr == "", f"{name}: the Setup cell (cell {setup}) writes to stderr:\n{stderr[:2000]}"
    noisy = {i: o["text"][:500] for i, cell in enumerate(nb.cells) for o in streams(cell)
             if any(word in o["text"] for word in NOISE)}
    assert noisy == {}, f"{name}: cells print warnings: {noisy}"
    figures = [i for i, cell in enumerate(nb.cells) for o in cell.get("outputs", [])
               if o.get("output_type") == "display_data" and "image/png" in o.get("data", {})]
    assert figures, f"{name}: no cell shows a figure (is matplotlib's inline backend active?)"
