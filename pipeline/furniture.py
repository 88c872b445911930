"""Page furniture on text pages: lines that are not prose about the drug (site names, menus,
datelines, user names, reply widgets, price rows, related-article titles), told apart by their
shape, their words, their place on the page and their neighbours.

The features are named and plain (`words_1`, `date`, `no_function_word`, `word:reply`...); a small
logistic model over them (`vocab/furniture.yaml`, trained on the annotated pages under
`tests/golden` by `bench/train_furniture.py`) gives each line a probability of being furniture. A
line above the model's threshold is boilerplate, with the reason of the feature that weighs most
for it, so the reason stays readable.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from .records import Block
from .text import WRITTEN_WORD, normalize_chars, normalize_for_dedup, tokenize

# A price: a currency sign or code next to a number.
PRICE = re.compile(r"[$€£₹¥]\s?\d|\d\s?[$€£₹]|\b(usd|gbp|eur|inr|rs\.?)\s?\d", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
# A strength or dose ("10 mg", "2.5mg", "0.1%"): numbers that state drug information, not prices or counts.
_STRENGTH = re.compile(r"\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|g|ml|iu|%)(?!\w)", re.IGNORECASE)
# A temperature ("20–25°C", "77°F"): storage information, whose numbers are not bare numbers.
_TEMPERATURE = re.compile(r"\d+(?:[.,]\d+)?\s?°\s?[cf]?", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_SEPARATOR = re.compile(r"\s[|·•›»→/]\s|[★☆]")
_FIELD = re.compile(r"^[^:.!?]{1,30}:\s*\S")
_COUNT_IN_BRACKETS = re.compile(r"\(\d[\d,.]*\)")
_URL = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk)\b|@\w")
# A user name: letters and digits or underscores in one word ("wendyw_62", "AFib_Andy", "mum2be").
_HANDLE = re.compile(r"^[^\W\d_]+[\d_][\w]*$|^\w+_\w+$")
# Lines of at most these many words are "short" for the neighbourhood features, and a repeat of one is a widget word.
SHORT_LINE_WORDS = 4
# Lines of more words are "long": their place and neighbours are features apart from a short line's.
LONG_LINE_WORDS = 12
# The first and last shares of a page's blocks are its head and its tail.
HEAD_SHARE = 0.08
TAIL_SHARE = 0.12
# A page of fewer blocks has no head and tail to speak of.
MIN_BLOCKS_FOR_POSITION = 10
WORD_BUCKETS = ((1, "words_1"), (3, "words_2_3"), (6, "words_4_6"), (12, "words_7_12"))


@dataclass(frozen=True)
class FurnitureModel:
    """A logistic model over named line features, read from `vocab/furniture.yaml` and `furniture_model.yaml`."""

    bias: float
    threshold: float
    weights: Mapping[str, float]
    reasons: Mapping[str, str]  # feature -> the boilerplate reason a line it marks gets
    function_words: frozenset[str]
    default_reason: str
    words: frozenset[str]  # the words that are features of their own (`word:<w>`)
    content_field: re.Pattern  # the label of a product field that states drug information ("Strength:")

    def probability(self, features: Mapping[str, float]) -> float:
        """The model's probability that a line with these features is furniture."""
        z = self.bias + sum(self.weights.get(f, 0.0) * v for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def reason(self, features: Mapping[str, float]) -> str:
        """The reason of the feature that weighs most towards furniture for this line."""
        best, best_reason = 0.0, self.default_reason
        for f, v in features.items():
            push = self.weights.get(f, 0.0) * v
            if push > best and f in self.reasons:
                best, best_reason = push, self.reasons[f]
        return best_reason


@dataclass(frozen=True)
class LineContext:
    """What a line's features need from the rest of its page."""

    page_drug: str | None
    repeats: Counter  # normalised block text -> how often it occurs on the page
    marked: tuple[bool, ...]  # which blocks the text rules already made boilerplate
    short: tuple[bool, ...]  # which blocks have at most SHORT_LINE_WORDS words


def drugs_named(text: str, drug_dictionary: Mapping[str, str]) -> set[str]:
    """The drugs whose one-word names (generic or brand) occur in `text`."""
    return {drug_dictionary[w] for w in _words(text) if w in drug_dictionary}


def most_named_drug(blocks: list[Block], drug_dictionary: Mapping[str, str],
                    named: list[set[str]] | None = None) -> str | None:
    """The drug named in most blocks of a page: the page's drug, as far as its words tell
    (`named`: each block's `drugs_named`, if already known)."""
    drugs: Counter[str] = Counter()
    for names in named if named is not None else (drugs_named(b.text, drug_dictionary) for b in blocks):
        drugs.update(names)
    return drugs.most_common(1)[0][0] if drugs else None


def page_context(blocks: list[Block], marked: list[bool], drug_dictionary: Mapping[str, str]) -> LineContext:
    """The page-wide facts the line features use: its most named drug, its repeated lines."""
    repeats = Counter(normalize_for_dedup(b.text) for b in blocks)
    short = tuple(len(b.text.split()) <= SHORT_LINE_WORDS for b in blocks)
    return LineContext(most_named_drug(blocks, drug_dictionary), repeats, tuple(marked), short)


def _words(text: str) -> list[str]:
    return [w.lower() for w in WRITTEN_WORD.findall(text)]


def line_features(blocks: list[Block], i: int, context: LineContext, model: FurnitureModel,
                  vocab) -> dict[str, float]:
    """The named features of block `i` of a page (shape, words, drugs, position, neighbours)."""
    block = blocks[i]
    text = normalize_chars(block.text.strip())
    words = _words(text)
    n = len(words)
    f: dict[str, float] = {}
    bucket = next((name for limit, name in WORD_BUCKETS if n <= limit), "words_13_plus")
    f[bucket] = 1.0
    f[f"kind_{block.kind}"] = 1.0
    if text.endswith((".", "!", "?")):
        f["ends_sentence"] = 1.0
    if text.endswith(":"):
        f["ends_colon"] = 1.0
    if text.endswith((",", ";")):  # an item of a list split over lines ("a beta blocker - metoprolol;")
        f["ends_clause"] = 1.0
    letters = [c for c in text if c.isalpha()]
    raw_words = text.split()
    if n >= 2 and sum(w[:1].isupper() for w in raw_words) / len(raw_words) >= 0.6:
        f["title_case"] = 1.0
    if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8:
        f["all_caps"] = 1.0
    function = sum(w in model.function_words for w in words)
    if n:
        f["function_word_share"] = function / n
        f["bare_number_share"] = sum(w.isdigit() for w in _words(_TEMPERATURE.sub(" ", _STRENGTH.sub(" ", text)))) / n
    if n >= 3 and function == 0:
        f["no_function_word"] = 1.0
    for name, pattern in (("currency", PRICE), ("clock_time", _CLOCK), ("year", _YEAR),
                          ("count_in_brackets", _COUNT_IN_BRACKETS), ("url", _URL),
                          ("strength", _STRENGTH)):
        if pattern.search(text):
            f[name] = 1.0
    if "%" in text:
        f["percent"] = 1.0
    if vocab.date.search(text.lower()):
        f["date"] = 1.0
    separators = len(_SEPARATOR.findall(text))
    if separators:
        f["separators"] = min(separators, 3) / 3
    if _FIELD.match(text):
        f["field"] = 1.0
    if any(_HANDLE.match(w) for w in raw_words[:3]):
        f["handle"] = 1.0
    # a widget word repeats ("Reply", "Quote"); a longer repeated line is the dedup stage's business
    if n <= SHORT_LINE_WORDS and context.repeats[normalize_for_dedup(block.text)] > 1:
        f["repeated_on_page"] = 1.0
    named = drugs_named(text, vocab.drug_dictionary)
    if context.page_drug in named:
        f["names_page_drug"] = 1.0
    elif named:
        f["names_other_drug_only"] = 1.0
    tokens = tokenize(text)
    concepts = len(vocab.concepts.find(tokens)) if tokens else 0
    if concepts:
        f["concepts"] = min(concepts, 3) / 3
    if tokens and vocab.topic_cues.topic_starts(tokens):
        f["topic_cue"] = 1.0
    if vocab.heading_topics(text):
        f["heading_topic"] = 1.0
    place: dict[str, float] = {}
    if len(blocks) >= MIN_BLOCKS_FOR_POSITION:
        share = i / (len(blocks) - 1)
        if share <= HEAD_SHARE:
            place["page_head"] = 1.0
        if share >= 1 - TAIL_SHARE:
            place["page_tail"] = 1.0
    _neighbour_features(blocks, i, context, place)
    # place and neighbours say much about a short line and little about a long one: apart per length
    suffix = "" if n <= LONG_LINE_WORDS else "_long_line"
    f.update({f"{name}{suffix}": v for name, v in place.items()})
    for w in model.words.intersection(words):
        f[f"word:{w}"] = 1.0
    return f


def _neighbour_features(blocks: list[Block], i: int, context: LineContext, f: dict[str, float]) -> None:
    """Whether the lines around block `i` are short, or already boilerplate by the text rules."""
    short = context.short
    before, after = i - 1, i + 1
    if before >= 0 and context.marked[before]:
        f["after_boilerplate"] = 1.0
    if after < len(blocks) and context.marked[after]:
        f["before_boilerplate"] = 1.0
    if before >= 0 and after < len(blocks) and short[before] and short[after]:
        f["between_short_lines"] = 1.0


def _states_a_strength(features: Mapping[str, float]) -> bool:
    """A line naming the page's drug with a strength and no price ("Ramipril 2.5mg / 5mg Capsules"):
    a product field that states drug information, content however it is laid out."""
    return "strength" in features and "names_page_drug" in features and "currency" not in features


def furniture_reasons(blocks: list[Block], reasons: list[str | None], vocab) -> list[str | None]:
    """The furniture reason of each block the text rules left as content (None: prose, or a block
    already marked)."""
    model: FurnitureModel = vocab.furniture
    context = page_context(blocks, [r is not None for r in reasons], vocab.drug_dictionary)
    # a heading that a marked line repeats (a contents entry) is the section that entry points to
    pointed_to = {normalize_for_dedup(b.text) for b, r in zip(blocks, reasons) if r is not None}
    out: list[str | None] = []
    for i, reason in enumerate(reasons):
        if reason is not None or (blocks[i].kind == "heading" and normalize_for_dedup(blocks[i].text) in pointed_to):
            out.append(None)
            continue
        features = line_features(blocks, i, context, model, vocab)
        if _states_a_strength(features) or model.content_field.match(blocks[i].text):
            out.append(None)
            continue
        out.append(model.reason(features) if model.probability(features) >= model.threshold else None)
    return out
