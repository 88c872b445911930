"""Values from pages and paths made inert for where they go: a spreadsheet cell, a Markdown table.

Page text and file names are data, never markup, formulas or terminal control codes.
"""
from __future__ import annotations

import html
import re

# Control characters (C0 but tab, DEL, C1) and line or paragraph separators: a terminal reads
# escape sequences in them, a Markdown table row ends at a line break.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection);
# the full-width forms too, which some spreadsheets fold to ASCII.
_FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Characters that make Markdown inside a line: emphasis and strike-through, code, links and
# images (which need brackets), table cells, escapes. `<` and `&` are HTML-escaped instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def percent_encoded(text: str, encode_percent: bool = True) -> str:
    """`text` printable on one line, what is not printable percent-encoded.

    Encoded: bytes that are not UTF-8 (surrogate escapes of a file name), every character that
    is not printable (controls, line separators, format and bidi characters, non-breaking and
    zero-width spaces), and `%` itself unless told not to (so two names never give one text)."""
    if text.isprintable() and (not encode_percent or "%" not in text):
        return text
    out = []
    for char in text:
        if "\udc80" <= char <= "\udcff":
            out.append(f"%{ord(char) - 0xDC00:02X}")
        elif not char.isprintable() or (char == "%" and encode_percent):
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)
    return "".join(out)


def plain_text(value: str) -> str:
    """`value` on one line, without control characters."""
    return _LINE_BREAKS.sub(" ", _CONTROLS.sub(" ", value))


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never as a formula.

    Control characters are dropped, and a `'` leads a value that would start a formula (`=`,
    `+`, `-`, `@`, tab, carriage return), also after spaces a spreadsheet may trim."""
    if not value:  # most cells of the wide table: a source that says nothing
        return value
    value = _CONTROLS.sub(" ", value)
    return f"'{value}" if value.lstrip(" ").startswith(_FORMULA_START) else value


def markdown_text(value: str) -> str:
    """Text for a Markdown table cell or heading that renders as written.

    One line, HTML escaped (no tag from a page survives rendering), Markdown's own characters
    backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(plain_text(value), quote=False))
