"""report.html, the run summary and progress lines, on tiny inline data."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from bs4 import BeautifulSoup

from pipeline.compare import markdown_report
from pipeline.html_report import html_report
from pipeline.progress import ConsoleProgress, StageMeter
from pipeline.records import ComparisonRow, CopiedPage, PageSummary
from pipeline.run_summary import attention_rows, summary_markdown

HOSTILE = {
    "script": "<script>document.body.setAttribute('data-pwned','1')</script>",
    "img": "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">",
    "markdown": "**bold** [click](javascript:alert(1)) | pipe",
    "quote": "\" onmouseover=\"document.body.setAttribute('data-pwned','3')",
}


def page(page_id: str, source: str, url: str | None = None, drug: str = "metformin") -> PageSummary:
    """A processed page's summary row."""
    return PageSummary(page_id=page_id, source=source, url=url, drug=drug, brands=(), format="text",
                       encoding="utf-8", content_sha256="0" * 64, bytes=100, title=None, n_blocks=10,
                       n_boilerplate=4, n_duplicate=0, n_claims=3, n_facts=5,
                       processed_at=datetime(2026, 12, 1, tzinfo=timezone.utc))


def row(source: str, key: str, agreement: str, stated: bool = True, negated: bool = False, value: str | None = None,
        evidence: str = "Metformin may cause nausea.", page_id: str | None = None, topic: str = "side_effects",
        term: str | None = None, copied_from: str | None = None, drug: str = "metformin") -> ComparisonRow:
    """One comparison row of a source stating (or, with `negated`, negating) a fact; a silent source has none."""
    return ComparisonRow(drug=drug, topic=topic, key=f"{topic}.{key}", key_kind="concept", term=term or key,
                         source=source, stated=stated and not negated, negated=negated, value=value or term or key,
                         evidence=evidence, page_id=page_id or f"{source}/p.txt", char_start=0, char_end=5,
                         n_mentions=1, agreement=agreement, n_sources=2, copied_from=copied_from, n_voices=1)


def hostile_report_inputs() -> tuple[list[ComparisonRow], list[PageSummary], list[CopiedPage]]:
    """Report inputs whose every page-borne value is an attack: evidence, values, terms, sources, paths, URLs."""
    bad = " ".join(HOSTILE.values())
    pages = [page(f"a/{HOSTILE['quote']}.txt", f"site{HOSTILE['img']}", url="javascript:alert(1)"),
             page("b/page.txt", "b.example", url="https://b.example/x?q=\"><script>alert(1)</script>")]
    rows = [row(pages[0].source, "nausea", "all", evidence=bad, page_id=pages[0].page_id, term=HOSTILE["markdown"]),
            row("b.example", "nausea", "all", evidence=HOSTILE["script"], page_id="b/page.txt", term=HOSTILE["markdown"]),
            row(pages[0].source, "max_dose", "conflict", topic="dosage", value=HOSTILE["img"], page_id=pages[0].page_id),
            row("b.example", "max_dose", "conflict", topic="dosage", value="3000 mg/day", page_id="b/page.txt",
                copied_from=pages[0].source)]
    copies = [CopiedPage(drug="metformin", page_id="b/page.txt", source="b.example", other_page_id=pages[0].page_id,
                         other_source=pages[0].source, kind="verbatim", copied=True, n_shared=3, n_sentences=4,
                         share=0.75, similarity=0.99)]
    return rows, pages, copies


def test_every_page_value_is_escaped_and_no_script_can_run():
    report = html_report(*hostile_report_inputs())
    head, body = report.split("</head>")
    assert "Content-Security-Policy" in head and "default-src 'none'" in head
    assert "<script" not in report and "<img" not in report and "onerror=" not in body.replace("onerror=&quot;", "")
    dom = BeautifulSoup(report, "html.parser")
    assert dom.find("script") is None and dom.find("img") is None
    assert not [tag for tag in dom.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]
    text = dom.get_text()
    assert all(value in text for value in HOSTILE.values())


def test_only_http_urls_become_links():
    dom = BeautifulSoup(html_report(*hostile_report_inputs()), "html.parser")
    hrefs = [a["href"] for a in dom.find_all("a")]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert any(h.startswith("https://b.example/x?q=") for h in hrefs)


def test_conflicts_come_first_and_cells_show_evidence_and_copies():
    rows = [row("a", "headache", "all"), row("b", "headache", "all"),
            row("a", "rash", "one"),
            row("a", "max_dose", "conflict", topic="dosage", value="2000 mg/day"),
            row("b", "max_dose", "conflict", topic="dosage", value="3000 mg/day", copied_from="a")]
    dom = BeautifulSoup(html_report(rows, [page("a/p.txt", "a", url="https://a.example/p"), page("b/p.txt", "b")], []),
                        "html.parser")
    groups = [th.get_text() for th in dom.select("table.facts tr.group th")]
    assert [g.split(":")[0].split(" (")[0] for g in groups] == ["Conflicts", "One voice", "Every source"]
    first = dom.select("table.facts tr:not(.group)")[1]
    assert first.select_one(".agreement-conflict").get_text() == "conflict"
    cells = first.find_all("td")[3:]
    assert "2000 mg/day" in cells[0].summary.get_text() and cells[0].blockquote.get_text() == "Metformin may cause nausea."
    assert cells[0].find("a")["href"] == "https://a.example/p"
    assert "copied" in cells[1]["class"] and "copied from a" in cells[1].get_text()
    rash = dom.select("table.facts tr:not(.group)")[2].find_all("td")
    assert rash[4]["class"] == ["silent"]


def test_the_heatmap_marks_conflict_stated_negated_and_silence():
    rows = [row("a", "max_dose", "conflict", topic="dosage", value="2000 mg"),
            row("b", "max_dose", "conflict", topic="dosage", value="3000 mg"),
            row("a", "alcohol", "some", topic="interactions", negated=True), row("a", "nausea", "one")]
    dom = BeautifulSoup(html_report(rows, [page("a/p.txt", "a"), page("b/p.txt", "b")], []), "html.parser")
    heat = {tr.th.get_text(): [td["class"][0] for td in tr.find_all("td")] for tr in dom.select("table.heatmap tr")[1:]}
    assert heat == {"side_effects": ["h-stated3", "h-silent"], "dosage": ["h-conflict", "h-conflict"],
                    "interactions": ["h-negated", "h-silent"]}


def test_the_source_table_counts_pages_facts_boilerplate_and_copies():
    rows, pages, copies = hostile_report_inputs()
    dom = BeautifulSoup(html_report(rows, pages, copies), "html.parser")
    b = next(tr for tr in dom.select("table.sources tr")[1:] if tr.td.get_text() == "b.example")
    cells = [td.get_text() for td in b.find_all("td")]
    assert cells[1:4] == ["b/page.txt", "2", "40%"] and cells[4].startswith(f"site{HOSTILE['img']} (verbatim, 75%")


RUN = {"run_id": "r1", "pages_seen": 5, "pages_rejected": 1, "pages_new": 4, "pages_changed": 0, "pages_unchanged": 0,
       "pages_removed": 0, "n_claims": 10, "n_facts": 20, "seconds_total": 3.25}


def test_the_summary_lists_conflicts_with_what_each_source_says():
    rows = [row("a", "max_dose", "conflict", topic="dosage", value="2000 mg/day"),
            row("b", "max_dose", "conflict", topic="dosage", value="3000 mg/day"),
            row("a", "nausea", "all"), row("b", "nausea", "all")]
    text = summary_markdown(RUN, rows, max_conflicts=10)
    assert "| 5 | 4 | 4 |" in text and "1 conflict, 0 one, 0 some, 1 all" in text
    assert "- **metformin**, dosage, max\\_dose: a: 2000 mg/day; b: 3000 mg/day" in text
    assert "and 1 more" in summary_markdown(RUN, rows + [row("a", "x", "conflict")], max_conflicts=1)


def test_attention_rows_put_conflicts_first_then_single_voices():
    rows = [row("a", "rash", "one"), row("a", "max_dose", "conflict", topic="dosage"),
            row("b", "max_dose", "conflict", topic="dosage", negated=True), row("a", "nausea", "all")]
    got = attention_rows(rows, limit=10)
    assert [(r["agreement"], r["source"]) for r in got] == [("conflict", "a"), ("conflict", "b"), ("one", "a")]
    assert got[1]["value"].startswith("not: ") and len(attention_rows(rows, limit=2)) == 2


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_meter_gives_rate_and_time_left_and_is_quiet_for_short_stages():
    clock = FakeClock()
    meter = StageMeter("pages", every_seconds=10, clock=clock)
    clock.now = 5
    assert not meter.due(50, 200)
    clock.now = 10
    assert meter.due(100, 200) and meter.line(100, 200) == "pages: 100/200 (50%), 10.0/s, about 10s left"
    clock.now = 20
    assert meter.due(200, 200) and meter.line(200, 200) == "pages: 200/200 (100%), 10.0/s, 20s"
    short = StageMeter("pages", every_seconds=10, clock=clock)
    assert not short.due(3, 3)


def test_console_progress_prints_plain_lines_off_a_terminal():
    stream = io.StringIO()
    progress = ConsoleProgress(stream)
    progress.meters["pages"] = StageMeter("pages", every_seconds=0)
    for done in range(1, 4):
        progress("pages", done, 3)
    lines = stream.getvalue().splitlines()
    assert lines and all(line.startswith("pages: ") and "\r" not in line for line in lines)
    assert lines[-1].startswith("pages: 3/3 (100%)")


def test_console_progress_rewrites_one_line_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = ConsoleProgress(stream)
    progress.meters["pages"] = StageMeter("pages", every_seconds=0)
    for done in range(1, 4):
        progress("pages", done, 3)
    assert stream.getvalue().count("\r\x1b[2K") == 3 and stream.getvalue().endswith("\n")
    assert stream.getvalue().count("\n") == 1


def test_cells_show_only_what_they_add_to_the_term_and_headers_mark_copies():
    rows = [row("a", "allergies", "some", term="allergies", value="allergies (year-round allergies); allergies"),
            row("b", "allergies", "some", term="allergies", value="allergies")]
    copies = [CopiedPage(drug="metformin", page_id="b/p.txt", source="b", other_page_id="a/p.txt", other_source="a",
                         kind="spun", copied=True, n_shared=5, n_sentences=10, share=0.5, similarity=0.8)]
    dom = BeautifulSoup(html_report(rows, [page("a/p.txt", "a"), page("b/p.txt", "b")], copies), "html.parser")
    cells = dom.select("table.facts tr:not(.group)")[1].find_all("td")[3:]
    assert [c.summary.get_text() for c in cells] == ["✓ year-round allergies", "✓"]
    headers = [th.get_text(" ") for th in dom.select("table.facts tr")[0].find_all("th")[3:]]
    assert headers == ["a", "b copies a"]


def test_the_markdown_report_puts_conflicts_first_and_cells_add_to_the_term():
    rows = [row("a", "headache", "all"), row("b", "headache", "all", value="headache (bad headaches)"),
            row("a", "max_dose", "conflict", topic="dosage", value="2000 mg/day"),
            row("b", "max_dose", "conflict", topic="dosage", negated=True, copied_from="a")]
    lines = [line for line in markdown_report(rows).splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert lines == ["| dosage | max\\_dose | conflict | ✓ 2000 mg/day | not (copied from a) |",
                     "| side\\_effects | headache | all | ✓ | ✓ bad headaches |"]


def test_a_source_about_another_drug_lists_only_the_pages_its_evidence_is_on():
    rows = [row("a", "nausea", "all"), row("c", "nausea", "all", page_id="c/two.txt")]
    pages = [page("a/p.txt", "a"), page("c/one.txt", "c", drug="ibuprofen"), page("c/two.txt", "c", drug="ibuprofen"),
             page("c/three.txt", "c", drug="ibuprofen")]
    dom = BeautifulSoup(html_report(rows, pages, []), "html.parser")
    c = next(tr for tr in dom.select("table.sources tr")[1:] if tr.td.get_text() == "c")
    assert [td.get_text() for td in c.find_all("td")][1:3] == ["c/two.txt", "1"]


def test_two_facts_with_one_term_stay_two_rows_told_apart_by_key():
    rows = [row("a", "sun_sensitivity", "all", term="sun sensitivity"),
            row("b", "sun_sensitivity", "all", term="sun sensitivity"),
            row("a", "sun_sensitivity_mak", "one", term="sun sensitivity")]
    md = [line for line in markdown_report(rows).splitlines() if "sun sensitivity" in line]
    assert len(md) == 2 and "\\[side\\_effects.sun\\_sensitivity\\_mak\\]" in md[0] and "| all |" in md[1]
    labels = [tr.find_all("td")[1].get_text() for tr in
              BeautifulSoup(html_report(rows, [page("a/p.txt", "a"), page("b/p.txt", "b")], []), "html.parser")
              .select("table.facts tr:not(.group)")[1:]]
    assert labels == ["sun sensitivity [side_effects.sun_sensitivity_mak]", "sun sensitivity [side_effects.sun_sensitivity]"]
