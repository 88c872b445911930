"""Scheduled reruns for real: a Prefect server on loopback, the flow served on a short interval,
a page dropped into the raw folder, and the outputs watched until it shows up (bounded)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest
from conftest import ROOT

pytestmark = pytest.mark.flow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def page_ids(out) -> set:
    try:
        return set(pd.read_parquet(out / "pages.parquet").page_id)
    except (OSError, ValueError):
        return set()


def server_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_served_flow_picks_up_a_new_page(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "002_7810d6e3cdac0202.txt", raw)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect_home"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2")
    env.pop("PREFECT_API_URL", None)
    prefect = shutil.which("prefect", path=os.path.dirname(sys.executable))
    logs = [open(tmp_path / "server.log", "w"), open(tmp_path / "serve.log", "w")]
    server = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True)
    served = None
    try:
        wait_for(lambda: server_healthy(api), 120, "the Prefect server")
        served = subprocess.Popen(
            [sys.executable, "flows.py", "serve", "--interval", "3", "--raw", str(raw), "--out", str(out)],
            cwd=ROOT, env=dict(env, PREFECT_API_URL=api), stdout=logs[1], stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_for(lambda: page_ids(out) == {"002_7810d6e3cdac0202.txt"}, 180, "the first scheduled run")
        shutil.copy(ROOT / "raw" / "003_40f470a4cd9b3ce3.txt", raw)
        wait_for(lambda: "003_40f470a4cd9b3ce3.txt" in page_ids(out), 180, "the new page in the outputs")
        runs = pd.read_parquet(out / "runs.parquet").sort_values("started_at")
        assert ((runs.pages_new == 1) & (runs.pages_unchanged == 1)).any()
        # one flow run at a time: runs every 3 s that each take longer never overlap
        assert (runs.started_at.iloc[1:].to_numpy() >= runs.finished_at.iloc[:-1].to_numpy()).all()
    finally:
        for proc in (served, server):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        for log in logs:
            log.close()
