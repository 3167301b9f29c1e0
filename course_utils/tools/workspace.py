"""The learner's workspace: a copy of the course notebooks that is the learner's own.

``make lab`` serves ``workspace/`` (git-ignored, in the checkout), never
``notebooks/``: the sources stay clean for the tests and for ``git pull``.
Command line::

    python -m course_utils.tools.workspace sync  [SOURCE_DIR] [--workspace DIR]
    python -m course_utils.tools.workspace fresh NAME [--source SOURCE_DIR] [--workspace DIR]

``sync`` copies every notebook of ``SOURCE_DIR`` (default ``notebooks/``; in a
git checkout only the tracked ones, so ``*.nbconvert.ipynb`` leftovers are not
copied) and ``GLOSSARY.md`` that the workspace lacks. It never overwrites a
file that is already there. The manifest ``.course-manifest.json`` remembers,
for every copy, the source file it came from and that file's SHA-256, so a
later ``sync`` can list the notebooks whose source has changed since.

``fresh`` gives a fresh copy of one notebook: the learner's copy is renamed to
``NAME.backup-YYYYMMDD-HHMMSS.ipynb`` (nothing is ever deleted) and the current
source is copied.

The source folder is an argument because the student edition of the course
(``build/student/``) will be synced the same way.
"""

import argparse
import datetime as _dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = ROOT / "notebooks"
DEFAULT_WORKSPACE = ROOT / "workspace"
MANIFEST = ".course-manifest.json"
EXTRA_FILES = ("GLOSSARY.md",)
"""Files besides the notebooks that the workspace gets (when the source has them)."""


class WorkspaceError(Exception):
    """Bad input: the message names the argument and the expected form."""


def sha256(path):
    """Return the SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _git(args, cwd):
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result if result.returncode == 0 else None


def source_files(source):
    """List the files of a source folder that belong in the workspace.

    In a git checkout, a folder where git tracks notebooks gives those
    (``git ls-files``); a folder outside git, ignored by it (a build output
    such as ``build/student/``) or without tracked notebooks gives all its
    ``*.ipynb``. ``GLOSSARY.md`` is
    added when present.

    Args:
        source: The source folder.

    Returns:
        A sorted list of ``Path`` objects inside ``source``.

    Raises:
        WorkspaceError: If ``source`` is not a folder or holds no notebook.
    """
    source = Path(source)
    if not source.is_dir():
        raise WorkspaceError(
            f"SOURCE_DIR {str(source)!r} is not a folder; expected a folder of course notebooks "
            f"such as notebooks/ (the default) or build/student/"
        )
    tracked = None
    if _git(["rev-parse", "--is-inside-work-tree"], source) and not _git(["check-ignore", "-q", "."], source):
        listing = _git(["ls-files", "-z", "--", "*.ipynb"], source)
        if listing is not None:
            tracked = [source / name for name in listing.stdout.split("\0") if name and "/" not in name]
    notebooks = tracked if tracked else list(source.glob("*.ipynb"))
    notebooks = [p for p in notebooks if p.is_file()]
    if not notebooks:
        raise WorkspaceError(
            f"SOURCE_DIR {str(source)!r} holds no notebook; expected a folder of course notebooks "
            f"(NN_topic.ipynb) such as notebooks/ or build/student/"
        )
    extras = [source / name for name in EXTRA_FILES if (source / name).is_file()]
    return sorted(notebooks + extras, key=lambda p: p.name)


def _now():
    return _dt.datetime.now().astimezone()


def _display(path):
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def _write_atomic(path, data):
    """Write bytes to ``path`` through a temporary file and a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_new(src, dest):
    """Copy ``src`` to ``dest`` without ever replacing an existing ``dest``."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        try:
            os.link(tmp, dest)  # fails if dest exists: a learner's file is never replaced
        except FileExistsError:
            raise
        except OSError:  # no hard links on this file system: exclusive create instead
            with open(tmp, "rb") as fin, open(dest, "xb") as fout:
                shutil.copyfileobj(fin, fout)
    finally:
        Path(tmp).unlink(missing_ok=True)


def read_manifest(workspace):
    """Return the workspace manifest ``{"version": 1, "files": {name: entry}}``.

    A missing manifest is empty. An unreadable one is kept as
    ``.course-manifest.json.broken-<time>`` and an empty one is returned.
    """
    path = Path(workspace) / MANIFEST
    if not path.exists():
        return {"version": 1, "files": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest.get("files"), dict):
            raise ValueError("no 'files' table")
        return manifest
    except (ValueError, OSError, AttributeError) as exc:
        kept = path.with_name(f"{MANIFEST}.broken-{_now():%Y%m%d-%H%M%S}")
        path.rename(kept)
        print(f"workspace: {_display(path)} was unreadable ({exc}); kept it as {kept.name}", file=sys.stderr)
        return {"version": 1, "files": {}}


def write_manifest(workspace, manifest):
    """Write the manifest atomically (a reader never sees half a file)."""
    data = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    _write_atomic(Path(workspace) / MANIFEST, data)


def _entry(src):
    return {"source": str(Path(src).resolve()), "sha256": sha256(src),
            "copied_at": _now().isoformat(timespec="seconds")}


def _fresh_command(name, source):
    stem = name[:-6] if name.endswith(".ipynb") else name
    if Path(source).resolve() == DEFAULT_SOURCE.resolve() and name.endswith(".ipynb"):
        return f"make fresh NB={stem}"
    return f"python -m course_utils.tools.workspace fresh {name} --source {_display(source)}"


def sync(source=DEFAULT_SOURCE, workspace=DEFAULT_WORKSPACE, out=sys.stdout):
    """Copy the source files the workspace lacks; report the sources that changed.

    Never overwrites a file in the workspace.

    Args:
        source: The source folder (``notebooks/`` or, later, ``build/student/``).
        workspace: The learner's workspace folder (created when missing).
        out: Where to print the summary.

    Returns:
        A dict with lists of names: ``added``, ``changed`` (the source differs
        from the one the copy was made from) and ``unknown`` (a workspace file
        the manifest does not know and that differs from the source).

    Raises:
        WorkspaceError: If the source folder is missing or empty.
    """
    files = source_files(source)
    workspace = Path(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(workspace)
    added, changed, unknown = [], [], []
    for src in files:
        dest = workspace / src.name
        entry = manifest["files"].get(src.name)
        if not dest.exists():
            _copy_new(src, dest)
            manifest["files"][src.name] = _entry(src)
            added.append(src.name)
        elif entry is None:
            if sha256(dest) == sha256(src):
                manifest["files"][src.name] = _entry(src)
            else:
                unknown.append(src.name)
        elif entry.get("sha256") != sha256(src) or Path(entry.get("source", "")) != src.resolve():
            changed.append(src.name)
    write_manifest(workspace, manifest)

    kept = len(files) - len(added)
    print(f"workspace: {_display(workspace)} ({len(added)} added from {_display(source)}, "
          f"{kept} already there)", file=out)
    if changed or unknown:
        print("The course has a newer version of these notebooks (your copies are untouched):", file=out)
        for name in changed + unknown:
            why = "" if name in changed else "  (your copy was not made by this tool)"
            print(f"  {name}{why}", file=out)
        print("To get a fresh copy (yours is kept as a timestamped backup; close it in JupyterLab first):",
              file=out)
        for name in changed + unknown:
            print(f"  {_fresh_command(name, source)}", file=out)
    return {"added": added, "changed": changed, "unknown": unknown}


def resolve_name(name, source):
    """Find the source file a learner means by ``name``.

    Accepts ``06_cnn_classification.ipynb``, ``06_cnn_classification``, ``06``
    or ``GLOSSARY.md``.

    Raises:
        WorkspaceError: If no source file (or more than one) matches.
    """
    files = source_files(source)
    by_name = {p.name: p for p in files}
    wanted = Path(str(name)).name
    for candidate in (wanted, f"{wanted}.ipynb"):
        if candidate in by_name:
            return by_name[candidate]
    matches = [p for p in files if p.suffix == ".ipynb" and p.name.split("_", 1)[0] == wanted]
    if len(matches) == 1:
        return matches[0]
    examples = ", ".join(sorted(by_name)[:3])
    raise WorkspaceError(
        f"NB {name!r} is not a course notebook in {_display(source)}; expected a name like "
        f"06_cnn_classification (NN_topic, with or without .ipynb, or just NN), one of: {examples}, ..."
    )


def _backup_path(dest):
    stamp = _now().strftime("%Y%m%d-%H%M%S")
    backup = dest.with_name(f"{dest.stem}.backup-{stamp}{dest.suffix}")
    n = 1
    while backup.exists():
        backup = dest.with_name(f"{dest.stem}.backup-{stamp}-{n}{dest.suffix}")
        n += 1
    return backup


def fresh(name, source=DEFAULT_SOURCE, workspace=DEFAULT_WORKSPACE, out=sys.stdout):
    """Replace the learner's copy of one notebook with the current source, keeping a backup.

    Args:
        name: The notebook (see :func:`resolve_name`).
        source: The source folder.
        workspace: The learner's workspace folder.
        out: Where to print what was done.

    Returns:
        The backup's ``Path``, or ``None`` when there was no copy to keep.

    Raises:
        WorkspaceError: If the name or the source folder is wrong.
    """
    src = resolve_name(name, source)
    workspace = Path(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(workspace)
    dest = workspace / src.name
    backup = None
    if dest.exists():
        backup = _backup_path(dest)
        dest.rename(backup)
    _copy_new(src, dest)
    manifest["files"][src.name] = _entry(src)
    write_manifest(workspace, manifest)
    print(f"workspace: fresh copy of {src.name} from {_display(source)}", file=out)
    if backup is not None:
        print(f"  your previous copy is kept as {_display(backup)}", file=out)
    return backup


def main(argv=None):
    """Command line entry point; returns the exit code (2 for bad input)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.tools.workspace",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_sync = sub.add_parser("sync", help="copy new notebooks into the workspace; list changed ones")
    p_sync.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE), metavar="SOURCE_DIR",
                        help="folder of course notebooks (default: notebooks/)")
    p_fresh = sub.add_parser("fresh", help="a fresh copy of one notebook; the old copy is kept as a backup")
    p_fresh.add_argument("name", metavar="NB", help="notebook name, e.g. 06_cnn_classification")
    p_fresh.add_argument("--source", default=str(DEFAULT_SOURCE), metavar="SOURCE_DIR",
                         help="folder of course notebooks (default: notebooks/)")
    for p in (p_sync, p_fresh):
        p.add_argument("--workspace", default=str(DEFAULT_WORKSPACE), metavar="DIR",
                       help="the learner's workspace (default: workspace/ in the checkout)")
    args = parser.parse_args(argv)
    try:
        if args.command == "sync":
            sync(args.source, args.workspace)
        else:
            fresh(args.name, args.source, args.workspace)
    except WorkspaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
