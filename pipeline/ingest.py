"""Read the raw folder: every file becomes a decoded page or a rejection with a reason."""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .decoding import NUL_SNIFF_BYTES, decode_bytes, wide_unicode
from .escaping import percent_encoded
from .html import extract_html
from .isolation import isolated
from .records import LineLayout, PageText, Rejection
from .settings import DEFAULT_MAX_BYTES

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".asp", ".aspx")
TEXT_SUFFIXES = (".txt", ".text", ".md", "")

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


def page_id_of(path: Path, raw_dir: Path) -> str:
    """The page's identity: its path relative to the raw folder, `/`-separated, percent-encoded.

    Any file name gives one printable, stable id: bytes that are not UTF-8, characters that are
    not printable (controls, line separators, bidi and zero-width characters) and `%` itself are
    percent-encoded (`escaping.percent_encoded`)."""
    return percent_encoded(path.relative_to(raw_dir).as_posix())


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
            yield Rejection(page_id_of(folder, raw_dir) + "/", "unlistable_folder",
                            percent_encoded(detail, encode_percent=False), None, datetime.now(timezone.utc))
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


def read_raw(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> bytes | Rejection:
    """The bytes of a raw file, or a `Rejection` saying why it cannot be used.

    Reasons: links out of the folder or in a loop, not a regular file, size, type. Only regular
    files are opened, without blocking, and at most `max_bytes` are read whatever size the file
    claims."""
    rel = page_id_of(path, raw_dir)

    def reject(reason: str, detail: str, size: int | None = None) -> Rejection:
        return Rejection(rel, reason, percent_encoded(detail, encode_percent=False), size, datetime.now(timezone.utc))

    try:
        info = os.lstat(path)
        opened = path
        if stat.S_ISLNK(info.st_mode):
            link = os.readlink(path)
            try:
                target = path.resolve(strict=True)
            except RuntimeError:  # Python < 3.13 reports a loop this way
                return reject("symlink_loop", f"the link never reaches a file: {link}")
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return reject("symlink_loop", f"the link never reaches a file: {link}")
                return reject("broken_symlink", f"the link's target does not exist: {link}")
            if not target.is_relative_to(raw_dir.resolve()):
                return reject("symlink_outside_raw", f"link points outside the raw folder: {link}")
            info, opened = os.stat(target), target
            if stat.S_ISDIR(info.st_mode):
                return reject("symlink_to_folder", "links to folders are not followed")
        if path.name.startswith("."):
            return reject("hidden_file", "hidden files (name starting with '.') are not pages")
        if not stat.S_ISREG(info.st_mode):
            return reject("not_a_regular_file", f"a {_file_kind(info.st_mode)}: only regular files are read")
        if info.st_size > options.max_bytes:
            return reject("too_large", f"{info.st_size} bytes is over the limit of {options.max_bytes} bytes",
                          info.st_size)
        # The file checked above is the one read: no link is followed now, and the opened file
        # must be the same one (a file swapped in between is not read).
        fd = os.open(opened, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            now = os.fstat(handle.fileno())
            if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(now.st_mode):
                return reject("unreadable", "the file was replaced while it was being read")
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        return reject("unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
    if len(data) > options.max_bytes:
        return reject("too_large", f"more than the limit of {options.max_bytes} bytes", len(data))
    if not data.strip():
        return reject("empty", "the file is empty or only white space", len(data))
    kind = _sniff_unsupported(data)
    if kind:
        return reject("unsupported_type", kind, len(data))
    return data


def content_hash(data: bytes) -> str:
    """SHA-256 of a raw file's bytes: a page whose hash is unchanged need not be processed again."""
    return hashlib.sha256(data).hexdigest()


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
    if is_html:
        extracted = extract_html(text)
        page_text, title, source = extracted.text, extracted.title, extracted.domain
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
        content_sha256=content_hash(data), bytes=len(data), title=title, text=page_text, layout=layout,
    )


def read_page(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> PageText | Rejection:
    """Read one raw file into a `PageText`, or say why it cannot be used."""
    data = read_raw(path, raw_dir, options)
    if isinstance(data, Rejection):
        return data
    return decode_page(page_id_of(path, raw_dir), path.suffix, data)


def ingest_folder(raw_dir: Path, options: IngestOptions = IngestOptions()) -> tuple[list[PageText], list[Rejection]]:
    """Read every file of the raw folder; nothing is dropped without a rejection row."""
    pages: list[PageText] = []
    rejected: list[Rejection] = []
    for entry in scan_raw_folder(raw_dir):
        result = entry if isinstance(entry, Rejection) else isolated(
            page_id_of(entry, raw_dir), "ingest", None, lambda: read_page(entry, raw_dir, options), None)
        (pages if isinstance(result, PageText) else rejected).append(result)
    return pages, rejected
