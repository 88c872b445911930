"""End-to-end runs of the real Prefect flow (each starts a temporary Prefect server: slow)."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

pytestmark = pytest.mark.flow


def hermetic_env(tmp_path):
    env = dict(os.environ)
    env.update(PREFECT_HOME=str(tmp_path / "prefect_home"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90")
    env.pop("PREFECT_API_URL", None)
    return env


def test_flow_writes_the_same_tables_as_the_library(tmp_path, seed_output):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "flows.py", "--raw", "raw", "--out", str(out)], cwd=ROOT,
                            env=hermetic_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "5 pages" in result.stdout
    assert "pipeline - pages: 5 pages (5 processed" in result.stdout + result.stderr  # stage lines via Prefect
    for name in ("blocks", "claims", "facts", "comparison", "rejected"):
        flow_table = pd.read_parquet(out / f"{name}.parquet")
        lib_table = pd.read_parquet(seed_output / f"{name}.parquet")
        drop = [c for c in ("seen_at",) if c in flow_table]
        pd.testing.assert_frame_equal(flow_table.drop(columns=drop), lib_table.drop(columns=drop))
    pages = pd.read_parquet(out / "pages.parquet").drop(columns=["processed_at"])
    pd.testing.assert_frame_equal(pages, pd.read_parquet(seed_output / "pages.parquet").drop(columns=["processed_at"]))
    assert (out / "comparison_wide.csv").read_text().startswith("drug,topic,key,fact,agreement,")


def test_flow_reports_a_missing_raw_folder(tmp_path):
    result = subprocess.run([sys.executable, "flows.py", "--raw", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
                            cwd=ROOT, env=hermetic_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "raw folder not found" in result.stderr


def test_flow_refuses_an_output_folder_inside_the_raw_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Metformin may cause nausea.\n")
    result = subprocess.run([sys.executable, "flows.py", "--raw", str(raw), "--out", str(raw / "out")],
                            cwd=ROOT, env=hermetic_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and result.stderr.startswith("error: the output folder") and not (raw / "out").exists()


ARTIFACTS_SCRIPT = """
import asyncio, json, sys
import flows
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

from prefect.logging.handlers import APILogHandler

state = flows.drug_pages_flow(sys.argv[1], sys.argv[2], return_state=True)
APILogHandler().flush()  # logs reach the server in batches: send the last ones before reading them

async def read():
    async with get_client() as client:
        artifacts = await client.read_artifacts(flow_run_filter=None)
        logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id])))
        return artifacts, logs

artifacts, logs = asyncio.run(read())
print(json.dumps({
    "artifacts": {a.key: {"type": a.type, "data": a.data} for a in artifacts if a.key},
    "logs": [{"message": l.message, "task": l.task_run_id is not None} for l in logs],
}, default=str))
"""


def test_the_flow_publishes_artifacts_and_logs_its_counts_to_the_run(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", ARTIFACTS_SCRIPT, "raw", str(out)], cwd=ROOT,
                            env=hermetic_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    artifacts = seen["artifacts"]
    assert {k: a["type"] for k, a in artifacts.items()} == {
        "run-summary": "markdown", "facts-to-check": "table", "comparison-report": "markdown",  # a link artifact
        "pages-progress": "progress", "dedup-progress": "progress", "copies-progress": "progress"}
    assert "## Conflicts" in artifacts["run-summary"]["data"] and "| 5 | 5 |" in artifacts["run-summary"]["data"]
    table = json.loads(artifacts["facts-to-check"]["data"])
    assert table and {row["agreement"] for row in table} <= {"conflict", "one"}
    assert artifacts["comparison-report"]["data"] == f"[report.html]({(out / 'report.html').as_uri()})"
    assert float(artifacts["pages-progress"]["data"]) == 100.0
    task_lines = [log["message"] for log in seen["logs"] if log["task"]]
    for stage in ("ingest: ", "pages: ", "dedup: ", "compare: "):
        assert any(line.startswith(stage) for line in task_lines), (stage, task_lines)
