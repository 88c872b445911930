"""Text primitives shared by every stage: tokens with offsets, stemming, sentences, dedup keys."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, repeat
from operator import itemgetter
from typing import NamedTuple

# A word is a run of letters (with inner apostrophes) or a run of digits: "100mg" and "day1" are two
# words each, as "100 mg" and "day 1" are.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[%µ$€£]")
# Splitting on captured words gives gap, word, gap, word, ...: offsets are running sums of lengths.
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
# A written word as a reader counts it: letters and digits with inner hyphens and apostrophes, so
# "100mg", "well-known" and "don't" are one each (for word counts and item lengths, not for keys).
WRITTEN_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2019"): "'", ord("\u2018"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) when the next
# sentence starts with an upper-case letter, digit, quote or bracket. Whitespace is optional
# after a closing quote because scrapers glue quotations on (`option."Such`).
_SENTENCE_END = re.compile(
    r"""[.!?](?P<close>["'”’)\]]*)(?:\s+|(?<=["”’])(?=[A-Z]))(?=["'“‘(\[]?[A-Z0-9])"""
)
_LAST_WORD = re.compile(r"([\w.]+)\.[\"'”’)\]]*$")
_INITIALISM = re.compile(r"\b[A-Z]\.[A-Z]\.?$")
# Only this much of a sentence's end is searched for an abbreviation or initialism before the stop.
_TAIL = 40
# Words whose light stem would collide with a common abbreviation ("hives" -> "hiv" = HIV).
_KEEP_WHOLE = frozenset({"hives"})
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof st vs etc e.g i.e approx no fig inc ltd co jr sr dept max min mg mcg "
    "al ca cf ed eds vol pp tab tabs caps".split()
)


class Token(NamedTuple):
    """A word of a text: its normalised form (stem) and its character span.

    A named tuple rather than a dataclass: pages have thousands of tokens and tuples are
    several times cheaper to create.
    """

    norm: str
    start: int
    end: int


_SAME_LENGTH = {**_DASHES, **_QUOTES, **dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u200a\u202f\u205f\u3000"), " ")}


def normalize_chars(text: str) -> str:
    """Every dash and hyphen character as '-', special spaces as ' ', curly quotes straight.

    Keeps the length and so every offset: a view of a page's text for rules written in plain
    characters ("4\u20116 weeks" reads as "4-6 weeks"), while the text itself stays as scraped.
    """
    return text if text.isascii() else text.translate(_SAME_LENGTH)


def fold(text: str) -> str:
    """Unicode-normalise text: NFKC, plain dashes and quotes (ASCII text is returned as it is)."""
    if text.isascii():
        return text  # NFKC leaves ASCII alone and it holds no fancy dashes or quotes
    return unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Reduce a word to a light stem so inflections match (reduces/reducing -> reduc).

    Memoised: a pure function of its argument, so the cache cannot change any result.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if w in _KEEP_WHOLE:
        return w
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("es"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


_NORM = itemgetter(0)  # Token.norm as a C-level getter
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words in a text, counting Chinese, Japanese and Korean characters (written without spaces)
    as half a word each, so that length rules treat a CJK paragraph as long."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens with stems and offsets (hyphens and punctuation separate words).

    Built with C-level calls only (one split, running sums of piece lengths, `map`s):
    tokenizing is the largest single cost of claim extraction.
    """
    pieces = _WORD_SPLIT.split(text)
    ends = list(accumulate(map(len, pieces)))
    fields = zip(map(stem, pieces[1::2]), ends[0::2], ends[1::2])
    return list(map(tuple.__new__, repeat(Token), fields))


def stems_of(tokens: list[Token]) -> list[str]:
    """The stems of a token list, in order (one C-level pass)."""
    return list(map(_NORM, tokens))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of one block of text, trimmed of white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        cut = m.end("close")
        tail = text[max(start, cut - _TAIL):cut]
        last_word = _LAST_WORD.search(tail)
        if last_word and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if _INITIALISM.search(tail.rstrip("\"'”’)]")):
            continue  # initialisms such as U.S.
        spans.append((start, cut))
        start = m.end()
    spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if s < e and not text[s:e].isspace()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def normalize_for_dedup(text: str) -> str:
    """The one normalisation applied before every duplicate hash: folded, lower case, words only."""
    return " ".join(_WORD.findall(fold(text).lower()))
