"""The learner's workspace: sync never overwrites, fresh keeps a backup, bad input exits 2."""

import io
import json
import shutil
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils.tools import workspace as ws


def write_nb(path, text):
    nb = new_notebook(cells=[new_markdown_cell(f"# {text}"), new_code_cell("print(1)")])
    nbformat.write(nb, path)
    return path


@pytest.fixture
def course(tmp_path):
    """A source folder with two notebooks and a glossary (not a git checkout)."""
    src = tmp_path / "course"
    src.mkdir()
    write_nb(src / "00_setup.ipynb", "00")
    write_nb(src / "06_cnn.ipynb", "06")
    (src / "GLOSSARY.md").write_text("# Glossary\n")
    return src


def run_sync(src, dest):
    out = io.StringIO()
    result = ws.sync(src, dest, out=out)
    return result, out.getvalue()


def test_first_sync_copies_everything_and_records_sources(course, tmp_path):
    dest = tmp_path / "ws"
    result, text = run_sync(course, dest)
    assert result["added"] == ["00_setup.ipynb", "06_cnn.ipynb", "GLOSSARY.md"]
    assert (dest / "06_cnn.ipynb").read_bytes() == (course / "06_cnn.ipynb").read_bytes()
    files = json.loads((dest / ws.MANIFEST).read_text())["files"]
    assert files["06_cnn.ipynb"]["sha256"] == ws.sha256(course / "06_cnn.ipynb")
    assert files["06_cnn.ipynb"]["source"] == str((course / "06_cnn.ipynb").resolve())
    assert "3 added" in text
    assert not list(dest.glob("*.tmp")) and not list(dest.glob(".*.tmp"))


def test_sync_never_overwrites_a_learners_file(course, tmp_path):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    write_nb(dest / "06_cnn.ipynb", "my own work")
    mine = (dest / "06_cnn.ipynb").read_bytes()
    write_nb(course / "06_cnn.ipynb", "06, second edition")
    result, text = run_sync(course, dest)
    assert (dest / "06_cnn.ipynb").read_bytes() == mine
    assert result == {"added": [], "changed": ["06_cnn.ipynb"], "unknown": []}
    assert "06_cnn.ipynb" in text and "workspace fresh 06_cnn.ipynb --source" in text


def test_sync_adds_new_notebooks_and_lists_changed_sources(course, tmp_path):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    write_nb(course / "07_new.ipynb", "07")
    write_nb(course / "00_setup.ipynb", "00, fixed")
    result, text = run_sync(course, dest)
    assert result["added"] == ["07_new.ipynb"] and result["changed"] == ["00_setup.ipynb"]
    assert "06_cnn" not in text, "an unchanged notebook is not listed"
    result, _ = run_sync(course, dest)
    assert result["changed"] == ["00_setup.ipynb"], "still listed until the learner takes a fresh copy"


def test_sync_recopies_a_deleted_copy_and_lists_unknown_files(course, tmp_path):
    dest = tmp_path / "ws"
    dest.mkdir()
    write_nb(dest / "06_cnn.ipynb", "a file that was there before the manifest")
    shutil.copy(course / "00_setup.ipynb", dest / "00_setup.ipynb")
    result, text = run_sync(course, dest)
    assert result["unknown"] == ["06_cnn.ipynb"] and result["changed"] == []
    assert "00_setup.ipynb" in json.loads((dest / ws.MANIFEST).read_text())["files"], "identical copy adopted"
    (dest / "00_setup.ipynb").unlink()
    result, _ = run_sync(course, dest)
    assert result["added"] == ["00_setup.ipynb"]


def test_a_new_source_folder_counts_as_a_change(course, tmp_path):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    student = tmp_path / "build" / "student"
    shutil.copytree(course, student)
    result, text = run_sync(student, dest)
    assert sorted(result["changed"]) == ["00_setup.ipynb", "06_cnn.ipynb", "GLOSSARY.md"]
    assert "--source" in text


def test_fresh_keeps_a_backup_and_copies_the_current_source(course, tmp_path):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    write_nb(dest / "06_cnn.ipynb", "my own work")
    mine = (dest / "06_cnn.ipynb").read_bytes()
    write_nb(course / "06_cnn.ipynb", "06, second edition")
    backup = ws.fresh("06_cnn", course, dest, out=io.StringIO())
    assert backup.read_bytes() == mine and backup.name.startswith("06_cnn.backup-")
    assert (dest / "06_cnn.ipynb").read_bytes() == (course / "06_cnn.ipynb").read_bytes()
    assert run_sync(course, dest)[0]["changed"] == [], "the fresh copy is up to date"
    second = ws.fresh("06", course, dest, out=io.StringIO())
    assert second != backup and backup.exists() and second.exists(), "backups are never replaced"


def test_fresh_without_a_copy_just_copies(course, tmp_path):
    dest = tmp_path / "ws"
    assert ws.fresh("00_setup.ipynb", course, dest, out=io.StringIO()) is None
    assert (dest / "00_setup.ipynb").exists()


def test_bad_input_exits_2_and_changes_nothing(course, tmp_path, capsys):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    assert ws.main(["fresh", "99_nope", "--source", str(course), "--workspace", str(dest)]) == 2
    err = capsys.readouterr().err
    assert "NB '99_nope'" in err and "NN_topic" in err
    assert ws.main(["sync", str(tmp_path / "missing"), "--workspace", str(dest)]) == 2
    assert "SOURCE_DIR" in capsys.readouterr().err
    assert ws.main(["sync", str(tmp_path / "missing"), "--workspace", str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before


def test_empty_source_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ws.WorkspaceError, match="SOURCE_DIR .* holds no notebook"):
        ws.sync(tmp_path / "empty", tmp_path / "ws", out=io.StringIO())


def test_unreadable_manifest_is_kept_aside(course, tmp_path):
    dest = tmp_path / "ws"
    run_sync(course, dest)
    (dest / ws.MANIFEST).write_text("{half a file")
    run_sync(course, dest)
    assert len(list(dest.glob(f"{ws.MANIFEST}.broken-*"))) == 1
    assert json.loads((dest / ws.MANIFEST).read_text())["files"], "rebuilt from identical copies"


def test_in_git_only_tracked_notebooks_are_copied(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    src = repo / "notebooks"
    src.mkdir(parents=True)
    write_nb(src / "00_setup.ipynb", "00")
    write_nb(src / "00_setup.nbconvert.ipynb", "executed copy")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "notebooks/00_setup.ipynb"], check=True)
    assert [p.name for p in ws.source_files(src)] == ["00_setup.ipynb"]
    (repo / ".gitignore").write_text("build/\n")
    student = repo / "build" / "student"
    student.mkdir(parents=True)
    write_nb(student / "00_setup.ipynb", "student edition")
    assert [p.name for p in ws.source_files(student)] == ["00_setup.ipynb"], "ignored build output: all files"


def test_real_course_source_lists_tracked_notebooks():
    names = [p.name for p in ws.source_files(ws.DEFAULT_SOURCE)]
    assert "00_setup.ipynb" in names
    assert not any(n.endswith(".nbconvert.ipynb") for n in names)
