"""Hostile input and operator mistakes: no file aborts or hangs the run, every file is accounted
for, raw files are never changed, page text stays inert in every output, guard rails hold."""
import csv
import errno
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from hostile_corpus import build_hostile_corpus, hostile_ids
from pipeline import per_page
from pipeline import run as stages
from pipeline import versions
from pipeline.__main__ import main
from pipeline.escaping import csv_cell, markdown_text
from pipeline.isolation import isolated
from pipeline.ingest import page_id_of, scan_raw_folder
from pipeline.records import Rejection
from pipeline.run import RunOptions, run_pipeline

ROOT = Path(__file__).resolve().parents[1]
PAGE = "Metformin\nMetformin may cause nausea. Take metformin with food.\n"


def raw_snapshot(raw: Path) -> dict[str, str]:
    """What every entry of the raw folder is: a regular file's hash, a link's target, a kind."""
    seen = {}
    for root, dirs, files in os.walk(os.fsencode(raw)):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if os.path.islink(path):
                seen[path] = "link:" + os.fsdecode(os.readlink(path))
            elif os.path.isfile(path) and info.st_size < 10**8:
                seen[path] = hashlib.sha256(Path(os.fsdecode(path)).read_bytes()).hexdigest()
            else:
                seen[path] = f"mode:{info.st_mode:o} size:{info.st_size}"
    return seen


# The markup report.html is built of: anything else came from a page.
REPORT_HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "nav", "table",
                    "tr", "th", "td", "a", "section", "div", "details", "summary", "blockquote", "br"}


class TagCollector(HTMLParser):
    """The tags and attributes of rendered HTML."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    raw.mkdir()
    expected = hostile_ids(build_hostile_corpus(raw), raw)
    before = raw_snapshot(raw)
    # A subprocess with a deadline: a file that blocks the reader (a FIFO) fails the test, not hangs it.
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(base / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    return base, raw, expected, before, result


def test_no_hostile_file_aborts_the_run_and_each_gets_its_outcome(hostile_run):
    base, raw, expected, before, result = hostile_run
    assert result.returncode == 0, result.stderr
    pages = pd.read_parquet(base / "out" / "pages.parquet")
    rejected = pd.read_parquet(base / "out" / "rejected.parquet")
    outcome = {page_id: "page" for page_id in pages.page_id} | dict(zip(rejected.path, rejected.reason))
    assert len(outcome) == len(pages) + len(rejected)  # nothing is both
    assert outcome == expected
    assert (rejected.detail.str.len() > 0).all()
    assert raw_snapshot(raw) == before


def test_legacy_and_wide_encodings_are_detected(hostile_run):
    base = hostile_run[0]
    encodings = pd.read_parquet(base / "out" / "pages.parquet").set_index("page_id").encoding.to_dict()
    assert {k: encodings[k] for k in ("utf16le.txt", "utf16be.txt", "utf32le.txt", "gb18030.txt", "koi8_r.txt")} == {
        "utf16le.txt": "utf-16", "utf16be.txt": "utf-16", "utf32le.txt": "utf-32", "gb18030.txt": "gb18030",
        "koi8_r.txt": "koi8-r"}
    assert encodings["shift_jis.txt"] in ("cp932", "shift_jis") and encodings["cp1252.txt"] == "cp1252"
    texts = pd.read_parquet(base / "out" / "texts.parquet").set_index("page_id").text
    assert "食事と一緒に服用してください" in texts["shift_jis.txt"] and "Принимайте во время еды" in texts["koi8_r.txt"]
    assert "don\u2019t skip meals, caf\u00e9" in texts["cp1252.txt"]
    assert "\x00" not in texts["stray_nul.txt"] and texts["stray_nul.txt"].rstrip().endswith("end.")


def test_rejection_details_are_printable(hostile_run):
    rejected = pd.read_parquet(hostile_run[0] / "out" / "rejected.parquet")
    assert all(detail.isprintable() for detail in rejected.detail)
    assert "%FF%1B[31mred" in rejected.set_index("path").detail["badlink.txt"]


def test_hostile_text_and_names_are_inert_in_every_output(hostile_run):
    base = hostile_run[0]
    cells = [cell for row in csv.reader(io.StringIO((base / "out" / "comparison_wide.csv").read_text())) for cell in row]
    assert any("onerror" in c for c in cells)  # the hostile source labels are there ...
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]  # ... as text, not formulas
    report = (base / "out" / "report.md").read_text()
    assert "<img" not in report and "<script" not in report and "\x1b" not in report
    table_rows = [line for line in report.splitlines() if line.startswith("|")]
    header_cells = len(table_rows[0].replace("\\|", "").split("|"))
    assert all(len(line.replace("\\|", "").split("|")) == header_cells for line in table_rows)  # no `|` breaks a row
    collector = TagCollector()
    collector.feed(MarkdownIt("commonmark").enable("table").render(report))  # raw HTML passes through when present
    assert set(collector.tags) <= {"h1", "h2", "table", "thead", "tbody", "tr", "th", "td", "p"}
    assert not [a for a in collector.attributes if a[0].startswith("on") or "javascript:" in (a[1] or "")]
    assert [line for line in report.splitlines() if line.startswith("#")] == ["# What each source says", "## metformin"]
    page = (base / "out" / "report.html").read_text()
    collector = TagCollector()
    collector.feed(page)
    assert set(collector.tags) <= REPORT_HTML_TAGS, set(collector.tags) - REPORT_HTML_TAGS
    assert not [a for a in collector.attributes if a[0].startswith("on") or "javascript:" in (a[1] or "").lower()]
    assert "onerror" in page  # the hostile source labels are there, as text


def test_page_ids_of_any_file_name_are_printable_stable_and_distinct(tmp_path):
    names = [b"caf\xe9.txt", b"caf%E9.txt", "café.txt".encode(), b"a\nb.txt", "x\u202ey.txt".encode(),
             "a\u200bb\u00a0c.txt".encode()]
    ids = [page_id_of(Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), n))), tmp_path) for n in names]
    assert ids == ["caf%E9.txt", "caf%25E9.txt", "café.txt", "a%0Ab.txt", "x%E2%80%AEy.txt", "a%E2%80%8Bb%C2%A0c.txt"]
    assert all(i.isprintable() for i in ids)


def test_a_folder_that_cannot_be_listed_is_a_rejection(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.txt").write_text(PAGE)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    entries = list(scan_raw_folder(tmp_path))
    assert entries[0] == tmp_path / "ok.txt"
    assert isinstance(entries[1], Rejection) and (entries[1].path, entries[1].reason) == ("locked/", "unlistable_folder")


def test_an_error_or_a_slow_page_rejects_that_page_only(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("crash.txt", "slow.txt", "ok.txt"):
        (raw / name).write_text(PAGE + f"\n{name}\n")
    real_split = per_page.split_blocks

    def split_blocks(page, vocab):
        if page.page_id == "slow.txt":
            while True:
                pass
        if page.page_id == "crash.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_split(page, vocab)

    monkeypatch.setattr(per_page, "split_blocks", split_blocks)
    run_pipeline(RunOptions(raw, tmp_path / "out", page_seconds=0.5))
    rejected = pd.read_parquet(tmp_path / "out" / "rejected.parquet").set_index("path")
    assert rejected.reason.to_dict() == {"crash.txt": "processing_error", "slow.txt": "too_slow"}
    assert rejected.detail["crash.txt"] == "blocks: RecursionError: maximum recursion depth exceeded"
    assert list(pd.read_parquet(tmp_path / "out" / "pages.parquet").page_id) == ["ok.txt"]
    assert set(pd.read_parquet(tmp_path / "out" / "texts.parquet").page_id) == {"ok.txt"}


def _run(*args: str) -> int:
    return main(["run", "-q", *args])


def published_one_page(tmp_path: Path) -> tuple[Path, Path]:
    """A raw folder of one page, and the output folder of one run on it."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.txt").write_text(PAGE)
    assert _run("--raw", str(raw), "--out", str(out)) == 0
    return raw, out


@pytest.mark.parametrize("layout", ["same", "link_to_raw", "out_inside_raw", "out_inside_raw_through_link",
                                    "raw_inside_out"])
def test_output_folder_overlapping_the_raw_folder_is_refused(tmp_path, capsys, layout):
    raw = tmp_path / "raw" if layout != "raw_inside_out" else tmp_path / "out" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(PAGE)
    (tmp_path / "alias").symlink_to(raw)
    out = {"same": raw, "link_to_raw": tmp_path / "alias", "out_inside_raw": raw / "out",
           "out_inside_raw_through_link": tmp_path / "alias" / "out", "raw_inside_out": tmp_path / "out"}[layout]
    before = raw_snapshot(raw)
    assert _run("--raw", str(raw), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the output folder") and err.count("\n") == 1
    assert raw_snapshot(raw) == before and not (raw / "out").exists()


def test_an_empty_raw_folder_does_not_replace_the_last_outputs(tmp_path, capsys):
    raw, out = published_one_page(tmp_path)
    (raw / "a.txt").unlink()
    assert _run("--raw", str(raw), "--out", str(out)) == 2
    assert "holds no files" in capsys.readouterr().err
    assert list(pd.read_parquet(out / "pages.parquet").page_id) == ["a.txt"]
    assert not list((out / versions.WORK_DIR_NAME).iterdir())
    assert _run("--raw", str(raw), "--out", str(out), "--allow-empty") == 0
    assert pd.read_parquet(out / "pages.parquet").empty


def test_a_raw_folder_left_with_junk_only_does_not_replace_the_last_outputs(tmp_path, capsys):
    raw, out = published_one_page(tmp_path)
    (raw / "a.txt").unlink()
    (raw / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    assert _run("--raw", str(raw), "--out", str(out)) == 2
    assert "holds no page (1 files, all rejected)" in capsys.readouterr().err
    assert list(pd.read_parquet(out / "pages.parquet").page_id) == ["a.txt"]


def test_bad_option_values_are_refused_before_any_work(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    for option, value in (("--page-seconds", "-1"), ("--page-seconds", "nan"), ("--page-seconds", "1e12"),
                          ("--keep-versions", "0")):
        with pytest.raises(SystemExit) as stop:
            main(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), option, value])
        assert stop.value.code == 2 and option in capsys.readouterr().err
    with pytest.raises(ValueError):
        RunOptions(raw, tmp_path / "out", page_seconds=-1)
    assert not (tmp_path / "out").exists()


def test_the_page_budget_leaves_an_outer_timer_running():
    import signal
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        assert isolated("p", "test", None, lambda: "done", 5.0) == "done"
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.3
        time.sleep(0.5)
        assert fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_removing_most_pages_needs_to_be_asked_for(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(12):
        (raw / f"p{i:02d}.txt").write_text(PAGE + f"page {i}\n")
    assert _run("--raw", str(raw), "--out", str(out)) == 0
    for i in range(10):
        (raw / f"p{i:02d}.txt").unlink()
    assert _run("--raw", str(raw), "--out", str(out)) == 2
    assert "would remove 10 of the previous run's 12 pages" in capsys.readouterr().err
    assert len(pd.read_parquet(out / "pages.parquet")) == 12
    assert _run("--raw", str(raw), "--out", str(out), "--allow-mass-removal") == 0
    assert len(pd.read_parquet(out / "pages.parquet")) == 2


def test_last_versions_are_kept_and_can_be_rolled_back(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(4):
        (raw / f"p{i}.txt").write_text(PAGE + f"page {i}\n")
        assert _run("--raw", str(raw), "--out", str(out)) == 0
    runs = list(pd.read_parquet(out / "runs.parquet").run_id)
    assert [v.name for v in versions.published_versions(out)] == runs[1:]
    assert main(["rollback", "--out", str(out)]) == 0
    assert len(pd.read_parquet(out / "pages.parquet")) == 3
    assert main(["rollback", "--out", str(out), "--to", runs[1]]) == 0
    assert len(pd.read_parquet(out / "pages.parquet")) == 2
    capsys.readouterr()
    assert main(["rollback", "--out", str(out), "--to", runs[0]]) == 2
    assert capsys.readouterr().err.startswith(f"error: no kept version '{runs[0]}'")


def test_a_rerun_that_changes_nothing_does_not_use_up_a_kept_version(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(2):
        (raw / f"p{i}.txt").write_text(PAGE + f"page {i}\n")
        assert _run("--raw", str(raw), "--out", str(out)) == 0
    for _ in range(3):
        assert _run("--raw", str(raw), "--out", str(out)) == 0
    assert len(versions.published_versions(out)) == 2 and len(pd.read_parquet(out / "runs.parquet")) == 5
    assert main(["rollback", "--out", str(out)]) == 0
    assert len(pd.read_parquet(out / "pages.parquet")) == 1


def test_versions_are_kept_when_the_current_one_is_damaged(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for i in range(3):
        (raw / f"p{i}.txt").write_text(PAGE + f"page {i}\n")
        assert _run("--raw", str(raw), "--out", str(out)) == 0
    current = versions.current_version(out)
    (current / versions.RUNS_FILE).write_bytes(b"garbage")
    assert len(versions.published_versions(out)) == 3  # by run id when the runs table is unreadable
    assert main(["rollback", "--out", str(out)]) == 0 and len(pd.read_parquet(out / "pages.parquet")) == 2
    shutil.rmtree(versions.current_version(out))  # the current version lost altogether
    versions.recover(out)
    assert len(versions.finished_versions(out)) == 2  # nothing says which may go: all are kept
    assert main(["rollback", "--out", str(out)]) == 0 and len(pd.read_parquet(out / "pages.parquet")) == 3


def test_a_work_folder_that_cannot_be_made_is_one_error_line(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    out.mkdir()
    (raw / "a.txt").write_text(PAGE)
    (out / versions.WORK_DIR_NAME).write_text("a file where the work folder goes")
    assert _run("--raw", str(raw), "--out", str(out)) == 0  # a stray file is cleared away
    real_mkdir = Path.mkdir

    def full_disk(self, *args, **kwargs):
        if versions.WORK_DIR_NAME in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_mkdir(self, *args, **kwargs)

    (raw / "b.txt").write_text(PAGE + "another page\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "mkdir", full_disk)
        assert _run("--raw", str(raw), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the run could not write its outputs") and err.count("\n") == 1
    assert list(pd.read_parquet(out / "pages.parquet").page_id) == ["a.txt"]


def test_a_full_disk_is_one_error_line_and_leaves_the_previous_version(tmp_path, capsys, monkeypatch):
    raw, out = published_one_page(tmp_path)
    (raw / "b.txt").write_text(PAGE + "another page\n")
    real_write = stages.write_text

    def full_disk(text, path):
        if path.name == "report.md":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(text, path)

    monkeypatch.setattr(stages, "write_text", full_disk)
    assert _run("--raw", str(raw), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the run could not write its outputs") and "No space left" in err
    assert err.count("\n") == 1
    assert list(pd.read_parquet(out / "pages.parquet").page_id) == ["a.txt"]
    assert not list((out / versions.WORK_DIR_NAME).iterdir())


def test_escaping_for_spreadsheets_and_markdown():
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\tx", "  =1", "10 mg", "a=b")] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'  =1", "10 mg", "a=b"]
    assert markdown_text("<b>x</b> | [l](javascript:x) *e*\nnext") == (
        "&lt;b&gt;x&lt;/b&gt; \\| \\[l\\](javascript:x) \\*e\\* next")


def test_a_file_swapped_after_its_check_is_not_read(tmp_path, monkeypatch):
    from pipeline.ingest import read_raw

    (tmp_path / "a.txt").write_text(PAGE)
    (tmp_path / "checked.txt").write_text(PAGE)
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path: real_lstat(tmp_path / "checked.txt"))  # what the check saw
    result = read_raw(tmp_path / "a.txt", tmp_path)
    assert isinstance(result, Rejection) and result.detail == "the file was replaced while it was being read"
