"""Slots and items: the things a claim names, split out of its words and named by themselves.

A slot is the stretch of a sentence after a wording that introduces what a claim is about
("may cause ...", "used to treat ...", "works by ...", "do not take it with ..."; `slots.yaml`),
up to the end of its clause. A list slot is split into items at commas and list words; each
item is trimmed of articles, quantifiers and hedges. An item that holds no vocabulary concept
becomes an open term: its own words, and a key made from their stems, so that one wording gives
one key on every page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .text import WRITTEN_WORD, tokenize

_NUMBER = re.compile(r"(?<![^\W_])\d")  # a digit starting a word: a number, not a name such as "G6PD"
_LIST_COLON = re.compile(r"\s*:")
_SEMICOLON_LIST_END = re.compile(r";\s*(or|and)\b")  # "A; B; or C": semicolons that separate the items of one list
_OPEN_PREPOSITION = re.compile(r"\b(to|of|with)\s*$")  # a phrase ending in a preposition wants its object
_OBJECT = re.compile(r"\s+((?:the |any |other )?[^\W\d_][\w-]*(?: [^\W\d_][\w-]*)?)(?=\s*(?:[,;.)]|\bor\b|\band\b|$))")
_UNCLOSED_ASIDE = re.compile(r"\s*\([^)]*$")


class SlotRule(NamedTuple):
    """One wording after which a sentence names the items of a topic."""

    topic: str
    anchors: tuple[str, ...]
    pattern: re.Pattern
    whole: bool
    in_context: bool
    keep_cue: bool = False
    max_words: int | None = None
    alone: bool = False  # a whole slot that yields nothing where the vocabulary names anything in it
    common_words: bool = False  # its items may be common words ("tablets" after "comes as")
    naming: bool = False  # its items are names in themselves ("from the sulfonylurea family": a class)
    before: bool = False  # its items stand before its wording, from the start of the clause ("X and Y can help")


class SummaryRule(NamedTuple):
    """A sentence kind that states one fact whose details are other facts' words (an overdose)."""

    topic: str
    term: str
    anchors: tuple[str, ...]
    pattern: re.Pattern
    absorbs: frozenset[str]


@dataclass(frozen=True)
class SlotRules:
    """Every slot rule with the grammar that splits and trims items (`slots.yaml`)."""

    rules: tuple[SlotRule, ...]
    summaries: tuple[SummaryRule, ...]
    list_topics: frozenset[str]
    recast_topics: frozenset[str]
    item_topic_leads: dict[str, re.Pattern]
    statement_topics: frozenset[str]
    always_stated: frozenset[str]
    max_statement_words: int
    min_statement_words: int

    separators: re.Pattern
    ends: re.Pattern
    edge_words: frozenset[str]
    refused_starts: frozenset[str]
    refused_words: frozenset[str]
    refused_alone: frozenset[str]
    refused_inner: frozenset[str]
    generic_modifiers: frozenset[str]
    lead_phrases: re.Pattern
    max_item_words: int
    max_list_line_words: int
    max_whole_words: int
    max_qualifier_words: int  # words before a list item's concept that narrow it ("kidney infections")
    list_breaks: re.Pattern
    list_min_items: int
    list_min_known: int
    list_vote_vetoes: frozenset[str]
    named_drug_topics: frozenset[str]
    named_drug_list_min: int  # this many other drugs named in one sentence are interactions in any context
    named_drug_list_vetoes: frozenset[str]  # ... unless its context is one of these topics
    drug_item_topics: frozenset[str]  # a list item of these topics that is another drug is an interaction
    definition: re.Pattern  # "<subject> [(aside)] is a": group `subject`
    definition_subjects: frozenset[str]
    definition_ends: re.Pattern
    the_baby: re.Pattern  # a pregnancy sentence naming the baby: the effects it names are the baby's
    medicines_for: re.Pattern  # "medicines for": a kind of medicine named by what it is for (group `head`)
    other_products: re.Pattern  # "prescription and over-the-counter medicines": kinds of other products, no access fact
    prohibition: re.Pattern  # "do not", "never": a prohibition concept's term shows the page's own words for it

    @cached_property
    def rule_groups(self) -> tuple[tuple[tuple[str, ...], re.Pattern, tuple[SlotRule, ...]], ...]:
        """Rules with the same anchors and pattern, grouped: each pattern is tried once a sentence."""
        groups: dict[tuple[tuple[str, ...], str], list[SlotRule]] = {}
        for rule in self.rules:
            groups.setdefault((rule.anchors, rule.pattern.pattern), []).append(rule)
        return tuple((group[0].anchors, group[0].pattern, tuple(group)) for group in groups.values())

    @cached_property
    def any_anchor(self) -> re.Pattern:
        """Finds any anchor of any rule in lower-cased text."""
        anchors = {a for rule in self.rules for a in rule.anchors}
        return re.compile("|".join(re.escape(a) for a in sorted(anchors, key=len, reverse=True)))


class Slot(NamedTuple):
    """Where in a sentence the items of a topic stand."""

    topic: str
    cue_start: int
    start: int
    end: int
    whole: bool
    max_words: int | None = None
    generic: bool = False
    naming: bool = False  # its items are names in themselves, even when they hold a concept of another topic
    alone: bool = False  # (a whole slot) it yields nothing where the vocabulary names anything in it
    common_words: bool = False  # its items may be common words that name nothing elsewhere ("tablets")


class OpenTerm(NamedTuple):
    """An item named by its own words: the span it covers, its readable term and its key words."""

    start: int
    end: int
    term: str
    stems: tuple[str, ...]


def find_slots(sentence: str, rules: SlotRules, cue_positions: dict[str, list[int]], context: set[str]) -> list[Slot]:
    """The slots of a sentence. A generic introducer ("include", "such as") fills a slot of the one
    topic cued nearest before it in the sentence, else of the one context topic it can belong to."""
    lowered = sentence.lower()
    slots: list[Slot] = []
    generic: dict[tuple[int, int], list[str]] = {}
    if not rules.any_anchor.search(lowered):
        return slots  # most sentences hold no slot wording: one scan tells
    for anchors, pattern, group in rules.rule_groups:
        if not any(map(lowered.__contains__, anchors)):
            continue
        for m in pattern.finditer(sentence):
            if m.end() == m.start():
                continue
            end = None
            for rule in group:
                if rule.in_context:
                    generic.setdefault((m.start(), m.end()), []).append(rule.topic)
                    continue
                if rule.before:
                    # generic: what stands before a wording may be anything ("If you take warfarin, your INR
                    # should be checked"), so its items add open facts but take no fact from another topic
                    slots.append(Slot(rule.topic, m.start(), clause_start(sentence, m.start(), rules.ends), m.start(),
                                      rule.whole, rule.max_words, generic=True, naming=rule.naming))
                    continue
                end = end or slot_end(sentence, m.end(), rules.ends)
                slots.append(Slot(rule.topic, m.start(), m.start() if rule.keep_cue else m.end(), end, rule.whole,
                                  rule.max_words, alone=rule.alone, common_words=rule.common_words, naming=rule.naming))
    for (start, cue_end), topics in generic.items():
        topic = _nearest_topic(topics, start, cue_positions, context)
        if topic is not None:
            slots.append(Slot(topic, start, cue_end, slot_end(sentence, cue_end, rules.ends), False, generic=True))
    return slots


def slot_end(sentence: str, start: int, ends: re.Pattern) -> int:
    """Where a slot starting at `start` ends: at the first of `ends` after it, or at the end of the
    sentence when a colon opens a list ("tell your doctor if you have: A; B, C; or D"). Semicolons
    before a last item led by "; or" / "; and" separate items ("if you have A; B; or C") and end
    nothing. A slot inside a bracketed aside ends with it ("warfarin (your INR may need closer
    checks), tacrolimus": the drugs after the bracket are no checks)."""
    if _LIST_COLON.match(sentence, start):
        return len(sentence)
    end = ends.search(sentence, start)
    if end and sentence[end.start()] == ";":
        last = None
        for last in _SEMICOLON_LIST_END.finditer(sentence, end.start()):
            pass
        if last is not None:
            end = ends.search(sentence, last.end())
    stop = end.start() if end else len(sentence)
    if sentence.find(")", start, stop) < 0:
        return stop
    depth = 0
    for i in range(start, stop):
        if sentence[i] == "(":
            depth += 1
        elif sentence[i] == ")":
            if depth == 0:
                return i
            depth -= 1
    return stop


def clause_start(sentence: str, at: int, ends: re.Pattern) -> int:
    """Where the clause holding `at` starts: after the last clause end before it (or at the start)."""
    start = 0
    for m in ends.finditer(sentence, 0, at):
        start = m.end()
    return start


def bare_lists(sentence: str, rules: SlotRules) -> list[list[tuple[int, int]]]:
    """The runs of short items in a sentence that read as a list without a slot wording ("Flushing,
    headaches, feeling wiped out and a fluttery heartbeat"): `list_min_items` or more items in a row
    within a clause, none of them a clause itself ("you may get a rash" ends a run)."""
    runs: list[list[tuple[int, int]]] = []
    start = 0
    for end in [*rules.list_breaks.finditer(sentence), None]:
        stop = end.start() if end else len(sentence)
        run: list[tuple[int, int]] = []
        listed = stop > start and "," in sentence[start:stop]  # three items need a comma at least
        for a, b in split_items(sentence, Slot("", start, start, stop, False), rules) if listed else ():
            if is_clause(sentence, a, b, rules) or len(WRITTEN_WORD.findall(sentence, a, b)) > rules.max_item_words:
                runs.append(run)
                run = []
            else:
                run.append((a, b))
        runs.append(run)
        start = end.end() if end else stop
    return [run for run in runs if len(run) >= rules.list_min_items]


def definition_slot(sentence: str, rules: SlotRules, own_names: frozenset[str]) -> Slot | None:
    """The slot of a definition of the drug ("Furosemide (Lasix) is a loop diuretic – ...", "It is an
    antihistamine used for ..."): what it is, a mechanism fact (CONVENTIONS: drug class)."""
    m = rules.definition.match(sentence)
    if m is None or not (m.group("subject").lower() in own_names or m.group("subject").lower() in rules.definition_subjects):
        return None
    end = min(slot_end(sentence, m.end(), rules.ends), slot_end(sentence, m.end(), rules.definition_ends))
    return Slot("mechanism", m.start(), m.end(), end, False, naming=True)


def find_summaries(sentence: str, rules: SlotRules) -> list[tuple[SummaryRule, re.Match]]:
    """The summary rules a sentence is an instance of, each with where it matched."""
    lowered = sentence.lower()
    found = []
    for rule in rules.summaries:
        if any(map(lowered.__contains__, rule.anchors)):
            m = rule.pattern.search(sentence)
            if m:
                found.append((rule, m))
    return found


def _nearest_topic(topics: list[str], at: int, cue_positions: dict[str, list[int]], context: set[str]) -> str | None:
    before = [(at - max(p for p in cue_positions[t] if p <= at), t) for t in topics
              if any(p <= at for p in cue_positions.get(t, ()))]
    if before:
        return min(before)[1]
    in_context = [t for t in topics if t in context]
    return in_context[0] if len(in_context) == 1 else None


def split_items(sentence: str, slot: Slot, rules: SlotRules) -> list[tuple[int, int]]:
    """The item spans of a slot, each trimmed of edge words (a whole slot is one item, cut short)."""
    if slot.whole:
        words = list(WRITTEN_WORD.finditer(sentence, slot.start, slot.end))[:slot.max_words or rules.max_whole_words]
        return [(words[0].start(), words[-1].end())] if words else []
    spans, start = [], slot.start
    for m in rules.separators.finditer(sentence, slot.start, slot.end):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, slot.end))
    return [t for t in (trim_item(sentence, a, b, rules) for a, b in spans) if t is not None]


def trim_item(sentence: str, start: int, end: int, rules: SlotRules) -> tuple[int, int] | None:
    """An item's span without the edge words and wrapper phrases around its name, or None if empty."""
    words = list(WRITTEN_WORD.finditer(sentence, start, end))
    while True:
        while words and words[0].group().lower() in rules.edge_words:
            words.pop(0)
        lead = rules.lead_phrases.match(sentence, words[0].start(), end) if words else None
        if not lead:
            break
        words = [w for w in words if w.start() >= lead.end()]
    while words and words[-1].group().lower() in rules.edge_words:
        words.pop()
    return (words[0].start(), words[-1].end()) if words else None


def shown_term(canonical: str, sentence: str, start: int, end: int, rules: SlotRules) -> str:
    """A concept's term as shown: its canonical name, followed by the page's own words for it in
    brackets when they say something the name does not ("heart rhythm problems (irregular heartbeat)")."""
    objected = _OPEN_PREPOSITION.search(sentence, start, end)
    if objected:  # "allergic to" says what of only with its object: "allergic to amlodipine"
        following = _OBJECT.match(sentence, end)
        if following:
            return f"{canonical} ({' '.join(sentence[start:following.end()].split()).lower()})"
    span = trim_item(sentence, start, end, rules)
    if span is None:
        return canonical
    span = (_prohibition_start(canonical, sentence, span[0], rules), span[1])
    words = " ".join(sentence[span[0]:span[1]].split()).lower()
    if set(WRITTEN_WORD.findall(words)) <= set(WRITTEN_WORD.findall(canonical.lower())):
        return canonical
    return f"{canonical} ({words})"


def _prohibition_start(canonical: str, sentence: str, start: int, rules: SlotRules) -> int:
    """Where a prohibition's own words begin: "do not double the dose", not "double the dose", for a
    concept named as one ("do not double up ..."), when the page's "do not" is at most two words before."""
    if not rules.prohibition.match(canonical):
        return start
    lead = None
    for lead in rules.prohibition.finditer(sentence, max(0, start - 40), start):
        pass
    if lead is None or not _SHORT_GAP.fullmatch(sentence, lead.end(), start):
        return start
    return lead.start()


_SHORT_GAP = re.compile(r"(\s+[\w'’-]+){0,2}\s+")
_CLAUSE_STOP = re.compile(r"[;:!?]|\.(?!\d)")


def clause_term(canonical: str, sentence: str, start: int, end: int, max_words: int) -> str:
    """A concept's term with the clause that states it in brackets ("price (often costs under $20 a
    month with a discount card)"): for concepts whose word alone says little (`shows_clause`)."""
    left = max((sentence.rfind(c, 0, start) for c in ";:"), default=-1) + 1
    stop = _CLAUSE_STOP.search(sentence, end)  # not the point of "$12.50"
    right = stop.start() if stop else len(sentence)
    before = WRITTEN_WORD.findall(sentence, left, start)
    after = WRITTEN_WORD.findall(sentence, end, right)
    inside = WRITTEN_WORD.findall(sentence, start, end)
    spare = max(0, max_words - len(inside))
    keep_before = min(len(before), spare // 2 + max(0, spare - spare // 2 - len(after)))
    words = before[len(before) - keep_before:] + inside + after[:spare - keep_before]
    return f"{canonical} ({' '.join(words).lower()})" if len(words) > len(inside) else canonical


def is_clause(sentence: str, start: int, end: int, rules: SlotRules) -> bool:
    """Whether an item holds a pronoun or an auxiliary verb ("together they can cause ..."): a clause."""
    return not rules.refused_inner.isdisjoint(w.lower() for w in WRITTEN_WORD.findall(sentence, start, end))


def open_term(sentence: str, start: int, end: int, rules: SlotRules, own_names: frozenset[str],
              whole: bool = False, common_words: bool = False) -> OpenTerm | None:
    """The open term an item stands for, or None when the item is a clause, a number, a
    population or the drug itself rather than a name (with `common_words`, words such as
    "tablets" that name nothing in other slots do name something)."""
    text = _UNCLOSED_ASIDE.sub("", sentence[start:end]) or sentence[start:end]  # "vaginosis (BV" -> "vaginosis"
    words = [w.lower() for w in WRITTEN_WORD.findall(text)]
    if not words or _NUMBER.search(text):
        return None
    if not whole and (len(words) > rules.max_item_words or words[0] in rules.refused_starts):
        return None
    if not whole and is_clause(sentence, start, end, rules):
        return None
    refused = frozenset() if common_words else rules.refused_words
    if all(w in refused or w in rules.generic_modifiers or w in rules.edge_words or w in own_names for w in words):
        return None  # "ingredient of the tablet", "the following": names nothing
    if len(words) == 1 and words[0] in rules.refused_alone:
        return None
    stems = tuple(t.norm for t in tokenize(text) if t.norm not in own_names)
    if not stems:
        return None
    return OpenTerm(start, end, " ".join(text.split()).lower().strip(" .,;:"), stems)


def open_key(topic: str, term: OpenTerm) -> str:
    """The key of an open term: its topic and the stems of its words ("kidney problems" ->
    `warnings.kidney_problem`), the same for every page that words it so."""
    parts = (re.sub(r"[^a-z0-9]+", "", s) for s in term.stems)
    return f"{topic}." + "_".join(p for p in parts if p)
