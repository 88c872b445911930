"""Arbitrary files in the raw folder: no crash, every file accounted for, raw files untouched."""
import hashlib
import os
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.__main__ import main
from pipeline.ingest import page_id_of
from pipeline.run import RunOptions, run_pipeline

# File names of any bytes but `/` and NUL: Unicode text, or raw bytes that need not be UTF-8.
NAMES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=30),
    st.binary(min_size=1, max_size=30).map(lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))),
).filter(lambda n: n not in (".", "..") and len(os.fsencode(n)) <= 200)
CONTENTS = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b"%PDF-1.7\n", b"<html><body><p>Isotretinoin may cause dry lips.", b"\xff\xfe\x00\x00",
                     "Sildenafil may cause headaches.".encode("utf-16"), b"<p>unclosed <b>tags <i>everywhere"]),
)


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(NAMES, CONTENTS, min_size=1, max_size=6))
def test_every_file_is_accounted_for(tmp_path_factory, files):
    base = tmp_path_factory.mktemp("case")
    raw = base / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).write_bytes(data)
    before = tree_hashes(raw)
    run_pipeline(RunOptions(raw, base / "out"))
    pages = set(pd.read_parquet(base / "out" / "pages.parquet").page_id)
    rejected = pd.read_parquet(base / "out" / "rejected.parquet")
    assert not pages & set(rejected.path)
    assert pages | set(rejected.path) == {page_id_of(raw / name, raw) for name in files}
    assert rejected.reason.notna().all() and (rejected.detail.str.len() > 0).all()
    assert tree_hashes(raw) == before


def test_a_huge_file_is_rejected_without_reading_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(raw / "huge.txt", "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    (raw / "ok.txt").write_text("Metformin treats type 2 diabetes.")
    run_pipeline(RunOptions(raw, tmp_path / "out"))
    rejected = pd.read_parquet(tmp_path / "out" / "rejected.parquet")
    assert rejected.set_index("path").reason.to_dict() == {"huge.txt": "too_large"}


def test_pages_without_drug_content_are_rejected(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "weather.txt").write_text("Sunny spells with a light breeze in the afternoon.")
    (raw / "ok.txt").write_text("Metformin treats type 2 diabetes.")
    run_pipeline(RunOptions(raw, tmp_path / "out"))
    rejected = pd.read_parquet(tmp_path / "out" / "rejected.parquet")
    assert rejected.set_index("path").reason.to_dict() == {"weather.txt": "no_drug_content"}


def test_unwritable_output_is_one_clear_error(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    assert main(["run", "--raw", str(raw), "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: output folder") and "not writable" in err and err.count("\n") == 1
    assert os.path.isfile(blocker)
