"""Slide metadata (course_utils.tools.slides): the rules, the tag/check tool and the offline deck."""

import base64
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.tools import slides
from course_utils.tools.notebooks import tracked_notebooks

ROOT = Path(__file__).resolve().parents[1]


def md(text, **metadata):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata.update(metadata)
    return cell


def code(text, **metadata):
    cell = nbformat.v4.new_code_cell(text)
    cell.metadata.update(metadata)
    return cell


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = list(cells)
    return nb


def lecture():
    return notebook(
        md("# 99 · A lecture\n\nWhat you learn: the **gradient** (기울기)."),   # 0 title
        md("## Setup"),                                                         # 1
        code("import numpy as np\nsetup(seed=42)"),                             # 2
        md("<!-- notes -->\nAbout 5 minutes to here; stress: seeds."),          # 3 notes
        md("## Train a model\n\nSome words."),                                  # 4
        code("x = 1\ny = 2"),                                                   # 5
        code("\n".join(f"line_{i} = {i}" for i in range(13))),                  # 6 long
        md("What the long cell shows."),                                        # 7 after a big cell
        md("### A detail"),                                                     # 8
        md("## Plot the loss"),                                                 # 9 short heading
        code("fig = plots.plot_history(history)"),                              # 10 figure, alone
        code("print('after')"),                                                 # 11 after a big cell
        md("Tagged note", tags=["notes"]),                                      # 12 notes by tag
        md("## Exercises\n\n1. Try it."),                                       # 13
        md("### Exercise 2"),                                                   # 14
        code("plt.plot([1, 2])"),                                               # 15
        md("<details><summary>Solution</summary>\nIt works.\n</details>"),      # 16
    )


def test_rules_make_a_lecture_deck():
    assert slides.slide_types(lecture()) == [
        "slide", "slide", "-", "notes", "slide", "-", "subslide", "subslide", "subslide", "slide",
        "-", "subslide", "notes", "slide", "-", "-", "fragment"]


def test_figure_and_long_code_get_a_subslide_unless_alone_with_their_heading():
    nb = notebook(md("# T"), md("## Draw\n\nA paragraph before the figure."), code("plt.plot([1])"),
                  md("## Draw again"), code("plt.plot([2])"), code("fig, ax = plt.subplots()"))
    assert slides.slide_types(nb) == ["slide", "slide", "subslide", "slide", "-", "subslide"]


def test_solution_is_a_fragment_before_the_exercises():
    nb = notebook(md("# T"), md("## Try"), md("<details><summary>Solution</summary>x</details>"))
    assert slides.slide_types(nb) == ["slide", "slide", "fragment"]


def raw(text):
    return nbformat.v4.new_raw_cell(text)


def otter_exercises():
    return notebook(
        md("# T"), md("## Exercises\n\nReplace each `...`."), raw("# ASSIGNMENT CONFIG\nname: 99_t"),
        raw("# BEGIN QUESTION\nname: q99_a"), md("**1. Compute it.**"), raw("# BEGIN SOLUTION"),
        code("answer = 42  # SOLUTION"), raw("# END SOLUTION"), raw("# BEGIN TESTS"),
        code('""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\nassert answer == 42'),
        raw("# END TESTS"), raw("# END QUESTION"),
        raw("# BEGIN QUESTION\nname: q99_b\nmanual: true"), md("**2. Explain it.**"),
        raw("# BEGIN SOLUTION"), md("**Model answer.** Because."), raw("# END SOLUTION"),
        raw("# END QUESTION"))


def test_otter_questions_are_subslides_with_fragment_solutions_and_no_tests():
    assert slides.slide_types(otter_exercises()) == [
        "slide", "slide", "skip",
        "skip", "subslide", "skip", "fragment", "skip", "skip", "skip", "skip", "skip",
        "skip", "subslide", "skip", "fragment", "skip", "skip"]


def test_deck_leaves_out_otter_tests_and_markers():
    nb = otter_exercises()
    nb.cells.insert(1, md("<!-- notes -->\nAbout 2 minutes."))
    slides.tag(nb)
    html = slides.render_deck(nb, "99_t")
    assert "Compute it" in html and "Model answer" in html
    assert "assert answer" not in html and "BEGIN QUESTION" not in html and "ASSIGNMENT CONFIG" not in html


def test_tag_keeps_metadata_tags_and_outputs_and_is_idempotent(tmp_path):
    nb = lecture()
    nb.cells[2].metadata["tags"] = ["nbval-check-output"]
    nb.cells[2].metadata["slideshow"] = {"slide_type": "skip", "extra": 1}
    nb.cells[2].metadata["collapsed"] = False
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept\n")]
    nb.cells[2].execution_count = 3
    path = tmp_path / "99_lecture.ipynb"
    nbformat.write(nb, path)

    assert slides.tag_file(path) == len(nb.cells)
    first = path.read_bytes()
    again = nbformat.read(path, as_version=4)
    cell = again.cells[2]
    assert cell.metadata["tags"] == ["nbval-check-output"]
    assert cell.metadata["slideshow"] == {"slide_type": "-", "extra": 1}
    assert cell.metadata["collapsed"] is False
    assert cell.outputs[0]["text"] == "kept\n" and cell.execution_count == 3
    assert [c.id for c in again.cells] == [c.id for c in nb.cells]

    mtime = path.stat().st_mtime_ns
    assert slides.tag_file(path) == 0
    assert path.read_bytes() == first and path.stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]  # no temporary file left


def test_check_lists_missing_stale_and_notes():
    nb = notebook(md("# T"), md("## A"), code("x = 1"))
    found = slides.problems(nb, "nb")
    assert sum("has no slideshow.slide_type" in p for p in found) == 3
    assert any("no speaker-notes cell" in p for p in found)

    slides.tag(nb)
    nb.cells.insert(2, md("<!-- notes -->"))
    nb.cells[1].metadata["slideshow"]["slide_type"] = "-"
    found = slides.problems(nb, "nb")
    assert any("cell 1 has slide_type '-', the rules give 'slide'" in p for p in found)
    assert any("cell 2 has no slideshow.slide_type" in p for p in found)
    assert any("empty speaker-notes cell" in p for p in found)

    nb.cells[2].source = "<!-- notes -->\nAbout 10 minutes to here; stress: the bias."
    slides.tag(nb)
    assert slides.problems(nb, "nb") == []


def test_command_line_tag_then_check(tmp_path):
    path = tmp_path / "99_lecture.ipynb"
    nbformat.write(lecture(), path)
    run = [sys.executable, "-m", "course_utils.tools.slides"]
    before = subprocess.run(run + ["check", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert before.returncode == 1 and "has no slideshow.slide_type" in before.stdout
    subprocess.run(run + ["tag", str(path)], check=True, capture_output=True, cwd=ROOT, timeout=120)
    after = subprocess.run(run + ["check", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert after.returncode == 0, after.stdout


@pytest.mark.parametrize("path", tracked_notebooks(ROOT), ids=lambda p: p.name)
def test_tracked_notebook_has_slide_metadata_and_notes(path):
    problems = slides.problems(nbformat.read(path, as_version=4), path.name)
    assert not problems, "\n".join(problems)


def png_output():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    data = base64.b64encode(buf.getvalue()).decode()
    return nbformat.v4.new_output("display_data", data={"image/png": data, "text/plain": "<Figure>"})


def test_deck_is_self_contained():
    nb = lecture()
    slides.tag(nb)
    nb.cells[10].outputs = [png_output()]
    html = slides.render_deck(nb, "99_lecture")
    assert slides.remote_refs(html) == []
    assert "data:image/png;base64," in html
    assert "Reveal.initialize" in html and "RevealNotes" in html
    assert '"NanumGothic", "Noto Sans CJK KR"' in html
    assert '<aside class="notes">' in html and "About 5 minutes to here" in html
    assert "기울기" in html
    assert 'href="REVEAL' not in html and "<script src=" not in html


def test_remote_refs_finds_scripts_and_styles():
    html = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="http://a/b.css">'
            '<a href="https://fine.example">link</a>')
    assert slides.remote_refs(html) == ["https://cdn.example/x.js", "http://a/b.css"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_slides_builds_one_deck_when_asked():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    out = subprocess.run(["make", "-n", "slides", "NB=notebooks/01_perceptron.ipynb"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    line = [x for x in out.stdout.splitlines() if "course_utils.tools.slides build" in x]
    assert line and "notebooks/01_perceptron.ipynb" in line[0] and "--out build/slides" in line[0]
    assert "COURSE_DATA=sample" in line[0]


def test_cli_names_bad_input(tmp_path, capsys):
    assert slides.main(["check", str(tmp_path / "nope.ipynb")]) == 2
    assert "nope.ipynb' is not a notebook" in capsys.readouterr().err
    assert slides.main(["build", str(tmp_path), "--out"]) == 2
    assert "--out needs a folder" in capsys.readouterr().err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not json")
    assert slides.main(["tag", str(tmp_path)]) == 1  # the folder stands for its notebooks
    assert "broken.ipynb: not a readable notebook" in capsys.readouterr().err
    assert broken.read_text() == "not json"
