"""Sources as people know them: a page's URL from its sidecar, its HTML canonical link or its WARC record."""
import io
import json
import logging
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.ingest import IngestOptions, ingest_folder, read_page
from pipeline.run import RunOptions, run_pipeline

PAGE_HTML = ("<html><head><title>Metformin</title>{head}</head><body><h1>Metformin</h1>"
             "<p>Metformin treats type 2 diabetes. It may cause nausea and diarrhoea.</p></body></html>")
PAGE_TEXT = "Metformin\nMetformin treats type 2 diabetes. It may cause nausea.\n"


def html(head: str = "") -> str:
    return PAGE_HTML.format(head=head)


def write_warc(path: Path, records: list[tuple], gzip: bool) -> None:
    """A WARC file of `records`: ("request", url) or ("response", url, status line, content type, body)."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for kind, url, *response in records:
            if kind == "request":
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True)
                body = b""
            else:
                status, content_type, body = response
                headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=headers))


CRAWL = [
    ("request", "https://www.pharma-one.com/metformin"),
    ("response", "https://www.pharma-one.com/metformin", "200 OK", "text/html; charset=utf-8", html().encode()),
    ("response", "https://pharma-one.com/missing", "404 Not Found", "text/html", b"<p>Not found</p>"),
    ("response", "https://Shop.Example.org/metformin.txt", "200 OK", "text/plain", PAGE_TEXT.encode()),
    ("response", "https://shop.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n...."),
]


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    (folder / "a").mkdir(parents=True)
    return folder


def test_a_sidecar_gives_the_page_its_url_and_source(raw):
    (raw / "a" / "page1.html").write_text(html('<link rel="canonical" href="https://mirror.example.net/p">'))
    (raw / "a" / "page1.html.json").write_text(json.dumps({"url": "https://www.Pharma-One.com/drugs/metformin",
                                                           "fetched": "2026-12-01"}))
    (raw / "a" / "page2.txt").write_text(PAGE_TEXT)
    (raw / "a" / "page2.txt.json").write_text(json.dumps({"url": "http://shop.example.org/m?id=1"}))
    (raw / "a" / "notes.json").write_text(json.dumps({"url": "https://other.example/"}))  # no page file beside it
    pages, rejected = ingest_folder(raw)
    by_id = {page.page_id: page for page in pages}
    assert set(by_id) == {"a/page1.html", "a/page2.txt", "a/notes.json"} and not rejected
    assert (by_id["a/page1.html"].url, by_id["a/page1.html"].source) == (
        "https://www.Pharma-One.com/drugs/metformin", "pharma-one.com")  # over the canonical link
    assert (by_id["a/page2.txt"].url, by_id["a/page2.txt"].source) == ("http://shop.example.org/m?id=1",
                                                                     "shop.example.org")
    assert by_id["a/notes.json"].url is None  # an ordinary raw file, as before


def test_an_html_canonical_link_gives_the_url_without_a_sidecar(raw):
    (raw / "a" / "page.html").write_text(html('<link rel="canonical" href="https://www.pharma-one.com/m">'))
    (raw / "a" / "relative.html").write_text(html('<meta property="og:url" content="/only/a/path">'))
    (raw / "a" / "plain.txt").write_text(PAGE_TEXT)
    pages = {page.page_id: page for page in ingest_folder(raw)[0]}
    assert (pages["a/page.html"].url, pages["a/page.html"].source) == ("https://www.pharma-one.com/m", "pharma-one.com")
    assert (pages["a/relative.html"].url, pages["a/relative.html"].source) == (None, "a")
    assert (pages["a/plain.txt"].url, pages["a/plain.txt"].source) == (None, "a")


@pytest.mark.parametrize("sidecar, reason", [
    (b"{not json", "not valid JSON"),
    (b"[\"https://pharma-one.com/\"]", "not a JSON object"),
    (b"[" * 100_000, "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b'{"link": "https://pharma-one.com/"}', "has no url"),
    (b'{"url": 42}', "not an http(s) URL"),
    (b'{"url": "ftp://pharma-one.com/file"}', "not an http(s) URL"),
    (b'{"url": "https:///no-host"}', "not an http(s) URL"),
    (b'{"url": "https://pharma-one.com/a b"}', "not an http(s) URL"),
])
def test_a_bad_sidecar_is_a_warning_and_the_page_keeps_its_old_source(raw, caplog, sidecar, reason):
    (raw / "a" / "page.txt").write_text(PAGE_TEXT)
    (raw / "a" / "page.txt.json").write_bytes(sidecar)
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        page = read_page(raw / "a" / "page.txt", raw)
    assert (page.url, page.source) == (None, "a")
    assert "a/page.txt.json" in caplog.text and reason in caplog.text


def test_a_sidecar_that_cannot_be_read_is_a_warning(raw, caplog, tmp_path):
    (raw / "a" / "page.txt").write_text(PAGE_TEXT)
    (tmp_path / "outside.json").write_text(json.dumps({"url": "https://pharma-one.com/"}))
    (raw / "a" / "page.txt.json").symlink_to(tmp_path / "outside.json")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        pages, rejected = ingest_folder(raw)
    assert [(p.page_id, p.url) for p in pages] == [("a/page.txt", None)] and not rejected
    assert "a/page.txt.json" in caplog.text and "symlink_outside_raw" in caplog.text


def test_a_changed_sidecar_makes_its_page_changed(tmp_path, raw):
    out = tmp_path / "out"
    (raw / "a" / "page.txt").write_text(PAGE_TEXT)
    (raw / "a" / "page.txt.json").write_text(json.dumps({"url": "https://pharma-one.com/metformin"}))
    (raw / "a" / "other.txt").write_text(PAGE_TEXT.replace("nausea", "headaches"))
    run_pipeline(RunOptions(raw, out))
    (raw / "a" / "page.txt.json").write_text(json.dumps({"url": "https://www.shop.example.org/metformin"}))
    row = run_pipeline(RunOptions(raw, out))
    assert (row["pages_changed"], row["pages_unchanged"], row["pages_processed"]) == (1, 1, 1)
    pages = pd.read_parquet(out / "pages.parquet").set_index("page_id")
    assert pages.loc["a/page.txt", ["url", "source"]].tolist() == ["https://www.shop.example.org/metformin",
                                                                  "shop.example.org"]
    assert pd.isna(pages.loc["a/other.txt", "url"])
    assert pd.read_parquet(out / "texts.parquet").set_index("page_id").loc["a/page.txt", "url"] == (
        "https://www.shop.example.org/metformin")
    (raw / "a" / "other.txt.json").write_text(json.dumps({"url": "https://pharma-one.com/other"}))  # a new sidecar
    row = run_pipeline(RunOptions(raw, out))
    assert (row["pages_changed"], row["pages_processed"]) == (1, 1)
    assert run_pipeline(RunOptions(raw, out))["pages_processed"] == 0


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_a_warc_file_gives_one_page_per_html_or_text_response(raw, name):
    write_warc(raw / "a" / name, CRAWL, gzip=name.endswith(".gz"))
    pages, rejected = ingest_folder(raw)
    assert [(p.page_id, p.url, p.source, p.format) for p in pages] == [
        (f"a/{name}#1", "https://www.pharma-one.com/metformin", "pharma-one.com", "html"),
        (f"a/{name}#3", "https://Shop.Example.org/metformin.txt", "shop.example.org", "text"),
    ]
    assert pages[0].title == "Metformin" and "Metformin treats type 2 diabetes." in pages[1].text
    assert [(r.path, r.reason) for r in rejected] == [(f"a/{name}#2", "warc_record_skipped"),
                                                      (f"a/{name}#4", "unsupported_type")]
    assert "https://pharma-one.com/missing" in rejected[0].detail and "404" in rejected[0].detail
    assert "image/png" in rejected[1].detail


def test_a_truncated_warc_keeps_the_pages_before_the_break(raw):
    responses = [("response", f"https://pharma-one.com/{n}", "200 OK", "text/html", html(f"<!-- {n} -->").encode())
                 for n in range(3)]
    whole = raw / "whole.warc.gz"
    write_warc(whole, responses, gzip=True)
    data = whole.read_bytes()
    whole.unlink()
    (raw / "a" / "cut.warc.gz").write_bytes(data[:-40])  # inside the last record's gzip member
    pages, rejected = ingest_folder(raw)
    assert [p.page_id for p in pages] == ["a/cut.warc.gz#1", "a/cut.warc.gz#2"]
    assert [(r.path, r.reason) for r in rejected] == [("a/cut.warc.gz", "corrupt_warc")]
    assert "truncated" in rejected[0].detail


def test_a_truncated_or_broken_plain_warc_is_one_rejection(raw):
    write_warc(raw / "a" / "whole.warc", CRAWL[:2], gzip=False)
    data = (raw / "a" / "whole.warc").read_bytes()
    (raw / "a" / "cut.warc").write_bytes(data[:-30])  # inside the response's payload
    (raw / "a" / "junk.warc").write_bytes(b"this is not a WARC file\n")
    (raw / "a" / "empty.warc.gz").write_bytes(b"")
    pages, rejected = ingest_folder(raw)
    assert [p.page_id for p in pages] == ["a/whole.warc#1"]
    assert sorted((r.path, r.reason) for r in rejected) == [
        ("a/cut.warc", "corrupt_warc"), ("a/empty.warc.gz", "no_text"), ("a/junk.warc", "corrupt_warc")]


def test_max_bytes_applies_to_each_response_not_to_the_warc_file(raw):
    big = html("<!-- " + "x" * 5000 + " -->").encode()
    big_response = ("response", "https://pharma-one.com/big", "200 OK", "text/html", big)
    write_warc(raw / "a" / "crawl.warc", [CRAWL[1], big_response], gzip=False)
    assert (raw / "a" / "crawl.warc").stat().st_size > 4000
    pages, rejected = ingest_folder(raw, IngestOptions(max_bytes=4000))
    assert [p.page_id for p in pages] == ["a/crawl.warc#1"]
    assert [(r.path, r.reason) for r in rejected] == [("a/crawl.warc#2", "too_large")]


def test_warc_pages_rerun_incrementally_and_leave_with_their_file(tmp_path, raw):
    out = tmp_path / "out"
    write_warc(raw / "a" / "crawl.warc.gz", CRAWL, gzip=True)
    (raw / "a" / "page.txt").write_text(PAGE_TEXT)
    first = run_pipeline(RunOptions(raw, out))
    assert (first["pages_new"], first["pages_rejected"]) == (3, 2)
    pages = pq.read_table(out / "pages.parquet", columns=["page_id", "url"]).to_pydict()
    assert dict(zip(pages["page_id"], pages["url"])) == {
        "a/crawl.warc.gz#1": "https://www.pharma-one.com/metformin",
        "a/crawl.warc.gz#3": "https://Shop.Example.org/metformin.txt", "a/page.txt": None}
    assert set(pd.read_parquet(out / "rejected.parquet").path) == {"a/crawl.warc.gz#2", "a/crawl.warc.gz#4"}
    again = run_pipeline(RunOptions(raw, out))
    assert (again["pages_processed"], again["pages_unchanged"], again["pages_changed"]) == (0, 3, 0)
    (raw / "a" / "crawl.warc.gz").unlink()
    gone = run_pipeline(RunOptions(raw, out))
    assert (gone["pages_removed"], gone["pages_rejected"]) == (2, 0)
    assert pd.read_parquet(out / "pages.parquet").page_id.tolist() == ["a/page.txt"]


def test_a_file_named_like_a_warc_page_keeps_an_id_of_its_own(raw):
    write_warc(raw / "a" / "crawl.warc", CRAWL[:2], gzip=False)
    (raw / "a" / "crawl.warc#1").write_text(PAGE_TEXT)
    pages, _ = ingest_folder(raw)
    assert sorted(p.page_id for p in pages) == ["a/crawl.warc#1", "a/crawl.warc%231"]


def test_a_json_file_beside_a_fifo_is_a_raw_file_not_a_sidecar(raw):
    import os

    os.mkfifo(raw / "a" / "pipe")
    (raw / "a" / "pipe.json").write_text(json.dumps({"url": "https://x.example/p"}))
    pages, rejected = ingest_folder(raw)
    assert [p.page_id for p in pages] == ["a/pipe.json"] and [r.path for r in rejected] == ["a/pipe"]
