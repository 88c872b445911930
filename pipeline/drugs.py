"""Which drug a page is about: generic names, brand names, and brands the page names itself."""
from __future__ import annotations

from collections import Counter

from .text import tokenize
from .lexicon import Concept, Lexicon
from .vocabulary import DRUG_TOPIC, Vocabulary

# A generic name the vocabulary does not know must be at least this long to be trusted.
MIN_UNKNOWN_GENERIC_LENGTH = 6


def learn_brands(text: str, vocab: Vocabulary) -> dict[str, str]:
    """Brand -> generic pairs the page states ("Sotret, containing the active ingredient isotretinoin")."""
    learned: dict[str, str] = {}
    for pattern in vocab.drug_patterns:
        for m in pattern.finditer(text):
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


def identify_drug(text: str, vocab: Vocabulary) -> tuple[str | None, tuple[str, ...]]:
    """The generic name the text is mostly about, and the brand names it uses for it."""
    learned = learn_brands(text, vocab)
    counts: Counter[str] = Counter()
    names_used: dict[str, list[str]] = {}
    tokens = tokenize(text)
    for match in vocab.drug_names.find(tokens):
        concept = match.concepts[0]
        counts[concept.key] += 1
        surface = text[match.start:match.end]
        if concept.term != concept.key:
            names_used.setdefault(concept.key, []).append(concept.term)
        elif surface.lower() != concept.key:
            names_used.setdefault(concept.key, [])
    if learned:
        page_brands = Lexicon()
        for brand, generic in learned.items():
            page_brands.add(brand, Concept(DRUG_TOPIC, generic, brand))
        for match in page_brands.find(tokens):
            concept = match.concepts[0]
            counts[concept.key] += 1
            names_used.setdefault(concept.key, []).append(concept.term)
    if not counts:
        return None, ()
    drug = counts.most_common(1)[0][0]
    brands = tuple(dict.fromkeys(names_used.get(drug, [])))
    return drug, brands
