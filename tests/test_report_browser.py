"""report.html in a real browser: headless Chromium (Debian's `chromium` package, which `.ci/run`
installs) loads the file, and the test reads the DOM it built and keeps a screenshot.

Outside CI a machine without Chromium skips these tests with the command that installs it;
under CI (CI=true) a missing browser is a failure."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.html_report import html_report
from pipeline.records import COMPARISON_ROW, PAGE_SUMMARY
from pipeline.storage import read_parquet
from test_report import HOSTILE, hostile_report_inputs

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
if BROWSER is None and os.environ.get("CI") != "true":
    pytest.skip("needs headless Chromium: apt-get install chromium", allow_module_level=True)


def render(page: Path, tmp_path: Path, screenshot: str | None = None) -> BeautifulSoup:
    """The DOM Chromium built from `page` once its scripts (if any were allowed) had run."""
    assert BROWSER, "Chromium is not installed: .ci/run installs Debian's chromium package"
    flags = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1800"]
    if screenshot:
        shot = subprocess.run([*flags, f"--screenshot={tmp_path / screenshot}", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
        assert shot.returncode == 0 and (tmp_path / screenshot).stat().st_size > 10_000, shot.stderr[-2000:]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0 and "<html" in dom.stdout, dom.stderr[-2000:]
    return BeautifulSoup(dom.stdout, "html.parser")


def test_the_browser_runs_a_script_that_the_page_allows(tmp_path):
    """The check below can fail: the same marker script, as real markup, does run."""
    page = tmp_path / "control.html"
    page.write_text(f"<!doctype html><html><body><p>x</p>{HOSTILE['script']}</body></html>", encoding="utf-8")
    assert render(page, tmp_path).body.get("data-pwned") == "1"


def test_page_text_in_the_report_stays_text(tmp_path):
    rows, pages, copies = hostile_report_inputs()
    page = tmp_path / "report.html"
    page.write_text(html_report(rows, pages, copies), encoding="utf-8")
    dom = render(page, tmp_path, "hostile.png")
    assert dom.body.get("data-pwned") is None and dom.find("img") is None and dom.find("script") is None
    text = dom.get_text()
    for hostile in HOSTILE.values():
        assert hostile in text  # shown as the text it is
    assert not [a for a in dom.find_all("a") if not a["href"].startswith(("#", "http://", "https://"))]


def test_the_seed_report_in_a_browser(tmp_path, seed_output):
    dom = render(seed_output / "report.html", tmp_path, "seed_report.png")
    comparison = read_parquet(seed_output / "comparison.parquet", COMPARISON_ROW).to_pandas()
    page_ids = set(read_parquet(seed_output / "pages.parquet", PAGE_SUMMARY).column("page_id").to_pylist())
    sections = dom.select("section.drug")
    assert [s.h2.get_text() for s in sections] == sorted(comparison.drug.unique())
    for section in sections:
        rows = comparison[comparison.drug == section.h2.get_text()]
        sources = list(dict.fromkeys(rows.source))
        facts = section.select("table.facts tr:not(.group)")[1:]
        assert len(facts) == len(rows.drop_duplicates(["topic", "key"]))
        assert all(len(tr.find_all("td")) == 3 + len(sources) for tr in facts)
        stated = sum(len(tr.select("td.stated")) for tr in facts)
        assert stated == int(rows.stated.sum())
        conflicts = section.select("td.agreement-conflict")
        assert len(conflicts) == rows[rows.agreement == "conflict"].drop_duplicates(["topic", "key"]).shape[0]
        heat_topics = [th.get_text() for th in section.select("table.heatmap tr th:first-child")[1:]]
        assert heat_topics and set(heat_topics) == set(rows.topic)
        assert len(section.select("table.sources tr")) == 1 + len(sources)
        listed = {text for td in section.select("table.sources td.page") for text in td.stripped_strings}
        assert listed and listed <= page_ids
