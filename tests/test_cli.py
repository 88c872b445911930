import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from pipeline.__main__ import main
from pipeline.run import RunOptions, run_pipeline
from pipeline.storage import OutputLockedError, output_lock


def test_missing_raw_folder_is_one_clear_error(tmp_path, capsys):
    assert main(["run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "raw folder not found" in capsys.readouterr().err


def test_second_run_on_locked_output_is_refused(tmp_path):
    (tmp_path / "raw").mkdir()
    with output_lock(tmp_path / "out"):
        with pytest.raises(OutputLockedError, match="another run"):
            run_pipeline(RunOptions(tmp_path / "raw", tmp_path / "out"))


def test_rerun_appends_to_runs_and_counts_changes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Metformin treats type 2 diabetes. It may cause nausea.")
    (raw / "b.txt").write_text("Loratadine treats hay fever.")
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    (raw / "a.txt").write_text("Metformin treats type 2 diabetes. It may cause diarrhoea.")
    (raw / "b.txt").unlink()
    (raw / "c.txt").write_bytes(b"")
    row = run_pipeline(RunOptions(raw, out))
    assert (row["pages_changed"], row["pages_removed"], row["pages_rejected"], row["pages_new"]) == (1, 1, 1, 0)
    assert len(pd.read_parquet(out / "runs.parquet")) == 2
    assert set(pd.read_parquet(out / "pages.parquet").page_id) == {"a.txt"}
    assert not (out / ".work").exists() or not any((out / ".work").iterdir())


DRUGPAGES = str(Path(sys.executable).with_name("drugpages"))


@pytest.mark.parametrize("command", [[sys.executable, "-m", "pipeline", "run", "--help"], [sys.executable, "flows.py", "--help"],
                                     [DRUGPAGES, "run", "--help"], [DRUGPAGES, "flow", "--help"], [DRUGPAGES, "serve", "--help"]])
def test_help_explains_options(command):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "--raw" in result.stdout and "--out" in result.stdout


def test_console_script_works_from_any_folder_without_importing_prefect(tmp_path):
    probe = ("import sys; from pipeline.cli import main\n"
             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "assert 'prefect' not in sys.modules and 'pipeline.run' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, timeout=60).returncode == 0
    for command in ("run", "flow", "serve", "report", "score"):
        assert command in subprocess.run([DRUGPAGES, "--help"], cwd=tmp_path, capture_output=True, text=True).stdout
    version = subprocess.run([DRUGPAGES, "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("drugpages ")
    raw = tmp_path / "pages"
    raw.mkdir()
    (raw / "a.txt").write_text("Metformin treats type 2 diabetes. It may cause nausea.")
    run = subprocess.run([DRUGPAGES, "run", "--raw", "pages", "--out", "tables", "-q"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "1 pages" in run.stdout, run.stderr
    report = subprocess.run([DRUGPAGES, "report", "--out", "tables"], cwd=tmp_path, capture_output=True, text=True)
    assert report.returncode == 0 and "## metformin" in report.stdout
    missing = subprocess.run([DRUGPAGES, "report", "--out", "nowhere"], cwd=tmp_path, capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("error:")


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    blocks = readme.split("```bash\n")[1:3]
    commands = [b.split("\n```")[0].strip() for b in blocks]
    assert len(commands) == 2
    for command in commands:
        assert command in ci.splitlines(), command
