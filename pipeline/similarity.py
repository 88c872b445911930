"""How alike two sentences are: the measure copies across pages and repeats inside a page share.

Character n-gram TF-IDF vectors (n-grams inside words) compared by cosine, and the words two
sentences share in the same order (a synonym-spun sentence keeps the places of the words the spinner
left alone); a pair's similarity is the larger of the two. Sentences are compared as normalised words
(`text.normalize_for_dedup`).
"""
from __future__ import annotations

import difflib

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def sentence_vectors(words: list[str], ngram_min: int, ngram_max: int):
    """TF-IDF vectors (a sparse matrix of unit-length rows) of normalised sentences, IDF over their
    distinct wordings (a sentence repeated many times does not make its own n-grams common)."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(ngram_min, ngram_max), sublinear_tf=True,
                                 dtype=np.float32)
    distinct = {w: k for k, w in enumerate(dict.fromkeys(words))}
    return vectorizer.fit_transform(list(distinct))[[distinct[w] for w in words]]


def word_overlap(a: str, b: str) -> float:
    """How much of two sentences' words are the same words in the same order (2 x longest common
    subsequence / total words)."""
    x, y = a.split(), b.split()
    if not x or not y:
        return 0.0
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return 2 * sum(m.size for m in matcher.get_matching_blocks()) / (len(x) + len(y))


def similarity(a: str, b: str, cosine: float, near_verbatim: float) -> float:
    """The larger of two sentences' cosine and word overlap; the overlap is not computed once the
    cosine is at least `near_verbatim` (it could only confirm it)."""
    if a == b:
        return 1.0
    return cosine if cosine >= near_verbatim else max(cosine, word_overlap(a, b))
