"""Split a page's text into blocks (headings, paragraphs, list items, table rows) with offsets."""
from __future__ import annotations

import re

from .records import Block, PageText
from .text import normalize_chars, split_sentences
from .vocabulary import Vocabulary

# A lower-case word glued to a capitalised one by scraping ("View all postsFast International").
_GLUE = re.compile(r"\b[a-z]{3,}(?=[A-Z][a-z])")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪◦–]|\d{1,2}[.)])\s+")
_NUMBER_MARK = re.compile(r"^\s*\d{1,2}[.)]\s+")
_TABLE_ROW = re.compile(r"\|")
_NO_LETTERS = re.compile(r"^[^\w]*$")
# "Label : value": a label of at most four words, a colon, then a value.
_FIELD = re.compile(r"^(?:[\w'’()/&-]+\s){0,3}[\w'’()/&-]+\s?:\s*\S")
# Cues strong enough to cut a boilerplate sentence out of a content paragraph.
ISOLATED_REASONS = frozenset({"call_to_action", "disclaimer", "byline", "cart", "legal", "comment_widget"})
# A paragraph that opens as a notice ("Disclaimer: ...", "This website uses cookies. By continuing...")
# is the notice to its end: its later sentences are not cut off as content.
NOTICE_REASONS = frozenset({"disclaimer", "legal"})
MAX_HEADING_WORDS = 14
# A line is in title case when at least this share of its words start with a capital.
TITLE_CASE_SHARE = 0.5
# Headings written in sentence case are recognised only when this short.
MAX_SENTENCE_CASE_HEADING_WORDS = 6
# A short sentence-case line over a paragraph of prose heads it ("Feasible negative effects" over
# "Quit consuming it and see a physician if you discover any of the following:"): a line of at most
# this many words over one of at least PROSE_MIN_WORDS words that ends a sentence or opens a list.
MAX_PROSE_HEADING_WORDS = 8
PROSE_MIN_WORDS = 12
# Shorter paragraphs with a boilerplate sentence are boilerplate as a whole (a promo note).
MIN_SENTENCES_TO_ISOLATE = 3


def _line_kind(line: str, next_line: str | None, vocab: Vocabulary) -> str:
    stripped = normalize_chars(line.strip())
    numbered = _NUMBER_MARK.match(stripped)
    if numbered and _is_numbered_heading(stripped[numbered.end():], next_line, vocab):
        return "heading"
    if _LIST_MARK.match(stripped):
        return "list_item"
    if _TABLE_ROW.search(stripped) and stripped.count("|") >= 1 and len(stripped.split()) < 40:
        return "table_row"
    words = stripped.split()
    if _FIELD.match(stripped):
        return "paragraph"  # a product field ("Available strengths : 2.5 mg, 5 mg"), not a heading
    if vocab.date.search(stripped):
        return "paragraph"  # a dateline ("Greg_Afib67 · 12 Feb 2023") heads nothing
    if (
        len(words) <= MAX_HEADING_WORDS
        and not stripped.endswith((".", "!", ",", ";", "…", '"', "”"))
        and next_line is not None
        and stripped[:1].isupper()
    ):
        if stripped.endswith(("?", ":")) or _is_title_case(words):
            return "heading"
        if len(words) <= MAX_SENTENCE_CASE_HEADING_WORDS and (
            _LIST_MARK.match(next_line) or vocab.heading_topics(vocab.unspin(stripped)[0])
        ):
            return "heading"  # sentence case ("Possible side effects"), introducing a list or naming a topic
        if len(words) <= MAX_PROSE_HEADING_WORDS and _is_prose(next_line):
            return "heading"
    return "paragraph"


def _is_numbered_heading(title: str, next_line: str | None, vocab: Vocabulary) -> bool:
    """Whether a numbered line is a section heading ("4. POSSIBLE SIDE EFFECTS", "1. What Amiodarone
    is and what it is used for"), not an item of a numbered list: a title of two words or more,
    ending no sentence, in capitals or title case or naming a topic, over a line of text (one that
    ends a sentence or opens a list, or is too long for a title): a contents list's last line stands
    over another title."""
    words = title.split()
    if (len(words) < 2 or len(words) > MAX_HEADING_WORDS or not title[:1].isupper()
            or title.endswith((".", "!", ",", ";", "…")) or next_line is None):
        return False
    below = next_line.strip()
    if _LIST_MARK.match(below) or not (below.endswith((".", "!", "?", ":")) or len(below.split()) > MAX_HEADING_WORDS):
        return False
    return title.isupper() or _is_title_case(words) or bool(vocab.heading_topics(vocab.unspin(title)[0]))


def _is_title_case(words: list[str]) -> bool:
    """Whether at least TITLE_CASE_SHARE of a line's words start with a capital (or no letter)."""
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(words) >= TITLE_CASE_SHARE


def _is_prose(line: str) -> bool:
    """Whether a line reads as running prose: long enough, and ending a sentence or opening a list."""
    stripped = line.strip()
    return len(stripped.split()) >= PROSE_MIN_WORDS and stripped.endswith((".", "!", "?", ":"))


def _unglue(start: int, end: int, text: str) -> list[tuple[int, int]]:
    cuts = [m.end() for m in _GLUE.finditer(text, start, end)]
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _isolate_boilerplate_sentences(start: int, end: int, text: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Cut sentences carrying a strong boilerplate cue out of a paragraph, so the rest stays content."""
    sentences = [(start + a, start + b) for a, b in split_sentences(text[start:end])]
    if len(sentences) < MIN_SENTENCES_TO_ISOLATE:
        return [(start, end)]
    reasons = [vocab.boilerplate_reasons_in(text[a:b]) for a, b in sentences]
    flagged = [bool(r & ISOLATED_REASONS) for r in reasons]
    if not any(flagged) or reasons[0] & NOTICE_REASONS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    run_start = sentences[0][0]
    for i, (a, b) in enumerate(sentences):
        if i + 1 < len(sentences) and flagged[i] == flagged[i + 1]:
            continue
        pieces.append((run_start, b))
        if i + 1 < len(sentences):
            run_start = sentences[i + 1][0]
    return pieces


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of a text, trimmed of white space."""
    spans, pos = [], 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans


def _list_runs_under_headings(pieces: list[tuple[int, int, str]], text: str,
                              vocab: Vocabulary) -> list[tuple[int, int, str]]:
    """Short capitalised lines after a heading of a list topic ("Side effects", then "Headache",
    "Tiredness", "Nausea and stomach pain") are that heading's list items, not headings of their
    own. A line naming a topic itself ("Serious side effects") stays a heading and opens the next
    list; an intro ending in a colon ("Common ones include:") is a paragraph of the list, and any
    paragraph ending in a colon or announcing what follows ("any of the following medicines") opens
    one, and so does a line ending in a colon under a list topic's heading ("The usual suspects:");
    a sentence ends the list."""
    out = list(pieces)
    in_list = False
    under_list_topic = False  # the section's heading names a list topic ("Common Side Effects")
    for i, (a, b, kind) in enumerate(pieces):
        line = text[a:b].strip()
        if kind == "heading":
            topics = vocab.heading_topics(line)
            if (in_list or under_list_topic) and line.endswith(":") and not topics & vocab.slots.list_topics:
                out[i] = (a, b, "paragraph")  # an intro of the list's items ("Taking it with these may:")
                in_list = True
                continue
            if in_list and not topics:
                out[i] = (a, b, "list_item")
                continue
            under_list_topic = bool(topics & vocab.slots.list_topics)
            in_list = under_list_topic or line.endswith(":")
        elif kind == "paragraph" and (line.endswith(":") or vocab.list_opener.search(line)):
            in_list = True  # "Taking it with any of the following medicines may change how it works." opens a list
        elif in_list and kind == "paragraph":
            # a line of the list ends no sentence and is short (slots.yaml: max_list_line_words)
            in_list = len(line.split()) <= vocab.slots.max_list_line_words and not line.endswith((".", "!", "?"))
    return out


def split_blocks(page: PageText, vocab: Vocabulary) -> list[Block]:
    """Split one page into blocks; `text == page.text[char_start:char_end]` holds for each."""
    text = page.text
    lines = line_spans(text)
    pieces: list[tuple[int, int, str]] = []
    if page.layout and len(page.layout) == len(lines):
        for (a, b), layout in zip(lines, page.layout):
            for s, e in _isolate_boilerplate_sentences(a, b, text, vocab):
                pieces.append((s, e, layout.kind))
    else:
        for i, (a, b) in enumerate(lines):
            next_line = text[lines[i + 1][0]:lines[i + 1][1]] if i + 1 < len(lines) else None
            for ga, gb in _unglue(a, b, text):
                kind = _line_kind(text[ga:gb], next_line, vocab)
                subs = _isolate_boilerplate_sentences(ga, gb, text, vocab) if kind == "paragraph" else [(ga, gb)]
                pieces.extend((s, e, kind) for s, e in subs)
        pieces = _list_runs_under_headings(pieces, text, vocab)
    blocks: list[Block] = []
    section: str | None = None
    for index, (a, b, kind) in enumerate(pieces):
        block_text = text[a:b]
        if kind == "heading":
            section = _LIST_MARK.sub("", block_text).strip()
        blocks.append(Block(
            page_id=page.page_id, block_index=index, kind=kind, text=block_text,
            char_start=a, char_end=b, section=section,
        ))
    return blocks


def has_letters(text: str) -> bool:
    """Whether a block holds any word character at all."""
    return not _NO_LETTERS.match(text)
