"""Keep the course notebooks clean: execute, strip and check them.

Notebooks are committed without outputs, except cells tagged
``nbval-check-output``: nbval (in ``--nbval-lax`` mode) compares exactly those
cells' stored outputs with a fresh run. Command line::

    python -m course_utils.tools.notebooks check   notebooks/*.ipynb
    python -m course_utils.tools.notebooks strip   notebooks/*.ipynb
    python -m course_utils.tools.notebooks refresh notebooks/*.ipynb

A folder stands for the ``.ipynb`` files directly in it (``check notebooks``).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

CHECK_TAG = "nbval-check-output"


def is_checked(cell):
    """Return True if nbval compares this cell's output (it has the tag)."""
    return cell.cell_type == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def _clean_outputs(outputs):
    return [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def strip(nb):
    """Remove outputs of unchecked cells and volatile metadata, in place.

    Checked cells keep their outputs minus stderr. The kernelspec is set to
    ``python3``.

    Args:
        nb: A ``nbformat.NotebookNode``.

    Returns:
        The same notebook.
    """
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            cell.outputs = _clean_outputs(cell.outputs)
        else:
            cell.outputs, cell.execution_count = [], None
    return nb


def problems(nb, name="notebook"):
    """List what keeps a notebook from being committed clean.

    Args:
        nb: A ``nbformat.NotebookNode``.
        name: Name used in the messages.

    Returns:
        A list of human-readable problems (empty when clean).
    """
    found = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        found.append(f"{name}: invalid notebook format ({exc.message})")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        found.append(f"{name}: kernelspec is {kernel!r}, expected 'python3'")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.outputs):
            found.append(f"{name}: cell {i} stores an error output")
        if cell.outputs and not is_checked(cell):
            found.append(f"{name}: cell {i} stores outputs but is not tagged {CHECK_TAG!r}")
        if is_checked(cell) and (not cell.outputs or cell.execution_count is None):
            found.append(f"{name}: checked cell {i} needs stored outputs and an execution_count "
                         "(run `make refresh-outputs`)")
    return found


def execute(path, timeout=600):
    """Execute a notebook in its own folder with the ``python3`` kernel.

    Args:
        path: Path to the ``.ipynb`` file.
        timeout: Seconds allowed per cell.

    Returns:
        ``(notebook, error, seconds)``: the executed notebook, the exception
        that stopped it (``None`` on success) and the wall time.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    start, error = time.perf_counter(), None
    try:
        client.execute()
    except (CellExecutionError, TimeoutError, RuntimeError) as exc:
        error = exc
    return nb, error, time.perf_counter() - start


def refresh(path):
    """Re-execute a notebook and store only its checked cells' outputs.

    The file is rewritten only when execution succeeds, so a failing run never
    leaves a half-written notebook behind.

    Args:
        path: Path to the ``.ipynb`` file.

    Raises:
        RuntimeError: If a cell fails; the file is left unchanged.
    """
    nb, error, seconds = execute(path)
    if error is not None:
        raise RuntimeError(f"{path} failed after {seconds:.0f} s; file left unchanged:\n{error}")
    nbformat.write(strip(nb), path)
    print(f"refreshed {path} ({seconds:.0f} s)")


def notebook_files(paths):
    """Expand the command-line paths into notebook files.

    Args:
        paths: ``.ipynb`` files and folders; a folder gives the notebooks directly
            in it, sorted (``*.nbconvert.ipynb`` copies left by nbconvert excluded).

    Returns:
        A list of ``Path`` objects.

    Raises:
        ValueError: If a path is neither an existing ``.ipynb`` file nor a folder
            holding at least one.
    """
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.ipynb") if not p.name.endswith(".nbconvert.ipynb"))
            if not found:
                raise ValueError(f"folder {str(path)!r} holds no .ipynb notebooks")
            files += found
        elif path.is_file() and path.suffix == ".ipynb":
            files.append(path)
        else:
            raise ValueError(f"{str(path)!r} is not a notebook; expected an existing .ipynb file "
                             "or a folder of them (e.g. notebooks/01_perceptron.ipynb or notebooks)")
    return files


def read_or_report(path):
    """Read a notebook for a command-line tool, or say on stderr why it cannot be read.

    Returns:
        The notebook, or ``None`` for an unreadable file (nothing is written to it).
    """
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported by name
        print(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def tracked_notebooks(root):
    """The course's notebooks: the ``notebooks/*.ipynb`` that git tracks under ``root``, sorted.

    Outside a git checkout (a downloaded archive) every ``notebooks/*.ipynb`` except the
    ``*.nbconvert.ipynb`` copies that ``jupyter nbconvert --execute`` leaves beside the sources.
    Tests look only at these, never at a learner's or a maintainer's scratch files.

    Args:
        root: The repository folder.

    Returns:
        A list of absolute ``Path`` objects.
    """
    root = Path(root).resolve()
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", "notebooks/*.ipynb"], cwd=root,
                             capture_output=True, text=True, check=True, timeout=60).stdout
        tracked = sorted(root / name for name in out.split("\0") if name)
    except (OSError, subprocess.SubprocessError):
        tracked = []
    return tracked or notebook_files([root / "notebooks"])


def main(argv=None):
    """Command-line entry point: ``check``, ``strip`` or ``refresh`` notebooks."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2 or argv[0] not in ("check", "strip", "refresh"):
        print(__doc__)
        return 2
    command, status = argv[0], 0
    try:
        paths = notebook_files(argv[1:])
    except ValueError as exc:
        print(f"notebooks {command}: {exc}", file=sys.stderr)
        return 2
    if command == "refresh":
        os.environ.setdefault("COURSE_DATA", "sample")  # store what CI will compare against
    for path in paths:
        if command == "refresh":
            try:
                refresh(path)
            except RuntimeError as exc:
                print(exc, file=sys.stderr)
                status = 1
            continue
        nb = read_or_report(path)
        if nb is None:
            status = 1
            continue
        if command == "strip":
            nbformat.write(strip(nb), path)
        else:
            for problem in problems(nb, path):
                print(problem)
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
