"""Read the raw folder: every file, or every response of a WARC file, becomes a decoded page or a
rejection with a reason; a sidecar (`X.json` beside `X`) gives its page's URL."""
from __future__ import annotations

import codecs
import errno
import hashlib
import io
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from .decoding import NUL_SNIFF_BYTES, decode_bytes, wide_unicode
from .escaping import percent_encoded
from .html import extract_html
from .isolation import isolated
from .records import LineLayout, PageText, Rejection, rejection_now
from .settings import DEFAULT_MAX_BYTES
from .warc import is_warc, warc_responses

log = logging.getLogger("pipeline")

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".asp", ".aspx")
TEXT_SUFFIXES = (".txt", ".text", ".md", "")
# `X.json` beside a raw file `X` is X's sidecar: metadata (the page's URL), not a page.
SIDECAR_SUFFIX = ".json"

_MAGIC = (
    (b"%PDF", "PDF document"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"), (b"PK\x03\x04", "ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip archive"), (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "RAR archive"),
    (b"RIFF", "RIFF media file"), (b"\x7fELF", "executable"), (b"BZh", "bzip2 archive"),
    (b"\x00\x00\x01\x00", "icon image"), (b"OggS", "Ogg media"), (b"ID3", "MP3 audio"),
    (b"SQLite format 3", "SQLite database"), (b"PAR1", "Parquet file"),
)
_HTML_SNIFF = re.compile(rb"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)
_COPYRIGHT_DOMAIN = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–,]?\s*)?(?:\d{4}\s*)?([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,})",
    re.IGNORECASE,
)


class RawFolderError(OSError):
    """The raw folder cannot be read."""


@dataclass(frozen=True)
class IngestOptions:
    """Limits applied while reading raw files."""

    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class RawPage:
    """A page's bytes before decoding, with the URL it came with (sidecar, WARC record) and its hash."""

    page_id: str
    suffix: str  # the file suffix, or the one of its HTTP content type: a hint for telling HTML from text
    data: bytes
    url: str | None
    content_sha256: str


def page_id_of(path: Path, raw_dir: Path) -> str:
    """The page's identity: its path relative to the raw folder, `/`-separated, percent-encoded.

    Any file name gives one printable, stable id: bytes that are not UTF-8, characters that are
    not printable (controls, line separators, bidi and zero-width characters) and `%` itself are
    percent-encoded (`escaping.percent_encoded`), and so is `#`, which names a WARC file's pages
    (`crawl.warc.gz#3`): a file named `crawl.warc.gz#3` is `crawl.warc.gz%233`."""
    return percent_encoded(path.relative_to(raw_dir).as_posix()).replace("#", "%23")


def scan_raw_folder(raw_dir: Path) -> Iterator[Path | Rejection]:
    """Every entry under `raw_dir` in a stable order, or a `Rejection` for a folder it cannot list.

    A folder's files come first, then its sub-folders; folder symlinks are not followed."""
    if not raw_dir.is_dir():
        raise RawFolderError(f"raw folder not found or not a folder: {raw_dir}")
    pending = [raw_dir]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            if folder == raw_dir:
                raise RawFolderError(f"raw folder {raw_dir} cannot be listed: {exc.strerror or exc}") from exc
            detail = f"the folder's files cannot be listed: {type(exc).__name__}: {exc.strerror or exc}"
            yield rejection_now(page_id_of(folder, raw_dir) + "/", "unlistable_folder", detail)
            continue
        folders = []
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False  # read_raw says why it cannot be read
            if is_folder:
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path)
        pending.extend(reversed(folders))


def _sniff_unsupported(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if (b"\x00" in data[:NUL_SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and wide_unicode(data) is None):
        return "binary data (NUL bytes)"
    return None


def source_from_text(text: str) -> str | None:
    """A publisher label found in a plain-text page: the domain of its copyright notice."""
    found = _COPYRIGHT_DOMAIN.findall(text[-5000:]) or _COPYRIGHT_DOMAIN.findall(text[:2000])
    return found[-1].lower().removeprefix("www.") if found else None


def _first_line_title(text: str) -> str | None:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if 0 < len(first) <= 120 and not first.endswith((".", "?", "!", ":")) else None


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISDIR, "folder")):
        if test(mode):
            return kind
    return "special file"


def _open_raw(path: Path, raw_dir: Path, max_bytes: int | None = None) -> io.BufferedReader | Rejection:
    """A raw file opened for reading, or a `Rejection` saying why it is not opened.

    Reasons: links out of the folder or in a loop, hidden, not a regular file, over `max_bytes`
    (when given). Only regular files are opened, without blocking."""
    rel = page_id_of(path, raw_dir)
    try:
        info = os.lstat(path)
        opened = path
        if stat.S_ISLNK(info.st_mode):
            link = os.readlink(path)
            try:
                target = path.resolve(strict=True)
            except RuntimeError:  # Python < 3.13 reports a loop this way
                return rejection_now(rel, "symlink_loop", f"the link never reaches a file: {link}")
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return rejection_now(rel, "symlink_loop", f"the link never reaches a file: {link}")
                return rejection_now(rel, "broken_symlink", f"the link's target does not exist: {link}")
            if not target.is_relative_to(raw_dir.resolve()):
                return rejection_now(rel, "symlink_outside_raw", f"link points outside the raw folder: {link}")
            info, opened = os.stat(target), target
            if stat.S_ISDIR(info.st_mode):
                return rejection_now(rel, "symlink_to_folder", "links to folders are not followed")
        if path.name.startswith("."):
            return rejection_now(rel, "hidden_file", "hidden files (name starting with '.') are not pages")
        if not stat.S_ISREG(info.st_mode):
            return rejection_now(rel, "not_a_regular_file", f"a {_file_kind(info.st_mode)}: only regular files are read")
        if max_bytes is not None and info.st_size > max_bytes:
            return rejection_now(rel, "too_large", f"{info.st_size} bytes is over the limit of {max_bytes} bytes",
                                 info.st_size)
        # The file checked above is the one read: no link is followed now, and the opened file
        # must be the same one (a file swapped in between is not read).
        fd = os.open(opened, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        handle = os.fdopen(fd, "rb")
        now = os.fstat(handle.fileno())
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(now.st_mode):
            handle.close()
            return rejection_now(rel, "unreadable", "the file was replaced while it was being read")
        return handle
    except OSError as exc:
        return rejection_now(rel, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")


def _read_limited(path: Path, raw_dir: Path, max_bytes: int) -> bytes | Rejection:
    """At most `max_bytes` + 1 bytes of a raw file (one more than allowed tells a file over the
    limit, whatever size it claims), or a `Rejection` saying why it is not read."""
    handle = _open_raw(path, raw_dir, max_bytes)
    if isinstance(handle, Rejection):
        return handle
    try:
        with handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        return rejection_now(page_id_of(path, raw_dir), "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")


def check_page_bytes(rel: str, data: bytes, max_bytes: int) -> bytes | Rejection:
    """The bytes read for page `rel`, or the `Rejection` of bytes over `max_bytes`, empty, or of no page type."""
    if len(data) > max_bytes:
        return rejection_now(rel, "too_large", f"more than the limit of {max_bytes} bytes", len(data))
    if not data.strip():
        return rejection_now(rel, "empty", "the file is empty or only white space", len(data))
    kind = _sniff_unsupported(data)
    if kind:
        return rejection_now(rel, "unsupported_type", kind, len(data))
    return data


def read_raw(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> bytes | Rejection:
    """The bytes of a raw file, or a `Rejection` saying why it cannot be used.

    Reasons: links out of the folder or in a loop, not a regular file, size, type. Only regular
    files are opened, without blocking, and at most `max_bytes` are read whatever size the file
    claims."""
    data = _read_limited(path, raw_dir, options.max_bytes)
    if isinstance(data, Rejection):
        return data
    return check_page_bytes(page_id_of(path, raw_dir), data, options.max_bytes)


def url_site(url: str) -> str | None:
    """The site of an http(s) URL: its host in lower case, without a leading `www.`; None if `url` is no such URL."""
    if not url.isprintable() or any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.removeprefix("www.")


def sidecar_url(data: bytes) -> str:
    """The page URL a sidecar's bytes give (a JSON object's `url`); ValueError saying why when they give none."""
    try:
        meta = json.loads(data)
    except RecursionError:
        raise ValueError("not valid JSON: nested too deep") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"not a JSON object but a JSON {type(meta).__name__}")
    if "url" not in meta:
        raise ValueError("the object has no url")
    url = meta["url"]
    if not isinstance(url, str) or url_site(url) is None:
        raise ValueError(f"its url is not an http(s) URL with a host: {str(url)[:200]!r}")
    return url


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_sidecar(path: Path) -> bool:
    """Whether a raw file is the sidecar of a page file beside it (`X.json` beside `X`): metadata, not a page.

    `X` is a page file when it is a regular file (or a link to one), no WARC file and no sidecar itself;
    beside anything else (a FIFO, a folder), `X.json` is a raw file of its own."""
    stem = path.name.removesuffix(SIDECAR_SUFFIX)
    if stem in (path.name, ""):
        return False
    page = path.with_name(stem)
    return os.path.isfile(page) and not is_warc(stem) and not is_sidecar(page)


def _read_sidecar(path: Path, raw_dir: Path, max_bytes: int) -> tuple[bytes, str | None]:
    """The bytes of the sidecar of raw file `path` (empty if it has none) and the URL it gives.

    A sidecar that cannot be read or gives no URL is logged with the reason, and gives none."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not os.path.lexists(sidecar) or _is_folder(sidecar):
        return b"", None
    data = _read_limited(sidecar, raw_dir, max_bytes)
    if isinstance(data, Rejection):
        problem, data = f"{data.reason}: {data.detail}", b""
    elif len(data) > max_bytes:
        problem = f"more than the limit of {max_bytes} bytes"
    else:
        try:
            return data, sidecar_url(data)
        except ValueError as exc:
            problem = str(exc)
    log.warning("sidecar %s gives no URL, ignored: %s", page_id_of(sidecar, raw_dir),
                percent_encoded(problem, encode_percent=False))
    return data, None


def read_raw_page(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> RawPage | Rejection:
    """A raw file's bytes with its sidecar's URL, or a `Rejection` saying why the file cannot be used."""
    data = read_raw(path, raw_dir, options)
    if isinstance(data, Rejection):
        return data
    sidecar, url = _read_sidecar(path, raw_dir, options.max_bytes)
    return RawPage(page_id_of(path, raw_dir), path.suffix, data, url, content_hash(data, sidecar))


def _warc_pages(path: Path, raw_dir: Path, options: IngestOptions,
                page_seconds: float | None) -> Iterator[RawPage | Rejection]:
    """The pages of a WARC file (`warc.warc_responses`), their payloads checked like raw files' bytes.

    Reading one record may take `page_seconds` at most: past it, the rest of the file is one
    `too_slow` rejection."""
    rel = page_id_of(path, raw_dir)
    handle = _open_raw(path, raw_dir)
    if isinstance(handle, Rejection):
        yield handle
        return
    with handle:
        responses = warc_responses(handle, rel, options.max_bytes + 1)
        while (item := isolated(rel, "read", None, lambda: next(responses, None), page_seconds)) is not None:
            data = item if isinstance(item, Rejection) else check_page_bytes(item.page_id, item.payload,
                                                                             options.max_bytes)
            yield data if isinstance(data, Rejection) else RawPage(item.page_id, item.suffix, data, item.url or None,
                                                                   content_hash(data))


def raw_pages(raw_dir: Path, options: IngestOptions = IngestOptions(),
              page_seconds: float | None = None) -> Iterator[RawPage | Rejection]:
    """Every page under the raw folder, not decoded yet, or a `Rejection` saying why it cannot be one.

    A raw file is one page, with the URL of its sidecar; a sidecar is no page itself. A WARC file
    is one page per 2xx HTML or text response it recorded. Reading one file, or one record of a
    WARC file, may take `page_seconds` at most."""
    for entry in scan_raw_folder(raw_dir):
        if isinstance(entry, Rejection):
            yield entry
        elif is_warc(entry.name):
            yield from _warc_pages(entry, raw_dir, options, page_seconds)
        elif not is_sidecar(entry):
            yield isolated(page_id_of(entry, raw_dir), "read", None, lambda: read_raw_page(entry, raw_dir, options),
                           page_seconds)


def content_hash(data: bytes, sidecar: bytes = b"") -> str:
    """SHA-256 of a raw file's bytes followed by its sidecar's: a page whose hash is unchanged need
    not be processed again."""
    digest = hashlib.sha256(data)
    digest.update(sidecar)
    return digest.hexdigest()


def fallback_source(rel: str) -> str:
    """A source label for a page that names none: its top folder in the raw folder (one folder
    per site), else its file stem."""
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


def decode_page(rel: str, suffix: str, data: bytes) -> PageText | Rejection:
    """Decode and extract the text of a raw file's bytes."""
    is_html = suffix.lower() in HTML_SUFFIXES or bool(_HTML_SNIFF.search(data[:2048]))
    decoded = decode_bytes(data, is_html)
    if decoded is None:
        return Rejection(rel, "undecodable", "bytes are not valid UTF-8, UTF-16/32 or Windows-1252",
                         len(data), datetime.now(timezone.utc))
    text, encoding = decoded
    url = None
    if is_html:
        extracted = extract_html(text)
        page_text, title, source = extracted.text, extracted.title, extracted.domain
        url = extracted.url if extracted.url and url_site(extracted.url) else None
        layout = tuple(LineLayout(b.kind, b.context, b.link_ratio) for b in extracted.blocks)
        fmt = "html"
    else:
        page_text = text.replace("\r\n", "\n").replace("\r", "\n")
        title, source, fmt = _first_line_title(page_text), source_from_text(page_text), "text"
        layout = ()
    if not page_text.strip():
        return Rejection(rel, "no_text", "no text could be extracted from the page", len(data),
                         datetime.now(timezone.utc))
    return PageText(
        page_id=rel, source=source or fallback_source(rel), format=fmt, encoding=encoding,
        content_sha256=content_hash(data), bytes=len(data), title=title, text=page_text, layout=layout, url=url,
    )


def decode_raw_page(raw: RawPage) -> PageText | Rejection:
    """Decode a page's raw bytes; the URL it came with, if any, is its `url` and gives its `source`."""
    page = decode_page(raw.page_id, raw.suffix, raw.data)
    if isinstance(page, Rejection):
        return page
    site = url_site(raw.url) if raw.url else None
    from_url = {"url": raw.url, "source": site} if site else {}
    return replace(page, content_sha256=raw.content_sha256, **from_url)


def read_page(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> PageText | Rejection:
    """Read one raw file (not a WARC file) and its sidecar into a `PageText`, or say why it cannot be used."""
    raw = read_raw_page(path, raw_dir, options)
    return raw if isinstance(raw, Rejection) else decode_raw_page(raw)


def ingest_folder(raw_dir: Path, options: IngestOptions = IngestOptions()) -> tuple[list[PageText], list[Rejection]]:
    """Read every page of the raw folder (`raw_pages`); nothing is dropped without a rejection row."""
    pages: list[PageText] = []
    rejected: list[Rejection] = []
    for raw in raw_pages(raw_dir, options):
        result = raw if isinstance(raw, Rejection) else isolated(
            raw.page_id, "ingest", len(raw.data), lambda: decode_raw_page(raw), None)
        (pages if isinstance(result, PageText) else rejected).append(result)
    return pages, rejected
