"""The learner's lab: `make lab` serves the workspace, and doing the course leaves git clean.

test_learner_session plays a learner: it starts the course's JupyterLab server the way
`make lab` does (its command line is read from `make -n lab`), on a free loopback port with a
random token, saves an executed notebook through the REST API as autosave does, and checks that
the checkout did not change. The workspace is a temporary one, so a real `workspace/` is never
touched.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from course_utils.tools import notebooks
from course_utils.tools import workspace as ws

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")
START_TIMEOUT_S = 120


def run_bounded(cmd, timeout, **kwargs):
    """Run a command in its own process group; kill the whole group if it overruns."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return proc.returncode, out, err


def git_status():
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=60).stdout


def in_git_checkout():
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True,
                             text=True, timeout=30).stdout.strip()
        return bool(top) and Path(top).resolve() == ROOT
    except (OSError, subprocess.SubprocessError):
        return False


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env.update(extra)
    return env


def lab_commands():
    """The commands `make lab` runs, as make prints them (nothing is run)."""
    code, out, err = run_bounded(["make", "-n", "lab"], 60, env=make_env(COURSE_DATA="sample"))
    assert code == 0, err
    return [line for line in out.splitlines() if line.strip()]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port, token):
        self.base = f"http://127.0.0.1:{port}"
        self.headers = {"Authorization": f"token {token}"}

    def request(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers, **({"Content-Type": "application/json"} if data else {}))
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")


def wait_until_up(api, proc, log):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if api.request("GET", "/api/status", timeout=5)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


def executed(nb):
    """What a JupyterLab session writes back: outputs, counts, its own kernel metadata."""
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": f"ran cell {count}\n"}]
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                    "language": "python"}
    nb["metadata"]["language_info"] = {"name": "python", "version": sys.version.split()[0]}
    return nb


@needs_make
def test_make_lab_syncs_and_serves_the_workspace():
    lines = lab_commands()
    sync = [i for i, line in enumerate(lines) if "course_utils.tools.workspace sync" in line]
    lab = [i for i, line in enumerate(lines) if re.search(r"jupyter lab\b", line)]
    assert sync and lab and sync[0] < lab[0], lines
    assert "--notebook-dir=workspace" in shlex.split(lines[lab[0]])
    assert "--notebook-dir=notebooks" not in lines[lab[0]]


@needs_make
def test_learner_session_leaves_the_checkout_clean(tmp_path):
    if not in_git_checkout():
        pytest.skip("not a git checkout")
    if not JUPYTER.exists():
        pytest.skip(f"{JUPYTER} is not installed")
    line = next(line for line in lab_commands() if re.search(r"jupyter lab\b", line))
    workspace = tmp_path / "workspace"
    ws.sync(ws.DEFAULT_SOURCE, workspace)
    port, token = free_port(), secrets.token_hex(16)
    served_dir = f"--notebook-dir={workspace}"
    argv = [served_dir if a == "--notebook-dir=workspace" else a for a in shlex.split(line)]
    argv += ["--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
             f"--ServerApp.token={token}"]
    env = make_env(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
                   JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), TF_CPP_MIN_LOG_LEVEL="3")
    name = "06_cnn_classification.ipynb"
    source = ROOT / "notebooks" / name
    source_before, status_before = source.read_bytes(), git_status()
    log = tmp_path / "lab.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        api = Api(port, token)
        wait_until_up(api, proc, log)
        _, root = api.request("GET", "/api/contents")
        served = {item["name"] for item in root["content"]}
        assert served == {p.name for p in workspace.iterdir() if not p.name.startswith(".")}
        _, model = api.request("GET", f"/api/contents/{name}")
        assert model["type"] == "notebook"
        body = {"type": "notebook", "format": "json", "content": executed(model["content"])}
        code, saved = api.request("PUT", f"/api/contents/{name}", body)
        assert code == 200 and saved["path"] == name
        _, spec = api.request("GET", "/api/kernelspecs")
        assert "python3" in spec["kernelspecs"]
        config = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
        assert config.read_text() == (ROOT / "jupyter" / "ipython_kernel_config.py").read_text(), \
            "the course's kernel config is not installed (make)"
        _, news = api.request("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
        assert news["schema"]["properties"]["fetchNews"]["default"] == "false"
    finally:
        stop(proc)
    assert any(c.get("outputs") for c in nbformat.read(workspace / name, as_version=4).cells), "no save"
    assert source.read_bytes() == source_before
    assert git_status() == status_before, "the session changed the checkout (empty before => empty after)"
    found = [problem for path in notebooks.tracked_notebooks(ROOT)
             for problem in notebooks.problems(nbformat.read(path, as_version=4), path.name)]
    assert found == []


@needs_make
@pytest.mark.parametrize("target", ["test", "lab", "report"])
def test_bad_course_data_stops_make_at_once(target):
    start = time.monotonic()
    code, out, err = run_bounded(["make", target], 30, env=make_env(COURSE_DATA="bogus"))
    assert code != 0
    assert time.monotonic() - start < 30
    assert "COURSE_DATA='bogus' is not a data scale" in err and "sample, full, auto" in err
    assert out == "", "nothing ran before the check"


@needs_make
def test_make_help_lists_every_target():
    phony = re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    code, out, _ = run_bounded(["make", "help"], 30, env=make_env(COURSE_DATA="bogus"))
    assert code == 0
    listed = set(re.findall(r"^make ([\w-]+)", out, re.M))
    assert set(phony) - {"help"} <= listed, f"make help leaves out {set(phony) - {'help'} - listed}"
