import os

from pipeline.ingest import IngestOptions, decode_bytes, ingest_folder, read_page, source_from_text
from pipeline.records import PageText, Rejection


def test_decodes_utf8_cp1252_and_utf16():
    assert decode_bytes("café".encode(), False) == ("café", "utf-8")
    assert decode_bytes("café – 5 mg".encode("cp1252"), False) == ("café – 5 mg", "cp1252")
    assert decode_bytes("dose".encode("utf-16"), False)[0] == "dose"


def test_html_meta_charset_is_used():
    html = '<html><head><meta charset="iso-8859-5"></head><body><p>\u0434\u043e\u0437\u0430</p></body></html>'
    text, encoding = decode_bytes(html.encode("iso-8859-5"), True)
    assert "\u0434\u043e\u0437\u0430" in text and encoding == "iso8859-5"


def test_bad_files_are_rejected_with_reasons(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"  \n")
    (raw / "doc.pdf").write_bytes(b"%PDF-1.4 blah")
    (raw / "blob.bin").write_bytes(b"abc\x00\x01\x02" * 10)
    (raw / "big.txt").write_bytes(b"x" * 2000)
    (raw / ".hidden").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, raw / "link.txt")
    (raw / "good.txt").write_text("Metformin is used for type 2 diabetes.")
    pages, rejected = ingest_folder(raw, IngestOptions(max_bytes=1000))
    reasons = {r.path: r.reason for r in rejected}
    assert reasons == {"empty.txt": "empty", "doc.pdf": "unsupported_type", "blob.bin": "unsupported_type",
                       "big.txt": "too_large", ".hidden": "hidden_file", "link.txt": "symlink_outside_raw"}
    assert [p.page_id for p in pages] == ["good.txt"]
    assert outside.read_text() == "secret"


def test_text_page_fields(tmp_path):
    raw = tmp_path / "raw"
    (raw / "site").mkdir(parents=True)
    path = raw / "site" / "page.txt"
    path.write_bytes(b"Metformin\r\nMetformin lowers blood sugar.\r\n\xa9 ExamplePharma.com, 2024")
    page = read_page(path, raw)
    assert isinstance(page, PageText)
    assert page.page_id == "site/page.txt" and page.format == "text" and page.encoding == "cp1252"
    assert page.source == "examplepharma.com" and page.title == "Metformin" and "\r" not in page.text


def test_html_page_uses_canonical_domain(tmp_path):
    path = tmp_path / "p.html"
    path.write_text('<html><head><title>T</title><link rel="canonical" href="https://www.shop.example/x">'
                    "</head><body><p>Take it with food.</p><script>var x=1;</script></body></html>")
    page = read_page(path, tmp_path)
    assert page.source == "shop.example" and page.title == "T" and page.text == "Take it with food."


def test_source_from_copyright():
    assert source_from_text("text\n© RxPulsar.com, 2024") == "rxpulsar.com"
    assert source_from_text("no notice here") is None


def test_unreadable_bytes_are_rejected(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(0x80, 0xA0)) * 20)
    assert isinstance(read_page(path, tmp_path), Rejection)


def test_truncated_html_is_processed_if_it_has_text(tmp_path):
    path = tmp_path / "cut.html"
    path.write_bytes(b"<html><body><div class='post'><p>Ivermectin treats river blindness.</p><p>It may cause diz")
    page = read_page(path, tmp_path)
    assert isinstance(page, PageText) and page.text.splitlines() == ["Ivermectin treats river blindness.", "It may cause diz"]


def test_html_text_drops_soft_hyphens_and_ruby_readings():
    from pipeline.html import extract_html

    page = ("<html><body><p>Isotre\u00adtinoin treats severe acne: <ruby>\u6f22<rp>(</rp><rt>kan</rt><rp>)</rp>"
            "\u5b57<rt>ji</rt></ruby>.</p></body></html>")
    assert extract_html(page).text == "Isotretinoin treats severe acne: \u6f22\u5b57."


def test_html_text_split_at_entities_and_comments_is_one_run():
    """libxml2 reports text in pieces (at entities); a block's link share counts whole runs."""
    from pipeline.html import extract_html

    page = "<p>Fish &amp; chips &lt;3 <a href=/x>menu</a> tea</p>"
    block, = extract_html(page).blocks
    assert block.text == "Fish & chips <3 menu tea"
    assert abs(block.link_ratio - len("menu") / len("Fish & chips <3menutea")) < 1e-9


def test_html_title_and_canonical_of_a_page_without_head():
    from pipeline.html import extract_html

    extracted = extract_html('<title>Lone title</title><link rel="canonical" href="https://www.x.example/a">'
                             '<p>Metformin treats diabetes.</p>')
    assert (extracted.title, extracted.domain, extracted.text) == ("Lone title", "x.example", "Metformin treats diabetes.")
