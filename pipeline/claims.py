"""Claims and facts: content sentences classified by topic, then normalised into facts.

A sentence's topic context is the topics cued in the sentence itself, in the earlier
sentences of its paragraph and in its section heading. A concept of the lexicon becomes a
fact only where its topic is in that context (unless the concept needs no cue); frames such
as "tell your doctor if you have" make the conditions after them facts of their own topic.
Quantities become dose, duration, rate, age or SPF facts by their unit and the words around
them. Each sentence belongs to the drug its section heading or its subject names, else to the
page's drug. Slots and items (what a claim names, in its own words) are `terms.py`; in-page
repeats are `repeats.py`.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from .drugs import PageDrugs, find_page_drugs
from .lexicon import Concept, Match
from .quantities import (Quantity, display_value, find_dosage_forms, find_frequencies, find_quantities, frequency_regex,
                         quantity_kind, quantity_regex)
from .records import Block, Claim, Fact
from .repeats import SentenceRepeats, exact_repeats
from .terms import (Slot, bare_lists, clause_term, definition_slot, find_slots, find_summaries, is_clause, open_key,
                    open_term, shown_term, slot_end, split_items)
from .text import WRITTEN_WORD, Token, normalize_chars, split_sentences, stem, stems_of, tokenize
from .vocabulary import Vocabulary, slug

_LIST_GAP = re.compile(r"^[\s,]*$")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PageContext:
    """What claim extraction needs to know about the page as a whole."""

    page_id: str
    source: str
    drugs: PageDrugs

    @property
    def drug(self) -> str | None:
        """The drug the page is mostly about."""
        return self.drugs.main

    @property
    def own_names(self) -> frozenset[str]:
        """The page drug's names and brands as lower-case words and stems (never an item's name)."""
        words = {w for name in (self.drugs.main or "", *self.drugs.brands) for w in re.findall(r"\w+", name.lower())}
        return frozenset(words | {stem(w) for w in words})


class Sentence(NamedTuple):
    """A sentence of a content block: where it stands in the block, its text as scraped (the
    evidence), the text every rule reads (plain characters, cut spans blanked, spun wordings read
    as the words they replaced: vocabulary spinner.yaml) and its tokens."""

    block: Block
    index: int
    start: int  # offset of the sentence in the block text
    text: str
    view: str
    tokens: list[Token]  # of the view
    origin: tuple[int, ...] | None = None  # where each view position stands in `text` (None: the same place)

    def in_text(self, offset: int) -> int:
        """The offset in the scraped sentence of an offset in the view."""
        return offset if self.origin is None else self.origin[offset]


def content_sentences(blocks: list[Block], vocab: Vocabulary) -> list[Sentence]:
    """The sentences of a page's non-boilerplate blocks, each tokenized once for every later step."""
    sentences = []
    for block in blocks:
        if not block.is_boilerplate:
            view = without_cuts(normalize_chars(block.text), block)
            for index, (a, b) in enumerate(split_sentences(view)):
                reading, origin = vocab.unspin(view[a:b])
                sentences.append(Sentence(block, index, a, block.text[a:b], reading, tokenize(reading), origin))
    return sentences


def without_cuts(view: str, block: Block) -> str:
    """A block's view with its cut spans (selling fragments, boilerplate) blanked, at the same length."""
    for cut in block.cuts:
        a, b = cut.char_start - block.char_start, cut.char_end - block.char_start
        view = view[:a] + " " * (b - a) + view[b:]
    return view


class _Found(NamedTuple):
    topic: str
    key: str
    term: str
    start: int
    end: int
    negatable: bool
    value_min: float | None = None
    value_max: float | None = None
    unit: str | None = None
    compose: bool = False
    kind: str = "concept"  # concept, quantity or open (an item named by its own words)
    shows_words: bool = True  # a concept's term shows the page's words for it (not a summary's)


class LeadIn(NamedTuple):
    """The list a lead-in line or heading opens: its topic, and whether its items take that topic
    over their own (a frame's conditions do; a generic "include:" only adds unnamed items)."""

    topic: str
    recast: bool


class ClaimExtractor:
    """Extracts claims and facts from the content blocks of pages, with one compiled vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._quantity_pattern = quantity_regex(vocab.units)
        self._frequency_pattern = frequency_regex(vocab.units)
        # the first word of every drug name variant: a cheap test before looking a window of words up
        self._drug_first_words = frozenset(name.split(" ", 1)[0] for name in vocab.drug_dictionary)

    def _list_items(self, tokens: list[Token], sentence: str, matches: list[Match]) -> list[Match]:
        """Split lists: after `dry skin`, the items of `, lips, and eyes` become `dry lips`, `dry eyes`;
        an item that names the same concept again ("swelling of the face, lips or tongue") adds none."""
        lexicon = self.vocab.concepts
        extra: list[Match] = []
        for m in matches:
            j = m.last_token + 1
            if m.last_token == m.first_token or j == len(tokens) or not _LIST_GAP.match(sentence[m.end:tokens[j].start]):
                continue
            prefix = [t.norm for t in tokens[m.first_token:m.last_token]]
            taken: set[int] | None = None
            prev_end = m.end
            while j < len(tokens):
                if not _LIST_GAP.match(sentence[prev_end:tokens[j].start]):
                    break
                if tokens[j].norm in self.vocab.list_joiners:
                    prev_end = tokens[j].end
                    j += 1
                    continue
                hit = None
                for width in (1, 2):
                    if j + width > len(tokens):
                        break
                    concepts = lexicon.lookup(prefix + [t.norm for t in tokens[j:j + width]])
                    if not concepts:
                        continue
                    if taken is None:
                        taken = _taken_for_topics(matches, {c.topic for c in m.concepts})
                    if not taken.intersection(range(j, j + width)):
                        hit = Match(concepts, j, j + width - 1, tokens[j].start, tokens[j + width - 1].end)
                if hit is None:
                    break
                if {c.key for c in hit.concepts} != {c.key for c in m.concepts}:
                    extra.append(hit)  # "swelling of the face, lips or tongue" is one swelling, not three
                prev_end = hit.end
                j = hit.last_token + 1
        return extra

    def _negated(self, sentence: str, start: int) -> bool:
        """Whether a negation cue governs the phrase at `start`: within the window, in the same clause."""
        rules = self.vocab.negation
        masked = rules.pseudo.sub(lambda m: " " * len(m.group()), sentence[:start])
        for cue in rules.negation.finditer(masked):
            between = masked[cue.end():start]
            if not rules.clause_break.search(between) and len(between.split()) <= rules.window:
                return True
        return False

    def _choose(self, concepts: tuple[Concept, ...], cues: dict[str, list[int]], context: set[str],
                at: int) -> Concept | None:
        """The concept a phrase at character `at` stands for: the one whose topic is cued nearest
        before it in the sentence ("used to treat ED, and the symptoms of BPH" -> indication),
        else one whose topic is cued after it, else one of the context, else one the context
        admits (topics.yaml `admits`: "50 mg at bedtime") or needing no cue."""
        cued = [c for c in concepts if c.topic in cues]
        if len(cued) == 1:
            return cued[0]
        if cued:
            def distance(c: Concept) -> tuple[int, int]:
                before = [at - s for s in cues[c.topic] if s <= at]
                return (0, min(before)) if before else (1, min(s - at for s in cues[c.topic]))
            return min(cued, key=distance)
        for c in concepts:
            if c.topic in context:
                return c
        admitted = {a for t in (*cues, *context) for a in self.vocab.admits[t]}
        return next((c for c in concepts if c.topic in admitted or not c.requires_cue), None)

    def _resolve(self, words: list[Token], match: Match, cued: dict[str, list[int]],
                 context: set[str]) -> list[tuple[Concept, Match]]:
        """The concept a match stands for here; if none fits the context, shorter phrases inside it.

        "SSRI antidepressant" names an interacting class, but in "sertraline is an SSRI
        antidepressant" (no interaction cue) the shorter "SSRI" still states the mechanism.
        """
        concept = self._choose(match.concepts, cued, context, match.start)
        if concept is not None:
            return [(concept, match)]
        for shorter in (words[:-1], words[1:]):
            inner = [r for m in self.vocab.concepts.find(shorter)
                     for r in self._resolve(shorter[m.first_token:m.last_token + 1], m, cued, context)]
            if inner:
                return inner
        return []

    def frame_scopes(self, sentence: str) -> list[tuple[str, int, int, int]]:
        """(topic, frame start, scope start, scope end) of each frame ("tell your doctor if you have")."""
        rules = self.vocab.frames
        lowered = sentence.lower()
        scopes = []
        for topic, anchors, pattern in rules.frames:
            if not any(map(lowered.__contains__, anchors)):
                continue
            for m in pattern.finditer(sentence):
                scopes.append((topic, m.start(), m.end(), slot_end(sentence, m.end(), rules.scope_end)))
        return scopes

    def _framed(self, concepts: tuple[Concept, ...], topic: str) -> Concept | None:
        """The condition a framed match names, re-cast as a fact of the frame's topic."""
        for condition_topic in self.vocab.frames.condition_topics:
            for c in concepts:
                if c.topic == condition_topic:
                    return dataclasses.replace(c, topic=topic, key=f"{topic}.{slug(c.term)}", negatable=False,
                                               compose_with_condition=False)
        return None

    def _names_drug(self, fact: _Found, sentence: str, drugs: set[str | None]) -> bool:
        """Whether an interaction fact merely names a drug the passage is about ("atorvastatin" is a statin)."""
        if fact.topic != "interactions":
            return False
        stems = [t.norm for t in tokenize(sentence[fact.start:fact.end])]
        if any(c.key in drugs for c in self.vocab.drug_names.lookup(stems)):
            return True
        generic = self.vocab.drug_dictionary.get(" ".join(sentence[fact.start:fact.end].lower().split()))
        return generic is not None and generic in drugs  # a drug only the large dictionary knows ("bisoprolol")

    def section_drug(self, heading: str | None, page: PageContext) -> str | None:
        """The drug a section heading names, when it names exactly one ("Doxycycline and the sun").

        A heading about interactions ("Taking it with warfarin") names the other drug, not the subject.
        """
        if not heading or "interactions" in self.vocab.heading_topics(heading):
            return None
        named = {m.drug for m in page.drugs.mentions(tokenize(heading), self.vocab)}
        return named.pop() if len(named) == 1 else None

    def sentence_drug(self, tokens: list[Token], found: list[_Found], page: PageContext,
                      section_drug: str | None, subject: str | None) -> str | None:
        """The drug a sentence names as its subject: its first named subject drug that no fact is
        about, unless it also names the drug the passage is already about ("Tramadol with
        sertraline can cause ..." stays about sertraline)."""
        candidates = page.drugs.subjects | {section_drug} if section_drug else page.drugs.subjects
        if len(candidates) < 2:
            return None  # one possible subject: the passage is about it already
        mentions = page.drugs.mentions(tokens, self.vocab)
        if any(m.drug == subject for m in mentions):
            return None
        named = [m for m in mentions
                 if m.drug in candidates and not any(f.start < m.end and m.start < f.end for f in found)]
        return named[0].drug if named else None

    def _quantity_fact(self, sentence: str, q: Quantity, context: set[str], cued: set[str]) -> _Found | None:
        units = self.vocab.units
        if q.family in ("dose", "interval"):
            kind = ("dosing_interval" if q.family == "interval"
                    else quantity_kind(sentence, q, units.dose_kinds, "dose", look_after=0))
            suffix = "_per_kg" if "/kg" in q.unit else ""
            term = f"every {' '.join(sentence[q.start:q.end].split())}" if kind == "dosing_interval" else kind.replace("_", " ")
            return _Found("dosage", f"dosage.{kind}{suffix}", term, q.start, q.end, False, q.value_min, q.value_max, q.unit, kind="quantity")
        if q.family == "time":
            kind = quantity_kind(sentence, q, units.duration_kinds, None, units_of_kind=units.duration_kind_units)
            topic = units.time_topics.get(kind or "")
            if topic is not None and topic in context:
                return _Found(topic, f"{topic}.{kind}", kind.replace("_", " "), q.start, q.end, False,
                              q.value_min, q.value_max, q.unit, kind="quantity")
            if kind is None or kind in units.not_treatment_durations:
                return None  # a time with no cue saying what it measures (or not a treatment's) is not guessed at
            return _Found("duration", f"duration.{kind}", kind.replace("_", " "), q.start, q.end, False, q.value_min, q.value_max, q.unit, kind="quantity")
        if q.family == "strength":
            return _Found("dosage", "dosage.strength", "strength", q.start, q.end, False, q.value_min, q.value_max, q.unit, kind="quantity")
        if q.family == "rate":
            topic = "side_effects" if "side_effects" in context and "efficacy" not in context else "efficacy"
            name = "incidence_rate" if topic == "side_effects" else "response_rate"
            return _Found(topic, f"{topic}.{name}", name.replace("_", " "), q.start, q.end, False, q.value_min, q.value_max, q.unit, kind="quantity")
        if q.family in ("min_age", "max_age"):
            kind = "age_range" if q.value_min != q.value_max else q.family
            return _Found("dosage", f"dosage.{kind}", kind.replace("_", " "), q.start, q.end, False,
                          q.value_min, q.value_max, q.unit, kind="quantity")
        if q.family == "temperature":
            if "storage" not in cued:
                return None  # a temperature in a sentence not about storage ("a fever above 38 °C") is none
            before = units.temperature_limits.search(sentence, max(0, q.start - 16), q.start)
            term = f"store {before.group(1).lower() + ' ' if before else ''}{' '.join(sentence[q.start:q.end].split())}"
            return _Found("storage", "storage.temperature", term, q.start, q.end, False, q.value_min, q.value_max,
                          q.unit, kind="quantity")
        if q.family == "spf":
            return _Found("warnings", "warnings.sunscreen_spf", "sunscreen SPF", q.start, q.end, False, q.value_min, q.value_max, q.unit, kind="quantity")
        return None

    def sentence_cues(self, tokens: list[Token], matches: list[Match]) -> dict[str, list[int]]:
        """Where each topic is cued in a sentence (character offsets), leaving out cues inside a longer
        concept phrase of other topics ("alcohol" cues no interaction inside "alcohol withdrawal")."""
        starts = self.vocab.topic_cues.topic_starts(tokens)
        phrases = [m for m in matches if m.last_token > m.first_token]
        if not phrases:
            return starts
        kept: dict[str, list[int]] = {}
        for topic, positions in starts.items():
            outside = [s for s in positions
                       if not any(m.start <= s < m.end and all(c.topic != topic for c in m.concepts) for m in phrases)]
            if outside:
                kept[topic] = outside
        return kept

    def sentence_facts(self, sentence: str, context: set[str], cued: dict[str, list[int]],
                       tokens: list[Token], matches: list[Match], own_names: frozenset[str] = frozenset(),
                       line_slot: LeadIn | None = None) -> list[_Found]:
        """The facts one sentence states, given its topic context and its concept phrases.

        `line_slot` is the list a list line belongs to ("Side effects" over "- Blurred vision",
        or a line "Tell your doctor if you have:" before it): the whole line is a slot of it.
        """
        if line_slot is not None:
            context = context | {line_slot.topic}  # a line of a list is about what its lead-in said
        matches = sorted(matches + self._list_items(tokens, sentence, matches), key=lambda m: m.start)
        scopes = self.frame_scopes(sentence)
        if scopes:  # a frame cues its topic ("call your doctor right away if you notice" is a warning)
            cued = {**cued, **{t: [*cued.get(t, ()), f] for t, f, _, _ in scopes}}
        found: list[_Found] = []
        for m in matches:
            if any(f <= m.start and m.end <= a and all(c.topic != t for c in m.concepts) for t, f, a, _ in scopes):
                continue  # words of the frame itself ("speak to your doctor") state nothing more
            frame = next((t for t, _, a, b in scopes if a < m.end and m.start < b), None)
            framed = self._framed(m.concepts, frame) if frame else None
            resolved = [(framed, m)] if framed else self._resolve(tokens[m.first_token:m.last_token + 1], m, cued, context)
            for concept, hit in resolved:
                found.append(_Found(concept.topic, concept.key, concept.term, hit.start, hit.end,
                                    concept.negatable, compose=concept.compose_with_condition))
        slots = [Slot(t, f, a, b, False) for t, f, a, b in scopes] + find_slots(sentence, self.vocab.slots, cued, context)
        definition = definition_slot(sentence, self.vocab.slots, own_names)
        if definition is not None:
            slots.append(definition)
        if line_slot is not None:
            begin = self._line_slot_start(sentence)
            topic = self._line_lead_topic(sentence, begin, line_slot.topic)
            slots.append(Slot(topic, 0, begin, slot_end(sentence, begin, self.vocab.slots.ends), False,
                              generic=not line_slot.recast))
        found = self.medicines_for_conditions(sentence, found, context | set(cued) | {s.topic for s in slots})
        found = self.slot_facts(sentence, slots, matches, found, own_names, cued)
        found = self.sibling_facts(sentence, matches, found, own_names, set(cued))
        found = [self.named_substance(sentence, f, own_names) if f.topic == "interactions" else f for f in found]
        topics = context | set(cued)
        if not self.vocab.slots.named_drug_topics.isdisjoint(topics):
            found = found + self.named_drugs(sentence, tokens, found, own_names)
        elif self.vocab.slots.named_drug_list_vetoes.isdisjoint(topics):
            others = self.named_drugs(sentence, tokens, found, own_names)
            if len({f.key for f in others}) >= self.vocab.slots.named_drug_list_min:
                found = found + others  # a sentence listing other drugs names them as combinations
        for rule, m in find_summaries(sentence, self.vocab.slots):
            key = f"{rule.topic}.{slug(rule.term)}"
            found = [f for f in found if f.topic not in rule.absorbs and f.key != key] + [
                _Found(rule.topic, key, rule.term, m.start(), m.end(), False, shows_words=False)]
        if (_DIGIT.search(sentence) or not self.vocab.units.number_stems.isdisjoint(stems_of(tokens))
                or self.vocab.units.article_duration.search(sentence)):
            quantities = find_quantities(sentence, self.vocab.units, self._quantity_pattern)
        else:
            quantities = []  # every quantity starts with a number or an article: a cheap test skips most sentences
        separates_drugs = any(f.topic == "interactions" for f in found)
        named = [(f.start, f.end) for f in found if f.kind == "concept"]
        for q in quantities:
            if q.family == "rate" and any(a <= q.start and q.end <= b for a, b in named):
                continue  # a percentage inside a named phrase ("100% safe") is no rate of its own
            if q.family == "spacing":
                if separates_drugs:
                    continue  # "take them 4 hours apart" keeps this drug away from another one
                q = dataclasses.replace(q, family="interval")
            fact = self._quantity_fact(sentence, q, context | set(cued), set(cued))
            if fact is not None:
                found.append(fact)
        if not self.vocab.units.dosage_form_stems.isdisjoint(stems_of(tokens)):
            strength_ends = {f.end for f in found if f.kind == "quantity" and f.unit and f.key not in _NOT_DOSES}
            found += [_Found("dosage", f"dosage.form.{slug(form.term)}", form.term, form.start, form.end, False,
                             kind="open") for form in find_dosage_forms(sentence, self.vocab.units, strength_ends)]
        if {"dosage", "administration"} & (context | set(cued)) or any(f.key.startswith("dosage.") for f in found):
            found += [_Found("dosage", "dosage.frequency", q.term, q.start, q.end, False, q.low, q.high, q.unit,
                             kind="quantity") for q in find_frequencies(sentence, self.vocab.units, self._frequency_pattern)]
        found = self.without_signs(sentence, found)
        if any(f.topic == "access" for f in found):  # "prescription and over-the-counter medicines" are other products
            others = [m.span() for m in self.vocab.slots.other_products.finditer(sentence)]
            found = [f for f in found if f.topic != "access" or not any(a <= f.start and f.end <= b for a, b in others)]
        found = _merge_duration_steps(sentence, found, self.vocab.units.dose_steps)
        return _merge_dose_steps(sentence, _merge_strength_lists(sentence, found), self.vocab.units.dose_steps,
                                self.vocab.units.dose_increments)

    def _line_slot_start(self, sentence: str) -> int:
        """Where the slot of a list line starts: after the wording that completes its lead-in ("- if
        you have kidney disease" under "Talk to your doctor before taking it:"), whose "if" would
        otherwise end the slot before it starts."""
        first = WRITTEN_WORD.search(sentence)
        if first is None:
            return 0
        lead = self.vocab.slots.lead_phrases.match(sentence, first.start())
        return lead.end() if lead else 0

    def _line_lead_topic(self, sentence: str, begin: int, topic: str) -> str:
        """The topic of a list line whose opening wording leads to another one ("- if you are taking
        diuretics" under a warnings lead-in is an interaction; `slots.yaml`: item_topic_leads)."""
        for lead_topic, lead in self.vocab.slots.item_topic_leads.items():
            found = lead.search(sentence)
            if found is not None and found.start() < begin:
                return lead_topic
        return topic

    def without_signs(self, sentence: str, found: list[_Found]) -> list[_Found]:
        """The facts of a sentence "condition - its signs" ("low sodium level - headache, confusion")
        without the conditions named among the signs: they describe the condition the head names
        (grammar.yaml: condition_signs)."""
        m = self.vocab.condition_signs.match(sentence)
        if m is None or len(m.group("head").split()) > self.vocab.condition_head_words:
            return found
        head, signs = m.span("head"), m.start("signs")
        conditions = self.vocab.frames.condition_topics
        if not any(f.kind == "concept" and f.topic in conditions and head[0] <= f.start and f.end <= head[1]
                   for f in found):
            return found  # "other serotonin drugs - SSRIs, SNRIs" lists examples, not signs
        return [f for f in found if f.start < signs or f.topic not in conditions]

    def is_list_line(self, block: Block) -> bool:
        """Whether a block is a line of a list: a list item, or a short line that ends no sentence
        ("sickness, vomiting, upset stomach;"); a question ("Need help?") lists nothing."""
        text = block.text.rstrip()
        if text.endswith(("?", ":")):
            return False
        return block.kind == "list_item" or (
            block.kind == "paragraph" and not text.endswith((".", "!"))
            and len(text.split()) <= self.vocab.slots.max_list_line_words)

    def line_slot(self, block: Block, heading_topics: set[str], lead: LeadIn | None) -> LeadIn | None:
        """The slot a list line fills: the list its lead-in line opened ("Tell your doctor if you
        have:"), else its section heading's topic when the heading names one list topic."""
        if not self.is_list_line(block):
            return None
        if lead is not None:
            return lead
        topics = heading_topics & self.vocab.slots.list_topics
        return LeadIn(next(iter(topics)), False) if len(topics) == 1 else None

    def lead_in(self, text: str | None) -> LeadIn | None:
        """The list a line ending in a colon opens for the lines after it: the topic of the frame
        or slot that ends the line with nothing after it ("Tell your doctor if you have ever had:",
        "Common side effects include:"), and whether its items take that topic over their own.
        A line ending in "if" opens the list its frame would with "you" ("Do not use it if…")."""
        text = (text or "").rstrip()
        open_if = self.vocab.open_if_lead_in.search(text)
        if open_if:  # "Don't use it if…": each item completes the frame ("you have X")
            text = text[:open_if.start(1)] + " you:"
        if not text.endswith(":"):
            return None
        for topic, _, a, _ in self.frame_scopes(text):
            if not text[a:].strip(" :"):
                return LeadIn(topic, True)
        tokens = tokenize(text)
        cues = self.sentence_cues(tokens, self.vocab.concepts.find(tokens))
        for slot in find_slots(text, self.vocab.slots, cues, set(cues)):
            if slot.end == len(text) and not slot.whole and not text[slot.start:].strip(" :"):
                return LeadIn(slot.topic, not slot.generic)
        return None

    def statement_fact(self, sentence: str, topic: str, own_names: frozenset[str]) -> list[_Found]:
        """The one open fact a sentence cued for a statement topic states when nothing else is found:
        the sentence in its own words, cut short (`slots.yaml`: statement_topics)."""
        rules = self.vocab.slots
        if topic not in rules.statement_topics or len(sentence.split()) < rules.min_statement_words:
            return []  # a short line ("Storing your tablets") is a heading, not a statement
        slot = Slot(topic, 0, 0, len(sentence), True, rules.max_statement_words)
        spans = split_items(sentence, slot, rules)
        term = open_term(sentence, *spans[0], rules, own_names, whole=True) if spans else None
        if term is None:
            return []
        return [_Found(topic, open_key(topic, term), term.term, term.start, term.end,
                       topic in self.vocab.negation.negatable_topics, kind="open")]

    def _classes_among_other_drugs(self, found: list[_Found]) -> list[_Found]:
        """A drug class named in a sentence that lists other drugs to combine with ("NSAIDs such as
        ibuprofen", "SSRI or SNRI antidepressants such as fluoxetine") is one of them, an interaction,
        not the page drug's own class."""
        if not any(f.topic == "interactions" and f.kind in _NAMED_DRUG_KINDS for f in found):
            return found
        return [_as_topic(f, "interactions") if f.topic == "mechanism" and f.key in self.vocab.class_keys else f
                for f in found]

    def _effects_on_the_baby(self, sentence: str, found: list[_Found], cued: set[str]) -> list[_Found]:
        """The side effects a pregnancy sentence names with the baby ("can harm an unborn baby,
        including causing spina bifida") are pregnancy facts."""
        if "pregnancy" not in cued or not self.vocab.slots.the_baby.search(sentence):
            return found
        return [_as_topic(f, "pregnancy") if f.topic == "side_effects" else f for f in found]

    def with_statements(self, sentence: str, found: list[_Found], cue_starts: dict[str, list[int]],
                        heading: set[str], own_names: frozenset[str]) -> tuple[list[str], list[_Found]]:
        """The topics of a sentence's claims and its facts with the statement facts it adds: a cued
        sentence that names nothing states its most cued topic (a claim even without a fact); an
        uncued one under a statement topic's heading states that topic ("How it works"); a
        sentence cued for an `always_stated` topic states it whatever else it names."""
        rules = self.vocab.slots
        topics = list(dict.fromkeys(f.topic for f in found))
        if not topics and cue_starts:
            topics = [max(sorted(cue_starts), key=lambda t: len(cue_starts[t]))]
            found = self.statement_fact(sentence, topics[0], own_names)
        elif not topics and len(heading & rules.statement_topics) == 1:
            found = self.statement_fact(sentence, next(iter(heading & rules.statement_topics)), own_names)
            topics = [f.topic for f in found]
        for topic in sorted((rules.always_stated & set(cue_starts)) - set(topics)):
            stated = self.statement_fact(sentence, topic, own_names)
            topics, found = topics + [f.topic for f in stated[:1]], found + stated
        return topics, found

    def _other_drug(self, sentence: str, start: int, end: int, own_names: frozenset[str]) -> str | None:
        """The generic name of the drug `sentence[start:end]` names in the drug dictionary, unless it
        is the page's own drug."""
        words = " ".join(sentence[start:end].lower().split())
        generic = self.vocab.drug_dictionary.get(words)
        return None if generic is None or generic in own_names or words in own_names else generic

    def named_drugs(self, sentence: str, tokens: list[Token], found: list[_Found],
                    own_names: frozenset[str]) -> list[_Found]:
        """Interaction facts of the other drugs a sentence names that no fact covers yet ("it also
        boosts the effect of warfarin ... lithium, ciclosporin"): a drug the dictionary knows, not the
        page's own, in a sentence about combining, warnings or who should not take it."""
        added: list[_Found] = []
        covered = [(f.start, f.end) for f in found]
        starts = self._drug_first_words
        i = 0
        while i < len(tokens):
            if sentence[tokens[i].start:tokens[i].end].lower() not in starts:
                i += 1
                continue
            for width in (3, 2, 1):
                if i + width > len(tokens):
                    continue
                a, b = tokens[i].start, tokens[i + width - 1].end
                generic = self._other_drug(sentence, a, b, own_names)
                if generic is None or any(s < b and a < e for s, e in covered):
                    continue
                added.append(_drug_interaction(generic, a, b))
                i += width - 1
                break
            i += 1
        return added

    def medicines_for_conditions(self, sentence: str, found: list[_Found], topics: set[str]) -> list[_Found]:
        """In a sentence about combining drugs, a condition named as what other medicines are for
        ("medicine for anxiety or seizures", "other medicines for an uneven heartbeat") names a
        kind of medicine to combine with, not a condition of this drug (`slots.yaml`: medicines_for)."""
        if "interactions" not in topics:
            return found
        conditions = self.vocab.frames.condition_topics
        out: list[_Found] = []
        head: str | None = None  # the medicine word of the run in progress ("medicine")
        run_end = -1
        for f in sorted(found, key=lambda f: f.start):
            if f.topic not in conditions or f.value_min is not None:
                out.append(f)
                continue
            named = self.vocab.slots.medicines_for.search(sentence[:f.start])
            if named is not None and named.end() == f.start:
                head, term = named.group("head").lower(), " ".join(sentence[named.start("head"):f.end].lower().split())
            elif head is not None and (_JOINED.fullmatch(sentence[run_end:f.start])
                                       or sentence[run_end:f.start].strip() == ","):
                term = f"{head} for {' '.join(sentence[f.start:f.end].lower().split())}"
            else:
                head = None
                out.append(f)
                continue
            run_end = f.end
            out.append(_Found("interactions", f"interactions.medicines_for_{f.key.split('.', 1)[1]}", term,
                              f.start, f.end, True, kind="open"))
        return out

    def named_substance(self, sentence: str, fact: _Found, own_names: frozenset[str]) -> _Found:
        """An interaction fact whose words are one drug's name in the drug dictionary, keyed by that
        drug ("Coumadin" -> `interactions.warfarin`; "esomeprazole" rather than the class the
        vocabulary files it under): a page listing three drugs of one class states three facts."""
        generic = self._other_drug(sentence, fact.start, fact.end, own_names)
        if generic is None or fact.value_min is not None:
            return fact
        if stems_of(tokenize(generic)) == stems_of(tokenize(fact.term)):
            return fact  # the vocabulary names this substance already ("nitrates")
        return fact._replace(key=f"interactions.{slug(generic)}", term=generic, kind="concept")

    def slot_facts(self, sentence: str, slots: list[Slot], matches: list[Match], found: list[_Found],
                   own_names: frozenset[str], cued: dict[str, list[int]]) -> list[_Found]:
        """`found` with the facts of every slot's items (see `item_facts`). Slots are taken in order,
        frames first: an item an earlier slot took is not taken again. Within a list, an item led by
        a wording of another topic ("..., or if you take MAOIs") and the items after it take that
        topic (`slots.yaml`: item_topic_leads)."""
        rules = self.vocab.slots
        found = list(found)
        taken: list[tuple[int, int]] = []
        for slot in slots:
            if slot.whole and any((slot.alone or f.topic == slot.topic) and slot.start <= f.start < slot.end
                                  for f in found):
                continue  # the vocabulary already names what this phrase says
            topic, previous_end = slot.topic, slot.start
            items = split_items(sentence, slot, rules)
            for i, (a, b) in enumerate(items):
                shared = None if slot.whole else self._framed(self._shared_head(sentence, items, i, matches), topic)
                if shared is not None:
                    found.append(_Found(topic, shared.key, shared.term, a, b, topic in self.vocab.negation.negatable_topics))
                    taken.append((a, b))
                    previous_end = b
                    continue
                if not slot.whole:
                    topic = next((t for t, lead in rules.item_topic_leads.items()
                                  if lead.search(sentence, previous_end, a)), topic)
                previous_end = b
                if not slot.whole:  # a whole slot (a phrase said as a whole) takes no list item away
                    if any(s < b and a < e for s, e in taken):
                        continue
                    taken.append((a, b))
                found = self.item_facts(sentence, slot._replace(topic=topic), a, b, matches, found, own_names, cued)
        return found

    def sibling_facts(self, sentence: str, matches: list[Match], found: list[_Found],
                      own_names: frozenset[str], cued: set[str]) -> list[_Found]:
        """`found` with the facts of the unnamed items of a bare list whose named items are mostly of
        one list topic (`slots.yaml`: list_min_items, list_min_known). When no item's concept is
        resolved, the concepts' own topics vote, unless the sentence cues a topic that says what
        else such a list is (`list_vote_vetoes`: "it calms shaking, sweating and a pounding heart")."""
        rules = self.vocab.slots
        negatable = self.vocab.negation.negatable_topics
        added: list[_Found] = []
        named = sum(1 for f in found if f.topic in rules.list_topics) + len(matches)
        if named < rules.list_min_known or "," not in sentence:
            return found  # too few named things for a list, or no comma (bare_lists needs one): skip the split
        for items in bare_lists(sentence, rules):
            topics = [{f.topic for f in found if f.value_min is None and f.start < b and a < f.end} for a, b in items]
            inner = [[m for m in matches if a < m.end and m.start < b] for a, b in items]
            votes = Counter(t for item_topics in topics for t in item_topics if t in rules.list_topics)
            if not votes and rules.list_vote_vetoes.isdisjoint(cued):
                # nothing resolved: the concepts' own topics vote ("aggression, dry mouth, tremor")
                votes = Counter(t for item_topics, ms in zip(topics, inner) if not item_topics
                                for t in {c.topic for m in ms for c in m.concepts} & rules.list_topics)
            known = votes.most_common(2)
            if not known or known[0][1] < rules.list_min_known or (len(known) > 1 and known[1][1] == known[0][1]):
                continue
            topic = known[0][0]
            for (a, b), item_topics, ms in zip(items, topics, inner):
                if item_topics:
                    continue
                if ms:
                    concept = next((c for m in ms for c in m.concepts if c.topic == topic), None)
                    if concept is not None:
                        m = next(m for m in ms if concept in m.concepts)
                        added.append(_Found(topic, concept.key, concept.term, m.start, m.end, concept.negatable))
                    continue
                term = open_term(sentence, a, b, rules, own_names)
                if term is not None:
                    added.append(_Found(topic, open_key(topic, term), term.term, a, b, topic in negatable, kind="open"))
        return found + added

    def _shared_head(self, sentence: str, items: list[tuple[int, int]], i: int, matches: list[Match]) -> tuple[Concept, ...]:
        """The concept an item of one word (after generic modifiers) names with the head word of a
        later item of the same run, when the items are joined by commas and "or"/"and" ("severe liver
        or kidney disease": liver disease; "chest, ear or urinary infections": chest infection), if
        the vocabulary has it."""
        (a, b) = items[i]
        if any(a < m.end and m.start < b for m in matches):
            return ()
        first = tokenize(sentence[a:b])
        words = WRITTEN_WORD.findall(sentence, a, b)
        if not first or len(words) != len(first) or any(
                w.lower() not in self.vocab.slots.generic_modifiers for w in words[:-1]):
            return ()
        for j in range(i + 1, len(items)):
            gap = sentence[items[j - 1][1]:items[j][0]]
            if not (_JOINED.fullmatch(gap) or gap.strip() == ","):
                return ()
            rest = tokenize(sentence[items[j][0]:items[j][1]])
            if len(rest) >= 2:
                return self.vocab.concepts.lookup([first[-1].norm, rest[-1].norm])
            if len(rest) != 1:
                return ()
        return ()

    def _qualified(self, sentence: str, a: int, fact: _Found, matches: list[Match]) -> _Found | None:
        """A concept fact that heads a list item, narrowed by the words the item puts before it
        ("kidney infections", "travellers' diarrhoea"): its key gains their stems, its span their
        words; None when those words are no qualifier (a quantifier, a generic modifier, a concept,
        a number, more than `max_qualifier_words`)."""
        rules = self.vocab.slots
        words = list(WRITTEN_WORD.finditer(sentence, a, fact.start))
        if not words or len(words) > rules.max_qualifier_words or sentence[words[-1].end():fact.start].strip(" '’"):
            return None
        lowered = [w.group().lower() for w in words]
        if any(w in rules.edge_words or w in rules.refused_words or w in rules.generic_modifiers
               or w in rules.refused_starts or w in rules.refused_inner or w[0].isdigit() for w in lowered):
            return None
        if any(words[0].start() < m.end and m.start < fact.start for m in matches):
            return None
        stems = [t.norm for t in tokenize(sentence[words[0].start():fact.start])]
        return fact._replace(key=f"{fact.key}.{'_'.join(slug(s) for s in stems)}", start=words[0].start())

    def _drug_item(self, sentence: str, a: int, b: int, inner: list[Match], own_names: frozenset[str]) -> _Found | None:
        """The interaction fact of a list item that is, as a whole, another drug: one the drug
        dictionary knows, or a substance of the interactions vocabulary."""
        generic = self._other_drug(sentence, a, b, own_names)
        if generic is not None:
            return _drug_interaction(generic, a, b)
        substance = next((c for m in inner if m.start <= a and b <= m.end for c in m.concepts
                          if c.topic == "interactions"), None)
        return None if substance is None else _Found("interactions", substance.key, substance.term, a, b, True)

    def item_facts(self, sentence: str, slot: Slot, a: int, b: int, matches: list[Match], found: list[_Found],
                   own_names: frozenset[str], cued: dict[str, list[int]]) -> list[_Found]:
        """`found` with the fact of one slot item `sentence[a:b]`: a fact inside the item takes the
        slot's topic when its own topic may be re-cast (`slots.yaml`: recast_topics); a concept match
        nothing resolved is re-cast like a framed condition; an item naming no concept becomes an
        open term, of the slot's topic unless the item cues a topic that is always stated
        (`slots.yaml`: always_stated; "if you are pregnant" names a pregnancy fact, not a
        contraindication); a weaker cue inside an item ("lower legs", "good oral hygiene") does not."""
        rules = self.vocab.slots
        negatable = self.vocab.negation.negatable_topics
        inside = [] if slot.whole else [f for f in found if f.start < b and a < f.end]
        if any(f.topic == slot.topic for f in inside):
            if len(inside) == 1 and inside[0].kind == "concept":
                qualified = self._qualified(sentence, a, inside[0], matches)
                if qualified is not None:  # "kidney infections": the item's own kind of infection
                    return [qualified if f is inside[0] else f for f in found]
            return found
        if inside:
            if slot.generic or is_clause(sentence, a, b, rules) or not all(
                    f.topic in rules.recast_topics and f.value_min is None for f in inside):
                return found
            return [f for f in found if f not in inside] + [
                _as_topic(f, slot.topic)._replace(negatable=slot.topic in negatable) for f in inside]
        inner = [m for m in matches if a < m.end and m.start < b]
        if not slot.whole and slot.topic in rules.drug_item_topics:
            drug = self._drug_item(sentence, a, b, inner, own_names)
            if drug is not None:  # an item that is another drug ("digoxin") is one to combine with
                return found + [drug]
        if inner and not slot.whole:
            concept = self._framed(inner[0].concepts, slot.topic)
            if concept is not None:
                fact = _Found(slot.topic, concept.key, concept.term, inner[0].start, inner[0].end, slot.topic in negatable)
                return found + [self._qualified(sentence, a, fact, matches) or fact]
            if not slot.naming:
                return found  # a known concept of another kind ("pregnant") is no open term
        topic = slot.topic
        if not slot.whole:
            own = {t for t, starts in cued.items()
                   if t != topic and t in rules.always_stated and any(a <= p < b for p in starts)}
            if len(own) > 1:
                return found
            topic = own.pop() if own else topic
        term = open_term(sentence, a, b, rules, own_names, slot.whole, slot.common_words)
        if term is None:
            return found
        return found + [_Found(topic, open_key(topic, term), term.term, a, b, topic in negatable, kind="open")]

    def read_page(self, page_id: str, source: str, blocks: list[Block]) -> tuple[PageDrugs, list[Claim], list[Fact]]:
        """The drugs, claims and facts of one page's blocks (each sentence is tokenized once for all three)."""
        sentences = content_sentences(blocks, self.vocab)
        content = "\n".join(b.text for b in blocks if not b.is_boilerplate)
        drugs = find_page_drugs(content, self.vocab, [t for s in sentences for t in s.tokens])
        claims, facts = self.extract(PageContext(page_id, source, drugs), blocks, sentences)
        return drugs, claims, facts

    def extract(self, page: PageContext, blocks: list[Block],
                sentences: list[Sentence] | None = None) -> tuple[list[Claim], list[Fact]]:
        """Claims and facts of one page's blocks (boilerplate and in-page repeats are skipped).

        `sentences` are the blocks' `content_sentences`, if already made. Only the page itself
        is looked at, so a page's claims do not change when other pages do.
        """
        claims: list[Claim] = []
        facts: list[Fact] = []
        sentences = content_sentences(blocks, self.vocab) if sentences is None else sentences
        seen_sentences = SentenceRepeats([s.view for s in sentences], self.vocab.copies)
        words_of_block: defaultdict[int, list[str]] = defaultdict(list)
        for s in sentences:
            words_of_block[s.block.block_index] += stems_of(s.tokens)
        repeats = exact_repeats(words_of_block)
        sections: dict[str | None, tuple[set[str], str | None]] = {}
        own_names = page.own_names
        block: Block | None = None
        lead: LeadIn | None = None  # the list a lead-in line ("... if you have:") opened
        for position, sentence_of_block in enumerate(sentences):
            if sentence_of_block.block is not block:
                if block is not None:  # a lead-in line or heading opens a list; a line of another kind ends it
                    lead = self.lead_in(self.vocab.unspin(normalize_chars(block.text))[0]) or (
                        lead if self.is_list_line(block) else None)
                block = sentence_of_block.block
                if block.section not in sections:
                    heading_text = self.vocab.unspin(block.section)[0] if block.section else block.section
                    sections[block.section] = (self.vocab.heading_topics(heading_text), self.section_drug(block.section, page))
                heading, section_drug = sections[block.section]
                subject = section_drug or page.drug
                carried: set[str] = set()
                line_slot = self.line_slot(block, heading, lead)
            if block.block_index in repeats:
                continue
            _, s_index, a, scraped, sentence, tokens, _ = sentence_of_block
            in_text = sentence_of_block.in_text
            start = block.char_start + a
            matches = self.vocab.concepts.find(tokens)
            cue_starts = self.sentence_cues(tokens, matches)
            cued = set(cue_starts)
            if block.kind == "heading":  # a heading states only what it cues itself ("Prescription Required")
                found = [f for f in self.sentence_facts(sentence, cued, cue_starts, tokens, matches, own_names)
                         if ((f.kind == "concept" and f.topic in cued) or f.key == "dosage.strength")
                         and not self._names_drug(f, sentence, {subject, page.drug})]
                # ... and the strengths a product title lists ("Cephalexin 250mg / 500mg / 750mg")
                topics = list(dict.fromkeys(f.topic for f in found))
            else:
                asked = sentence.rstrip().endswith("?")  # a question on a list line ("Have a question?") lists nothing
                found = self.sentence_facts(sentence, cued | carried | heading, cue_starts, tokens, matches,
                                            own_names, None if asked else line_slot)
                found = [f for f in found if not self._names_drug(f, sentence, {subject, page.drug})]
                subject = self.sentence_drug(tokens, found, page, section_drug, subject) or subject
                found = [f for f in found if not self._names_drug(f, sentence, {subject})]
                found = self._classes_among_other_drugs(found)
                found = self._effects_on_the_baby(sentence, found, cued)
                carried |= cued
                topics, found = self.with_statements(sentence, found, cue_starts, heading, own_names)
            if not topics:
                continue
            sentence_id = f"{page.page_id}#{block.block_index}:{s_index}"
            dup_of = seen_sentences.repeat_of(position, sentence_id, frozenset((f.key, f.value_min, f.value_max, f.unit) for f in found))
            hedged = bool(self.vocab.negation.hedge.search(sentence))
            may_negate = any(f.negatable for f in found) and self.vocab.negation.negation.search(sentence) is not None
            for topic in topics:
                topic_facts = [f for f in found if f.topic == topic]
                negs = [may_negate and f.negatable and self._negated(sentence, f.start) for f in topic_facts]
                claim_id = f"{sentence_id}:{topic}"
                claims.append(Claim(
                    claim_id=claim_id, page_id=page.page_id, source=page.source, drug=subject,
                    block_index=block.block_index, topic=topic, text=scraped,
                    char_start=start, char_end=start + len(scraped),
                    negated=bool(negs) and all(negs), hedged=hedged, dup_of=dup_of,
                ))
                shown_terms: dict[str, list[str]] = defaultdict(list)  # key -> terms shown in this claim
                clause_ends: dict[str, int] = {}  # clause key -> where its last shown mention ends
                for f, negated in zip(topic_facts, negs):
                    canonical = f.term if not f.compose else "treatment-resistant"
                    shown = f.kind == "concept" and f.shows_words and f.value_min is None
                    if shown and f.key in self.vocab.clause_keys:
                        term = clause_term(canonical, sentence, f.start, f.end, self.vocab.slots.max_statement_words)
                    else:
                        term = shown_term(canonical, sentence, f.start, f.end, self.vocab.slots) if shown else canonical
                    if f.value_min is None and shown_terms[f.key] and (
                            term == canonical or term in shown_terms[f.key]
                            or f.key in clause_ends and not _CLAUSE_BREAK.search(sentence, clause_ends[f.key], f.start)):
                        continue  # one key once a claim, unless the page words it differently ("stomach and duodenal ulcers")
                    if f.key in self.vocab.clause_keys:  # "$12.50 ($0.41 per pill)" is one price; ", and ..." another
                        clause_ends[f.key] = f.end
                    shown_terms[f.key].append(term)
                    facts.append(Fact(
                        fact_id=f"{claim_id}:{sum(map(len, shown_terms.values()))}", claim_id=claim_id, page_id=page.page_id,
                        source=page.source, drug=subject, topic=topic, key=f.key, key_kind=f.kind,
                        term=term,
                        canonical=canonical, surface=scraped[in_text(f.start):in_text(f.end)],
                        value_min=f.value_min, value_max=f.value_max, unit=f.unit,
                        negated=negated, hedged=hedged, evidence=scraped,
                        char_start=start + in_text(f.start), char_end=start + in_text(f.end), counted=dup_of is None,
                    ))
        return claims, _compose_terms(facts, self.vocab)


def _drug_interaction(generic: str, start: int, end: int) -> _Found:
    """The interaction fact of another drug named by its generic name at `start`-`end`."""
    return _Found("interactions", f"interactions.{slug(generic)}", generic, start, end, True)


def _as_topic(found: _Found, topic: str) -> _Found:
    """A fact moved to another topic, its key with it ("mechanism.ssri" -> "interactions.ssri")."""
    return found._replace(topic=topic, key=f"{topic}.{found.key.split('.', 1)[1]}")


_NAMED_DRUG_KINDS = frozenset({"concept", "open"})
_CLAUSE_BREAK = re.compile(r"[;,]|\s(and|but|while|whereas)\s")  # between two statements of one clause key
_NOT_DOSES = frozenset({"dosage.dosing_interval", "dosage.frequency"})  # dosage quantities that are no amount
_JOINED = re.compile(r"\s+(or|and|and/or)\s+")
_STRENGTH_LIST_GAP = re.compile(r"^\s*(,|;|/|\||,?\s*(and|or|&))?\s*$")


def _merge_strength_lists(sentence: str, found: list[_Found]) -> list[_Found]:
    """A list of single doses in one unit ("Strengths: 2.5 mg, 5 mg, 10 mg", "comes as 5 mg, 10 mg
    and 20 mg tablets") is one strength fact, a range from the lowest to the highest."""
    doses = sorted((f for f in found if f.kind == "quantity" and f.topic == "dosage" and f.unit
                    and f.value_min == f.value_max and f.key not in _NOT_DOSES), key=lambda f: f.start)
    runs: list[list[_Found]] = []
    for f in doses:
        if runs and runs[-1][-1].unit == f.unit and _STRENGTH_LIST_GAP.match(sentence[runs[-1][-1].end:f.start]):
            runs[-1].append(f)
        else:
            runs.append([f])
    merged = [run for run in runs if len(run) > 1]
    if not merged:
        return found
    members = {id(f) for run in merged for f in run}
    kept = [f for f in found if id(f) not in members]
    for run in merged:
        low, high = min(f.value_min for f in run), max(f.value_max for f in run)
        kept.append(run[0]._replace(key="dosage.strength", term="strength", end=run[-1].end,
                                    value_min=low, value_max=high))
    return kept


def _merge_dose_steps(sentence: str, found: list[_Found], steps: re.Pattern, increments: re.Pattern) -> list[_Found]:
    """A dose and a higher dose it may be raised to in one sentence ("start at 10 mg a day, which may
    be increased to 20 mg") are one range (CONVENTIONS), in the per-day unit if either has it; not
    when the first is a maximum, the size of a step ("raised in steps of 50 mg up to 200 mg") or
    a range of its own ("15 to 30 mg a day; the maximum is 60 mg")."""
    doses = sorted((f for f in found if f.kind == "quantity" and f.topic == "dosage" and f.unit
                    and f.key not in _NOT_DOSES and "age" not in f.key.split(".", 1)[1].split("_")),
                   key=lambda f: f.start)
    if len(doses) != 2:
        return found
    low, high = doses
    same_unit = low.unit.removesuffix("/day") == high.unit.removesuffix("/day")
    if (not same_unit or high.value_max <= low.value_max or low.value_min != low.value_max
            or low.key.removesuffix("_per_kg") == "dosage.max_dose"
            or not steps.search(sentence, low.end, high.start) or increments.search(sentence, 0, low.start)):
        return found
    unit = low.unit if low.unit.endswith("/day") else high.unit
    return [f for f in found if f is not low and f is not high] + [
        low._replace(end=high.end, value_max=high.value_max, unit=unit)]


def _merge_duration_steps(sentence: str, found: list[_Found], steps: re.Pattern) -> list[_Found]:
    """A course length and a longer one it may go on to in one sentence ("usually lasts 5 years, and
    some people continue for up to ten years") are one range, as doses are (`_merge_dose_steps`);
    not across a semicolon, which separates two regimens ("6 weeks for GERD; up to 12 weeks for ...")."""
    courses = sorted((f for f in found if f.kind == "quantity" and f.key == "duration.course_length"),
                     key=lambda f: f.start)
    if len(courses) != 2:
        return found
    low, high = courses
    if (low.unit != high.unit or low.value_min != low.value_max or high.value_max <= low.value_max
            or ";" in sentence[low.end:high.start] or not steps.search(sentence, low.end, high.start)):
        return found
    return [f for f in found if f is not low and f is not high] + [low._replace(end=high.end, value_max=high.value_max)]


def _taken_for_topics(matches: list[Match], topics: set[str]) -> set[int]:
    """Token indexes that matches naming concepts of these topics cover (not list items of another)."""
    return {i for m in matches if any(c.topic in topics for c in m.concepts)
            for i in range(m.first_token, m.last_token + 1)}


def _compose_terms(facts: list[Fact], vocab: Vocabulary) -> list[Fact]:
    """Complete `treatment-resistant` terms with the page's most mentioned condition."""
    bases: Counter[str] = Counter()
    for f in facts:
        if f.topic == "indication" and f.canonical != "treatment-resistant":
            for concept in vocab.concepts.lookup([t.norm for t in tokenize(f.canonical)]):
                if concept.key == f.key:
                    bases[concept.base or concept.term] += 1
    condition = bases.most_common(1)[0][0] if bases else "condition"
    return [
        dataclasses.replace(f, term=f"treatment-resistant {condition}", canonical=f"treatment-resistant {condition}")
        if f.canonical == "treatment-resistant" else f
        for f in facts
    ]


def display(fact: Fact) -> str:
    """The value a comparison cell shows for a fact."""
    return display_value(fact.value_min, fact.value_max, fact.unit) or fact.term
