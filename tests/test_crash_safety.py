"""A run killed at any moment leaves readable, consistent tables; the next run completes the work."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from test_incremental import assert_matches_full_run

from pipeline import run as stages
from pipeline import versions
from pipeline.run import TABLES, RunOptions, run_pipeline
from pipeline.storage import output_lock
from pipeline.vocabulary import load_vocabulary


def staged_run(raw: Path, out: Path) -> Path:
    """Every stage up to (not including) publish, as a run would do them; returns the work folder."""
    work = versions.prepare_work_dir(out)
    stages.stage_ingest(raw, work, out, vocab_fingerprint=load_vocabulary().fingerprint)
    stages.stage_pages(work, out)
    stages.stage_dedup(work)
    stages.stage_compare(work, out)
    return work


def check_consistent(out: Path) -> None:
    """Every table readable, row counts as the manifest of the run that wrote them says."""
    manifest = json.loads((out / "manifest.json").read_text())
    for name in TABLES:
        assert len(pd.read_parquet(out / f"{name}.parquet")) == manifest["rows"][name], name
    pages = set(pd.read_parquet(out / "pages.parquet").page_id)
    assert set(pd.read_parquet(out / "facts.parquet").page_id) <= pages


@pytest.fixture
def big_raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    seeds = sorted((ROOT / "raw").iterdir())
    for i in range(24):
        for seed in seeds:
            (raw / f"{i:02d}_{seed.name}").write_text(seed.read_text() + f"\nCopy {i}.\n")
    return raw


def wait_for_the_lock(out: Path, timeout: float = 30.0) -> None:
    """Wait until a killed run's forked workers, which share its output lock and die a moment after
    it, have let the lock go."""
    with output_lock(out, wait_seconds=timeout):
        pass


def test_kill_at_different_moments(tmp_path, big_raw):
    out = tmp_path / "out"
    run_pipeline(RunOptions(big_raw, out))
    check_consistent(out)
    killed = 0
    for attempt, delay in enumerate((0.3, 0.8, 1.4, 2.0, 2.8)):
        for page in sorted(big_raw.iterdir())[attempt::4]:
            page.write_text(page.read_text() + f"\nIt may cause headaches ({attempt}).\n")
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--raw", str(big_raw), "--out", str(out), "-q"],
                                cwd=ROOT, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        wait_for_the_lock(out)
        check_consistent(out)
    assert killed >= 4
    run_pipeline(RunOptions(big_raw, out))
    check_consistent(out)
    assert_matches_full_run(big_raw, out, tmp_path)


def test_crash_before_the_switch_leaves_the_previous_version(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    (raw / "extra.txt").write_text("Isotretinoin may cause nosebleeds.\n")

    class Crash(Exception):
        pass

    def crash():
        raise Crash

    work = staged_run(raw, out)
    started = datetime.now(timezone.utc)
    crashed_run = stages.new_run_id(started)
    with pytest.raises(Crash):
        stages.publish(work, out, crashed_run, started, before_switch=crash)
    check_consistent(out)
    assert "extra.txt" not in set(pd.read_parquet(out / "pages.parquet").page_id)
    run_pipeline(RunOptions(raw, out))
    assert "extra.txt" in set(pd.read_parquet(out / "pages.parquet").page_id)
    assert len(pd.read_parquet(out / "runs.parquet")) == 2  # the interrupted run left no trace
    kept = [v.name for v in (out / versions.VERSIONS_DIR_NAME).iterdir()]
    assert len(kept) == 2 and crashed_run not in kept  # the first run's version and this one's
    assert_matches_full_run(raw, out, tmp_path)


def test_publish_can_be_retried_after_a_partial_failure(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    out = tmp_path / "out"
    work = staged_run(raw, out)
    started = datetime.now(timezone.utc)
    run_id = stages.new_run_id(started)

    def fail_before_switch():
        raise OSError("disk hiccup")

    with pytest.raises(OSError):
        stages.publish(work, out, run_id, started, before_switch=fail_before_switch)
    row = stages.publish(work, out, run_id, started)
    assert row["pages_new"] == 5
    check_consistent(out)
    assert pd.read_parquet(out / "runs.parquet").run_id.tolist() == [run_id]
