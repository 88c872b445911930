"""Incremental reruns equal full runs; unchanged reruns change nothing; bad state is rebuilt."""
import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from pipeline.run import TABLES, RunOptions, run_pipeline
from pipeline.vocabulary import DEFAULT_VOCAB_DIR

TIME_COLUMNS = ("processed_at", "seen_at")


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in TABLES:
        df = pd.read_parquet(out / f"{name}.parquet")
        tables[name] = df.drop(columns=[c for c in TIME_COLUMNS if c in df]).reset_index(drop=True)
    return tables


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = read_tables(a), read_tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)
    assert (a / "comparison_wide.csv").read_text() == (b / "comparison_wide.csv").read_text()


def assert_matches_full_run(raw: Path, out: Path, scratch: Path, **options) -> None:
    """The tables in `out` equal those of a full run from scratch on the same raw folder."""
    full = scratch / "full"
    run_pipeline(RunOptions(raw, full, **options))
    assert_same_tables(out, full)


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "metformin.txt").write_text("Metformin treats type 2 diabetes. It may cause nausea.\n")
    return folder


def test_incremental_rerun_equals_full_run(tmp_path, raw, caplog):
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    caplog.set_level(logging.INFO, logger="pipeline")
    (raw / "002_7810d6e3cdac0202.txt").write_text((raw / "002_7810d6e3cdac0202.txt").read_text() + "\nIt may cause headaches.\n")
    (raw / "003_40f470a4cd9b3ce3.txt").unlink()
    (raw / "new.txt").write_text("Isotretinoin may cause nosebleeds and joint pain.\n")
    (raw / "empty.txt").write_text("")
    row = run_pipeline(RunOptions(raw, out))
    assert (row["pages_new"], row["pages_changed"], row["pages_unchanged"], row["pages_removed"], row["pages_rejected"]) == (1, 1, 4, 1, 1)
    assert row["pages_processed"] == 2
    assert "(1 kept from the previous run)" in caplog.text  # metformin's page did not change
    assert_matches_full_run(raw, out, tmp_path)


def test_unchanged_rerun_changes_no_table(tmp_path, raw):
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.is_file() and p.name != "runs.parquet"}
    row = run_pipeline(RunOptions(raw, out))
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.is_file() and p.name != "runs.parquet"}
    assert before == after
    assert row["pages_unchanged"] == 6 and row["pages_new"] == row["pages_changed"] == row["pages_removed"] == 0
    assert row["pages_processed"] == 0
    assert row["seconds_pages"] is row["seconds_dedup"] is row["seconds_compare"] is None  # nothing to do
    assert len(pd.read_parquet(out / "runs.parquet")) == 2


def test_vocabulary_change_reprocesses_and_full_forces_rebuild(tmp_path, raw):
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    vocab = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, vocab)
    with (vocab / "side_effects.yaml").open("a") as fh:
        fh.write("  zzqx rash: [zzqx]\n")
    changed_vocab = run_pipeline(RunOptions(raw, out, vocab_dir=vocab))
    assert changed_vocab["pages_unchanged"] == 6 and changed_vocab["pages_processed"] == 6  # same bytes, new vocabulary
    assert run_pipeline(RunOptions(raw, out, vocab_dir=vocab))["pages_processed"] == 0
    forced = run_pipeline(RunOptions(raw, out, vocab_dir=vocab, full=True))
    assert forced["pages_unchanged"] == 6 and forced["pages_processed"] == 6
    assert_matches_full_run(raw, out, tmp_path, vocab_dir=vocab)


def test_corrupt_previous_output_is_rebuilt_with_a_warning(tmp_path, raw, caplog):
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    (out / "facts.parquet").write_bytes(b"not parquet at all")
    (out / "runs.parquet").write_bytes(b"garbage")
    run_pipeline(RunOptions(raw, out))
    assert "unreadable" in caplog.text
    assert_matches_full_run(raw, out, tmp_path)
    assert len(pd.read_parquet(out / "runs.parquet")) == 1


def test_site_templates_are_boilerplate_and_stay_correct_incrementally(tmp_path):
    raw = tmp_path / "raw"
    (raw / "shop").mkdir(parents=True)
    promo = "Ask our pharmacists about side effects such as dizziness and headaches at any time of day."
    drugs = {"a.txt": "Loratadine treats hay fever.", "b.txt": "Cetirizine treats hay fever.",
             "c.txt": "Fexofenadine treats hay fever."}
    for name, text in drugs.items():
        (raw / "shop" / name).write_text(f"{text}\n{promo}\n")
    out = tmp_path / "out"
    run_pipeline(RunOptions(raw, out))
    blocks = pd.read_parquet(out / "blocks.parquet")
    promo_blocks = blocks[blocks.text == promo]
    assert len(promo_blocks) == 3 and set(promo_blocks.boilerplate_reason) == {"template"}
    assert "side_effects.dizziness" not in set(pd.read_parquet(out / "facts.parquet").key)
    (raw / "shop" / "c.txt").unlink()
    run_pipeline(RunOptions(raw, out))
    blocks = pd.read_parquet(out / "blocks.parquet")
    assert not blocks[blocks.text == promo].is_boilerplate.any()
    assert "side_effects.dizziness" in set(pd.read_parquet(out / "facts.parquet").key)
    assert_matches_full_run(raw, out, tmp_path)
