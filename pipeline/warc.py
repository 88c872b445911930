"""WARC files (web crawls written by wget, Scrapy, Heritrix, Common Crawl): every HTML or plain-text
response they recorded becomes one page.

A WARC file is streamed record by record (`warcio`; gzip-compressed or not, whatever its name
says), never read whole. Its pages are named
`<path of the WARC file>#<n>`, n the 1-based ordinal of the response record among the file's
response records. Request, metadata, warcinfo, revisit and other non-response records are not
pages; a response that is not a 2xx HTML or text one is a `Rejection` of its own; a file that is
damaged or truncated keeps the records read before the damage and gets one `Rejection`.
"""
from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .isolation import MAX_DETAIL_CHARS, PageTimeout
from .records import Rejection, rejection_now

WARC_SUFFIXES = (".warc", ".warc.gz")
GZIP_MAGIC = b"\x1f\x8b"
# HTTP media types that are pages, with the file suffix a raw file of that type would have.
PAGE_MEDIA_TYPES = {"text/html": ".html", "application/xhtml+xml": ".xhtml", "text/plain": ".txt"}
# Bytes read at a time when skipping the rest of a record.
SKIP_CHUNK_BYTES = 64 * 1024


class DamagedWarc(Exception):
    """A WARC file is truncated or corrupt from some record on."""


@dataclass(frozen=True)
class WarcPage:
    """A 2xx HTML or text response of a WARC file: its page id, URL, payload and the suffix of its type."""

    page_id: str
    url: str
    suffix: str
    payload: bytes


def is_warc(name: str) -> bool:
    """Whether a raw file's name marks it as a WARC file (`.warc` or `.warc.gz`, any case)."""
    return name.lower().endswith(WARC_SUFFIXES)


class _GzipMembers:
    """The decompressed bytes of a gzip stream, member after member.

    A stream that ends inside a member raises `DamagedWarc`: warcio would take gzip's EOFError
    for the end of the file and stop without a word."""

    def __init__(self, stream: io.BufferedReader) -> None:
        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")

    def read(self, size: int = -1) -> bytes:
        """Up to `size` decompressed bytes, never past the end of the current member."""
        try:
            return self._gzip.read1(size)  # one member's bytes at most: the members before a damage are read
        except EOFError as exc:
            raise DamagedWarc(f"the gzip stream ends inside a member (truncated file?): {exc}") from exc


def _skip_rest(record: ArcWarcRecord) -> None:
    """Read the rest of a record; raise `DamagedWarc` when it states no length or the file ends before it does."""
    if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
        raise DamagedWarc(f"a {record.rec_type} record states no valid Content-Length")
    while record.raw_stream.read(SKIP_CHUNK_BYTES):
        pass
    if record.raw_stream.tell() < record.length:  # the record's block, read up to its end or the file's
        raise DamagedWarc(f"the file ends inside a {record.rec_type} record (truncated file?)")


def _response(record: ArcWarcRecord, page_id: str, read_limit: int) -> WarcPage | Rejection:
    """A response record as a page, or the `Rejection` of a response that is not a 2xx HTML or text one."""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if http is None:
        return rejection_now(page_id, "warc_record_skipped", f"{url}: not an HTTP response")
    status = http.get_statuscode() or ""
    content_type = http.get_header("Content-Type") or ""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not (len(status) == 3 and status.startswith("2") and status.isdigit()):
        return rejection_now(page_id, "warc_record_skipped", f"{url}: HTTP status {http.statusline}, "
                                                          f"content type {content_type or 'none'}")
    if media_type not in PAGE_MEDIA_TYPES:
        return rejection_now(page_id, "unsupported_type", f"{url}: content type {content_type or 'none'}, "
                                                       "not HTML or plain text")
    payload = record.content_stream().read(read_limit)
    return WarcPage(page_id, url, PAGE_MEDIA_TYPES[media_type], payload)


def warc_responses(stream: io.BufferedReader, path: str, read_limit: int) -> Iterator[WarcPage | Rejection]:
    """The responses of a WARC file in file order, as pages or rejections, then a rejection of the file if damaged.

    `path` is the file's page id; at most `read_limit` bytes of each payload are read. A file with
    no response record at all is one `no_text` rejection."""
    responses = given = 0
    try:
        plain = _GzipMembers(stream) if stream.peek(len(GZIP_MAGIC)).startswith(GZIP_MAGIC) else stream
        records = ArchiveIterator(plain)
        for record in records:
            if record.rec_type != "response":
                _skip_rest(record)
                continue
            responses += 1
            result = _response(record, f"{path}#{responses}", read_limit)
            _skip_rest(record)  # before the page is given out: a truncated payload is no page
            yield result
            given += 1
        if records.next_line:  # warcio stops without a word at a record whose headers the file cuts off
            raise DamagedWarc("the file ends inside a record's headers (truncated file?)")
    except PageTimeout:  # the caller's time budget for one record ran out: the caller reports it
        raise
    except Exception as exc:  # noqa: BLE001 - whatever broke, the records before it are kept
        detail = f"damaged after its first {given} response records (their rows are kept): {type(exc).__name__}: {exc}"
        yield rejection_now(path, "corrupt_warc", detail[:MAX_DETAIL_CHARS])
        return
    if not responses:
        yield rejection_now(path, "no_text", "the WARC file records no response")
