"""In-page repeats: spam pages say the same thing twice, verbatim or reworded, and a repeat is not
counted as a second statement. A block whose words repeat an earlier block's is skipped; a sentence
as alike an earlier one as copies across pages are (`similarity`) is kept but marked (`dup_of`,
`counted`).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .similarity import sentence_vectors, similarity
from .text import normalize_for_dedup
from .vocabulary import CopyRules


# Earlier sentences tried as what a sentence repeats: the most alike by cosine.
CANDIDATES = 5
# Up to this many long sentences, a page's cosines are computed at once (a dense square matrix:
# 16 MB at 2,000); a longer page computes each sentence's cosines when asked.
DENSE_MAX = 2000


def exact_repeats(words_of_block: Mapping[int, list[str]]) -> set[int]:
    """Indexes of blocks whose words (as stems, in page order) repeat an earlier block's exactly."""
    seen: set[str] = set()
    repeats: set[int] = set()
    for index, words in words_of_block.items():
        key = " ".join(words)
        if key in seen:
            repeats.add(index)
        seen.add(key)
    return repeats


class SentenceRepeats:
    """The sentences of a page, compared by `similarity` (the measure of copies across pages): a
    sentence repeats an earlier sentence it was asked about when the two are at least
    `repeat_similarity` alike, both have `min_sentence_words` words or more, and the earlier one states
    every fact the later one does, quantities included (a restatement that adds a fact is not a repeat)."""

    def __init__(self, texts: list[str], rules: CopyRules) -> None:
        self._words = [normalize_for_dedup(t) for t in texts]
        self._long = [len(w.split()) >= rules.min_sentence_words for w in self._words]
        self._rules = rules
        self._row: dict[int, int] = {}  # a long sentence's row among the long ones
        self._cosines = None  # all cosines (a square array), or the vectors to compute them from; made when first needed
        self._seen: list[int] = []
        self._ids: list[str] = []
        self._facts: list[frozenset] = []

    def repeat_of(self, index: int, sentence_id: str, facts: frozenset) -> str | None:
        """The id of the earlier sentence that sentence `index` (stating `facts`, as hashable
        key-and-value tuples) repeats, else remember it as `sentence_id`."""
        if not self._long[index]:
            return None
        if any(facts <= earlier for earlier in self._facts):  # else it states something new
            cosines = self._cosines_with_seen(index)
            for k in np.argsort(-cosines)[:CANDIDATES]:
                if cosines[k] < self._rules.repeat_similarity / 2:
                    break
                if facts <= self._facts[k] and similarity(self._words[index], self._words[self._seen[k]], float(cosines[k]),
                                                         self._rules.verbatim_similarity) >= self._rules.repeat_similarity:
                    return self._ids[k]
        self._seen.append(index)
        self._ids.append(sentence_id)
        self._facts.append(facts)
        return None

    def _cosines_with_seen(self, index: int) -> np.ndarray:
        """Cosines of sentence `index` with the remembered sentences, in the order remembered."""
        if self._cosines is None:
            long_rows = [k for k, is_long in enumerate(self._long) if is_long]
            self._row = {k: r for r, k in enumerate(long_rows)}
            vectors = sentence_vectors([self._words[k] for k in long_rows], self._rules.ngram_min, self._rules.ngram_max)
            self._cosines = (vectors @ vectors.T).toarray() if len(long_rows) <= DENSE_MAX else vectors
        seen = [self._row[k] for k in self._seen]
        if isinstance(self._cosines, np.ndarray):
            return self._cosines[self._row[index], seen]
        return (self._cosines[seen] @ self._cosines[self._row[index]].T).toarray().ravel()
