"""Notebook hygiene, the strip/refresh tool and the nbval sanitize file."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbval.plugin import get_sanitize_patterns

from course_utils.tools import notebooks

ROOT = Path(__file__).resolve().parents[1]


COURSE = notebooks.tracked_notebooks(ROOT)


def make_notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def checked(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = [notebooks.CHECK_TAG]
    return cell


def test_course_has_notebooks():
    assert any(p.name.startswith("00_") for p in COURSE)


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_committed_notebooks_are_clean(path):
    assert notebooks.problems(nbformat.read(path, as_version=4), path.name) == []


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_notebooks_open_the_same_way(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith(f"# {path.name[:2]} · ")
    assert "Run time" in cells[0].source
    setup_heading = next(i for i, c in enumerate(cells)
                         if c.cell_type == "markdown" and c.source.startswith("## Setup"))
    setup_cell = cells[setup_heading + 1]
    assert setup_cell.cell_type == "code" and re.search(r"^(\w+ = )?setup\(", setup_cell.source, re.M)
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "## Summary" in text and "## Exercises" in text


def test_run_time_in_each_notebook_is_the_readme_measurement():
    """The "Run time" line of a notebook quotes the README's measured seconds, to the nearest 5 s."""
    table = dict(re.findall(r"^\| `(\d\d)_\w+` \| (\d+) \|", (ROOT / "README.md").read_text(), re.M))
    assert sorted(table) == sorted(p.name[:2] for p in COURSE), "README's Measured budget misses a notebook"
    for path in COURSE:
        header = nbformat.read(path, as_version=4).cells[0].source
        quoted = re.search(r"\*Run time: about (\d+) s on a 2-core CPU", header)
        assert quoted, f"{path.name}: the first cell has no '*Run time: about N s on a 2-core CPU'"
        measured = int(table[path.name[:2]])
        assert int(quoted[1]) == max(5, 5 * round(measured / 5)), (
            f"{path.name} says about {quoted[1]} s; README measured {measured} s")


def test_problems_finds_every_kind_of_mess():
    stray = new_code_cell("1", outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])
    error = new_code_cell("x", outputs=[nbformat.v4.new_output("error", ename="E", evalue="", traceback=[])])
    unrun = checked("print(2)")
    nb = make_notebook(new_markdown_cell("# t"), stray, error, unrun)
    nb.metadata["kernelspec"]["name"] = "conda-env"
    found = "\n".join(notebooks.problems(nb, "t.ipynb"))
    assert "kernelspec is 'conda-env'" in found
    assert "cell 1 stores outputs but is not tagged" in found
    assert "cell 2 stores an error output" in found
    assert "checked cell 3 needs stored outputs" in found


def test_strip_keeps_only_checked_outputs_without_stderr():
    out = nbformat.v4.new_output("stream", name="stdout", text="4\n")
    err = nbformat.v4.new_output("stream", name="stderr", text="tf noise\n")
    keep = checked("print(4)")
    keep.outputs, keep.execution_count = [out, err], 3
    drop = new_code_cell("print(5)", outputs=[out], execution_count=4)
    nb = notebooks.strip(make_notebook(keep, drop))
    assert nb.cells[0].outputs == [out] and nb.cells[0].execution_count == 3
    assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None


def test_refresh_runs_in_current_env_and_keeps_checked_outputs(tmp_path):
    path = tmp_path / "nb.ipynb"
    nb = make_notebook(checked("import sys\nprint(sys.executable)"), new_code_cell("print('x')"))
    nbformat.write(nb, path)
    notebooks.refresh(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable
    assert nb.cells[1].outputs == [] and notebooks.problems(nb) == []


def test_refresh_leaves_file_untouched_on_failure(tmp_path):
    path = tmp_path / "bad.ipynb"
    nbformat.write(make_notebook(checked("print(1)"), new_code_cell("1 / 0")), path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="file left unchanged"):
        notebooks.refresh(path)
    assert path.read_bytes() == before
    assert notebooks.main(["check", str(path)]) == 1  # the unrun checked cell is reported


def test_cli_takes_a_folder_and_names_bad_paths(tmp_path, capsys):
    nbformat.write(make_notebook(new_code_cell("print(1)")), tmp_path / "a.ipynb")
    nbformat.write(make_notebook(checked("print(2)")), tmp_path / "b.ipynb")
    (tmp_path / "a.nbconvert.ipynb").write_text("{}")  # nbconvert's copy is not a course notebook
    assert [p.name for p in notebooks.notebook_files([tmp_path])] == ["a.ipynb", "b.ipynb"]
    assert notebooks.main(["check", str(tmp_path)]) == 1  # b's checked cell has no output
    assert "b.ipynb" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    for bad, message in (("missing.ipynb", "missing.ipynb' is not a notebook"),
                         ("empty", "holds no .ipynb notebooks")):
        assert notebooks.main(["strip", str(tmp_path / bad)]) == 2
        assert message in capsys.readouterr().err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not json")
    assert notebooks.main(["strip", str(broken)]) == 1
    assert "broken.ipynb: not a readable notebook" in capsys.readouterr().err
    assert broken.read_text() == "not json"


def test_tracked_notebooks_are_the_ones_git_tracks(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb", "01_a.nbconvert.ipynb", "scratch.ipynb"):
        nbformat.write(make_notebook(new_code_cell("1")), folder / name)
    # Outside git (a downloaded archive): every notebook but nbconvert's copy.
    assert [p.name for p in notebooks.tracked_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb",
                                                                       "scratch.ipynb"]
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(git + ["add", "notebooks/01_a.ipynb", "notebooks/02_b.ipynb"], cwd=tmp_path, check=True)
    assert notebooks.tracked_notebooks(tmp_path) == [(folder / "01_a.ipynb").resolve(),
                                                     (folder / "02_b.ipynb").resolve()]


def test_sanitize_file_has_all_its_rules():
    text = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    pairs = get_sanitize_patterns(text)
    assert len(pairs) == len(re.findall(r"^\[", text, flags=re.M)) == 3
    assert all(replace for _, replace in pairs), "an empty replace: is easy to lose"
