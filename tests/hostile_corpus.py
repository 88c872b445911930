"""A raw folder built to break the pipeline: hostile markup, names, encodings and file kinds.

`build_hostile_corpus(raw)` writes it and returns what each entry must become: `"page"`, or the
reason of its `rejected` row. Used by the test suite and by `bench/hostile_corpus.py`.
"""
from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

DRUG_SENTENCE = "Metformin may cause nausea and diarrhoea. Take metformin with food."
# Text meant to run as code wherever a page's words are shown.
INJECTED = ('<script>alert(1)</script> <img src=x onerror=alert(2)> <svg onload=alert(3)> '
            '[click](javascript:alert(4)) | broken | table |\n# injected heading\n=HYPERLINK("http://x")')
# Folder names become source labels (one folder per site): hostile ones reach every output.
HOSTILE_SITES = ("=cmd|' -C calc'!A0", "<img src=x onerror=alert(5)>", "@SUM(1+1)", "-2+3", "evil\n# heading")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _page_text(extra: str = "") -> bytes:
    return f"Metformin\n{DRUG_SENTENCE}\n{extra}\nMetformin treats type 2 diabetes.\n".encode()


def build_hostile_corpus(raw: Path) -> dict[bytes, str]:
    """Write the hostile raw folder under `raw`; return {relative path as bytes: expected outcome}."""
    expected: dict[bytes, str] = {}

    def add(rel: bytes, data: bytes, outcome: str = "page") -> None:
        _write(Path(os.fsdecode(os.path.join(os.fsencode(raw), rel))), data)
        expected[rel] = outcome

    nested = "<div><span>" * 5000 + f"<p>{DRUG_SENTENCE}</p>" + "</span></div>" * 5000
    add(b"deep.html", f"<html><body>{nested}</body></html>".encode())
    add(b"deep_unclosed.html", ("<ul><li>" * 20000 + DRUG_SENTENCE).encode())
    add(b"bad_canonical.html", f'<html><head><link rel="canonical" href="http://[evil/x"><meta property="og:url" '
                               f'content="http://a:bad-port/"></head><body><p>{DRUG_SENTENCE}</p></body></html>'.encode())
    add(b"caf\xe9 latin-1 name.txt", _page_text())
    add(b"\xff\xfe\xfd bytes.txt", _page_text())
    add("newline\nin name <b>.txt".encode(), _page_text())
    add("bidi \u202egnp.txt".encode(), _page_text())
    add(b"100%25 literal percent.txt", _page_text())
    add("zero\u200bwidth\u00a0nbsp\ufeff.txt".encode(), _page_text())
    add(b"stray_nul.txt", _page_text().replace(b"diabetes.", b"diabetes." + b" " * 9000 + b"\x00 end."))
    for site in HOSTILE_SITES:
        add(f"{site}/page.txt".encode(), _page_text(INJECTED))
    add(b"injected.html", f"<html><head><title>{INJECTED}</title></head><body><p>{DRUG_SENTENCE}</p>"
                          f"<p>&lt;script&gt;alert(6)&lt;/script&gt; {INJECTED}</p></body></html>".encode())
    add(b"terminal.txt", _page_text("\x1b]0;owned\x07\x1b[2J escape codes \x9b31m"))
    # Encodings without a byte-order mark or a declared charset.
    add(b"utf16le.txt", _page_text().decode().encode("utf-16-le"))
    add(b"utf16be.txt", _page_text().decode().encode("utf-16-be"))
    add(b"utf32le.txt", _page_text().decode().encode("utf-32-le"))
    japanese = "メトホルミンは吐き気を引き起こすことがあります。\n食事と一緒に服用してください。\n"
    add(b"shift_jis.txt", (japanese * 8 + DRUG_SENTENCE + "\n").encode("shift_jis"))
    add(b"gb18030.txt", ("二甲双胍可能引起恶心和腹泻。\n请随餐服用，每日两次。\n" * 8 + DRUG_SENTENCE + "\n").encode("gb18030"))
    latin = "Metformin\n" + DRUG_SENTENCE.replace("food", "food \u2013 don\u2019t skip meals, caf\u00e9 or not") + "\n"
    add(b"cp1252.txt", (latin * 3).encode("cp1252"))
    add(b"koi8_r.txt", ("Метформин может вызывать тошноту, диарею и боль в животе.\nПринимайте во время еды.\n" * 6
                        + DRUG_SENTENCE + "\n").encode("koi8-r"))
    # Broken files.
    add(b"random.bin", os.urandom(4096), "unsupported_type")
    add(b"empty.txt", b"", "empty")
    add(b"nul_padded.txt", b"\x00" * 5000, "unsupported_type")
    huge = raw / "sparse_huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(64 * 1024 * 1024 * 1024)  # 64 GB on paper, nothing on disk
    expected[b"sparse_huge.txt"] = "too_large"
    # Links and special files.
    os.symlink("self_loop.txt", raw / "self_loop.txt")
    expected[b"self_loop.txt"] = "symlink_loop"
    os.symlink("loop_b.txt", raw / "loop_a.txt")
    os.symlink("loop_a.txt", raw / "loop_b.txt")
    expected[b"loop_a.txt"] = expected[b"loop_b.txt"] = "symlink_loop"
    os.symlink("missing.txt", raw / "dangling.txt")
    expected[b"dangling.txt"] = "broken_symlink"
    os.symlink("/etc/passwd", raw / "outside.txt")
    expected[b"outside.txt"] = "symlink_outside_raw"
    raw_bytes = os.fsencode(raw)
    os.symlink(b"/tmp/\xff\x1b[31mred", os.path.join(raw_bytes, b"badlink.txt"))  # target not UTF-8, escape codes
    expected[b"badlink.txt"] = "broken_symlink"
    os.symlink(b"missing\xfe", os.path.join(raw_bytes, b"badlink_dangling.txt"))
    expected[b"badlink_dangling.txt"] = "broken_symlink"
    os.symlink("deep.html", raw / "inside_link.html")
    expected[b"inside_link.html"] = "page"
    os.mkdir(raw / "folder_loop")
    os.symlink("..", raw / "folder_loop" / "up")
    expected[b"folder_loop/up"] = "symlink_to_folder"
    os.mkfifo(raw / "pipe.txt")
    expected[b"pipe.txt"] = "not_a_regular_file"
    server = socket.socket(socket.AF_UNIX)
    server.bind(os.fsdecode(os.path.join(os.fsencode(raw), b"socket.txt")))
    server.close()
    expected[b"socket.txt"] = "not_a_regular_file"
    try:  # needs privileges: a node like /dev/zero, which reads without end
        os.mknod(raw / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        expected[b"zero.txt"] = "not_a_regular_file"
    except PermissionError:
        pass
    return expected


def hostile_ids(expected: dict[bytes, str], raw: Path) -> dict[str, str]:
    """The expected outcomes by page id (how the pipeline names each path)."""
    from pipeline.ingest import page_id_of

    return {page_id_of(Path(os.fsdecode(os.path.join(os.fsencode(raw), rel))), raw): outcome
            for rel, outcome in expected.items()}
