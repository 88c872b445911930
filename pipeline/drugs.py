"""Which drugs a page is about: generic names, brand names, and brands the page names itself."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .lexicon import Concept, Lexicon
from .text import WRITTEN_WORD, Token, tokenize
from .vocabulary import DRUG_TOPIC, DrugPattern, Vocabulary

# A generic name the vocabulary does not know must be at least this long to be trusted.
MIN_UNKNOWN_GENERIC_LENGTH = 6
# A drug the page names at least this often can head a passage of its own (per-fact attribution);
# one passing mention ("combine it with minoxidil") never takes facts away from the main drug.
MIN_MENTIONS_FOR_SUBJECT = 2
# Characters around an anchor ("active ingredient") within which a drug pattern must match.
ANCHOR_WINDOW = 60


class DrugMention(NamedTuple):
    """A place where a page names a drug (by generic or brand name), as a token span."""

    drug: str
    name: str
    first_token: int
    start: int
    end: int


@dataclass(frozen=True)
class PageDrugs:
    """The drugs a page names: its main drug, the brands it uses for it, and the drugs that can head a passage."""

    main: str | None
    brands: tuple[str, ...]
    subjects: frozenset[str]
    learned: Lexicon = field(default_factory=Lexicon, compare=False)

    def mentions(self, tokens: list[Token], vocab: Vocabulary) -> list[DrugMention]:
        """Drugs named in a token list, left to right (known names and the page's own brand names)."""
        found = [
            DrugMention(m.concepts[0].key, m.concepts[0].term, m.first_token, m.start, m.end)
            for lexicon in (vocab.drug_names, self.learned) for m in lexicon.find(tokens)
        ]
        return sorted(found, key=lambda d: d.first_token)


def _near_anchors(text: str, lowered: str, rule: DrugPattern) -> Iterator[re.Match]:
    """Matches of a drug pattern in windows of whole words around its anchors."""
    for anchor in rule.anchors:
        i = lowered.find(anchor)
        while i >= 0:
            start = text.rfind(" ", 0, max(0, i - ANCHOR_WINDOW)) + 1
            end = text.find(" ", i + len(anchor) + ANCHOR_WINDOW)
            yield from rule.pattern.finditer(text, start, len(text) if end < 0 else end)
            i = lowered.find(anchor, i + 1)


def _inside_word(text: str, start: int) -> bool:
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")


def learn_brands(text: str, vocab: Vocabulary) -> dict[str, str]:
    """Brand -> generic pairs the page states ("Sotret, containing the active ingredient isotretinoin")."""
    learned: dict[str, str] = {}
    lowered = text.lower() if text.isascii() else text.encode("ascii", "replace").decode().lower()
    for rule in vocab.drug_patterns:
        for m in _near_anchors(text, lowered, rule):
            if any(_inside_word(text, m.start(g)) for g in ("brand", "generic")):
                continue  # "letriptan (Relpax)" inside "Eletriptan (Relpax)"
            brand, generic = m.group("brand"), m.group("generic").lower()
            known = vocab.drug_names.lookup([t.norm for t in tokenize(generic)])
            if known:
                generic = known[0].key
            elif len(generic) < MIN_UNKNOWN_GENERIC_LENGTH or not generic.endswith(vocab.inn_suffixes):
                continue
            if brand.lower() == generic or vocab.drug_names.lookup([t.norm for t in tokenize(brand)]) and not known:
                continue
            learned.setdefault(brand, generic)
    return learned


def find_page_drugs(text: str, vocab: Vocabulary, tokens: list[Token] | None = None) -> PageDrugs:
    """The drugs `text` names: the one it is mostly about, its brands, and the others it names often.

    `tokens` are the text's tokens when the caller has them already (only their stems are used).
    """
    learned = Lexicon()
    for brand, generic in learn_brands(text, vocab).items():
        learned.add(brand, Concept(DRUG_TOPIC, generic, brand))
    page = PageDrugs(None, (), frozenset(), learned)
    counts: Counter[str] = Counter()
    brands_used: dict[str, list[str]] = {}
    for mention in page.mentions(tokenize(text) if tokens is None else tokens, vocab):
        counts[mention.drug] += 1
        if mention.name != mention.drug:
            brands_used.setdefault(mention.drug, []).append(mention.name)
    # Drugs the vocabulary does not list are counted by the drug dictionary's one-word names
    # (107k generic and brand names) when named more than in passing; a word the vocabulary names
    # a drug by is its business.
    named: Counter[str] = Counter()
    for word, n in Counter(w.lower() for w in WRITTEN_WORD.findall(text)).items():
        drug = vocab.drug_dictionary.get(word)
        if drug is not None and not vocab.drug_names.lookup([t.norm for t in tokenize(word)]):
            named[drug] += n
    counts.update({drug: n for drug, n in named.items() if n >= MIN_MENTIONS_FOR_SUBJECT})
    if not counts:
        return page
    main = counts.most_common(1)[0][0]
    brands = tuple(dict.fromkeys(brands_used.get(main, [])))
    subjects = frozenset(d for d, n in counts.items() if n >= MIN_MENTIONS_FOR_SUBJECT) | {main}
    return PageDrugs(main, brands, subjects, learned)

