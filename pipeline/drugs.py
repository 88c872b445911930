"""Which drug a page is about: generic names, brand names, and brands the page names itself."""
from __future__ import annotations

from collections import Counter

from .text import tokenize
from .vocabulary import Vocabulary

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
    learned_stems = {tuple(t.norm for t in tokenize(b)): (b, g) for b, g in learned.items()}
    for i in range(len(tokens)):
        for stems, (brand, generic) in learned_stems.items():
            if tuple(t.norm for t in tokens[i:i + len(stems)]) == stems:
                counts[generic] += 1
                names_used.setdefault(generic, []).append(brand)
    if not counts:
        return None, ()
    drug = counts.most_common(1)[0][0]
    brands = tuple(dict.fromkeys(names_used.get(drug, [])))
    return drug, brands
