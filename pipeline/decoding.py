"""Bytes to text: byte-order marks, UTF-16/32 by the shape of their NUL bytes, UTF-8, a declared
HTML charset, charset-normalizer's detector for legacy encodings, and Windows-1252 last."""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
# Text decoded from the wrong encoding is full of control characters; real text has almost none.
MAX_CONTROL_SHARE = 0.01
# UTF-16/32 text without a byte-order mark: its NUL bytes (the high bytes of ASCII characters)
# sit at one position in every 2 or 4 bytes. This share of them must agree on that position.
WIDE_NUL_AGREEMENT = 0.95
# Text has spaces or line breaks between its words or lines: this share of its characters at
# least (CJK text has no spaces, but its lines break). Bytes of another kind decoded as UTF-16
# or through a guessed legacy encoding have next to none.
MIN_SPACE_SHARE = 0.01
# Windows-1252 is the web's most common legacy encoding: when the detector finds it as likely as
# its best guess, or its best guess reads the bytes as Latin-script text (cp850, cp1250,
# mac-latin2 ... are often ranked first), and Windows-1252 decodes them too, Windows-1252 wins.
# This share of the letters must be Latin.
PREFERRED_LEGACY = "cp1252"
LATIN_LETTER_SHARE = 0.95
# Only NUL bytes this near the start make a file UTF-16/32 or binary; a stray NUL further on
# in a UTF-8 page is dropped.
NUL_SNIFF_BYTES = 8192
# Declared charsets that are codecs but not text encodings of a web page.
_NOT_PAGE_ENCODINGS = frozenset({"unicode_escape", "raw_unicode_escape", "undefined", "idna", "punycode"})


def control_share(text: str) -> float:
    """The share of characters that are control characters other than line breaks and tabs."""
    if not text:
        return 0.0
    return sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0) / len(text)


def looks_like_text(text: str) -> bool:
    """Decoded text with almost no control characters and some white space."""
    spaces = sum(1 for ch in text if ch.isspace())
    return control_share(text) <= MAX_CONTROL_SHARE and spaces >= len(text) * MIN_SPACE_SHARE


def _wide_candidates(data: bytes) -> list[str]:
    """The UTF-32/16 byte orders whose pattern of NUL bytes the bytes show.

    UTF-32 has two NULs (the top bytes) in almost every four; UTF-16 has its NULs (the high bytes
    of ASCII) on one side of each pair."""
    head = data[:65536]
    units = len(head) // 4 or 1
    nul_at = [sum(1 for byte in head[offset::4] if byte == 0) for offset in range(4)]
    found = []
    if len(data) % 4 == 0:
        if min(nul_at[2], nul_at[3]) >= units * WIDE_NUL_AGREEMENT:
            found.append("utf-32-le")
        elif min(nul_at[0], nul_at[1]) >= units * WIDE_NUL_AGREEMENT:
            found.append("utf-32-be")
    if len(data) % 2 == 0:
        odd, even = nul_at[1] + nul_at[3], nul_at[0] + nul_at[2]
        if odd >= (odd + even) * WIDE_NUL_AGREEMENT:
            found.append("utf-16-le")
        elif even >= (odd + even) * WIDE_NUL_AGREEMENT:
            found.append("utf-16-be")
    return found


def wide_unicode(data: bytes) -> tuple[str, str] | None:
    """Decode UTF-16 or UTF-32 without a byte-order mark, or None when the bytes are binary.

    The byte order is told by where the NUL bytes sit; it must give plausible text."""
    for encoding in _wide_candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and looks_like_text(text):
            return text, encoding[:-3]
    return None


def latin_share(text: str) -> float:
    """The share of the letters of `text` that are Latin script (1.0 when it has none)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for ch in letters if ch < "\u0250" or unicodedata.name(ch, "").startswith("LATIN")) / len(letters)


def _detected(data: bytes) -> tuple[str, str] | None:
    """The legacy encoding charset-normalizer finds most likely; Windows-1252 for Latin text."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    try:
        text, encoding = data.decode(best.encoding), best.encoding
    except (LookupError, UnicodeError):
        return None
    tied = any(PREFERRED_LEGACY in m.could_be_from_charset for m in matches if m.chaos == best.chaos)
    if tied or latin_share(text) >= LATIN_LETTER_SHARE:
        try:
            text, encoding = data.decode(PREFERRED_LEGACY), PREFERRED_LEGACY
        except UnicodeDecodeError:
            pass  # bytes Windows-1252 leaves undefined: the detector's Latin encoding stays
    return (text, codecs.lookup(encoding).name) if looks_like_text(text) else None


def decode_bytes(data: bytes, is_html: bool) -> tuple[str, str] | None:
    """Decode page bytes, or None when they are not text in any encoding found.

    In order: a byte-order mark, UTF-16/32 by the shape of their NUL bytes (the only text with
    NULs near its start), UTF-8, a charset the HTML declares, the encoding charset-normalizer
    detects (Windows-1252 for Latin text), Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:NUL_SNIFF_BYTES]:
        return wide_unicode(data)
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if is_html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "ignore").lower()
            try:
                if codecs.lookup(name).name not in _NOT_PAGE_ENCODINGS:
                    return data.decode(name), codecs.lookup(name).name
            except (LookupError, UnicodeError):
                pass
    detected = _detected(data)
    if detected is not None:
        return detected
    try:
        text = data.decode(PREFERRED_LEGACY)
    except UnicodeDecodeError:
        return None
    return (text, PREFERRED_LEGACY) if control_share(text) <= MAX_CONTROL_SHARE else None
