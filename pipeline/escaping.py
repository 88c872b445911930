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


def plain_text(value: str) -> str:
    """`value` on one line, without control characters."""
    return _LINE_BREAKS.sub(" ", _CONTROLS.sub(" ", value))


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: control characters dropped, and a leading `'`
    when the value would start a formula (`=`, `+`, `-`, `@`, tab, carriage return)."""
    value = _CONTROLS.sub(" ", value)
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def markdown_text(value: str) -> str:
    """Text for a Markdown table cell or heading, shown as written: one line, HTML escaped
    (no tag from a page survives rendering), Markdown's own characters backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(plain_text(value), quote=False))
