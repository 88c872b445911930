"""Read the raw folder: every file becomes a decoded page or a rejection with a reason."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .html import extract_html
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
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
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
    """The page's identity: its path relative to the raw folder, with `/` separators."""
    return path.relative_to(raw_dir).as_posix()


def list_raw_files(raw_dir: Path) -> Iterator[Path]:
    """Every file under `raw_dir` in a stable order, without following directory symlinks."""
    if not raw_dir.is_dir():
        raise RawFolderError(f"raw folder not found or not a folder: {raw_dir}")
    for root, dirs, files in os.walk(raw_dir, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name
        for name in dirs:
            if (Path(root) / name).is_symlink():
                yield Path(root) / name


def decode_bytes(data: bytes, is_html: bool) -> tuple[str, str] | None:
    """Decode page bytes: BOM, then UTF-8, then a declared HTML charset, then Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if is_html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "ignore").lower()
            try:
                return data.decode(name), codecs.lookup(name).name
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return (text, "cp1252") if controls <= len(text) * 0.01 else None


def _sniff_unsupported(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary data (NUL bytes)"
    return None


def source_from_text(text: str) -> str | None:
    """A publisher label found in a plain-text page: the domain of its copyright notice."""
    found = _COPYRIGHT_DOMAIN.findall(text[-5000:]) or _COPYRIGHT_DOMAIN.findall(text[:2000])
    return found[-1].lower().removeprefix("www.") if found else None


def _first_line_title(text: str) -> str | None:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if 0 < len(first) <= 120 and not first.endswith((".", "?", "!", ":")) else None


def read_raw(path: Path, raw_dir: Path, options: IngestOptions = IngestOptions()) -> bytes | Rejection:
    """The bytes of a raw file, or why it cannot be used (links out of the folder, size, type)."""
    rel = page_id_of(path, raw_dir)

    def reject(reason: str, detail: str, size: int | None = None) -> Rejection:
        return Rejection(rel, reason, detail, size, datetime.now(timezone.utc))

    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(raw_dir.resolve()):
            return reject("symlink_outside_raw", f"link points outside the raw folder: {os.readlink(path)}")
        if target.is_dir():
            return reject("symlink_to_folder", "links to folders are not followed")
    if path.name.startswith("."):
        return reject("hidden_file", "hidden files (name starting with '.') are not pages")
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            return reject("too_large", f"{size} bytes is over the limit of {options.max_bytes} bytes", size)
        data = path.read_bytes()
    except OSError as exc:
        return reject("unreadable", f"{type(exc).__name__}: {exc}")
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
    for path in list_raw_files(raw_dir):
        result = read_page(path, raw_dir, options)
        (pages if isinstance(result, PageText) else rejected).append(result)
    return pages, rejected
