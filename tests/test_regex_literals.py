"""Required literals of regular expressions: the shortcut that spares texts the cue scan."""
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.api import default_vocabulary
from pipeline.regex_literals import any_literal_pattern, required_literals


def test_literals_of_runs_branches_and_groups():
    assert required_literals([r"\bproceed to checkout"]) == {"proceed to checkout"}
    assert required_literals([r"(shopping|your) (cart|basket)"]) == {"shopping", "your"}
    assert required_literals([r"\b(call|contact) us\b"]) == {"call", "contact"}  # the parser factors out "c"
    assert required_literals([r"(you save|save (up to )?\d+ ?%|\d+ ?% off\b)"]) == {"save", "% off"}


def test_patterns_without_a_required_literal_give_none():
    assert required_literals([r"[abc]+", r"\bcart\b"]) is None
    assert required_literals([r"x?"]) is None
    assert required_literals([r"(?i:cart)"]) is None  # its literal may occur in another case
    assert required_literals([r"(?i)cart"]) is None


CUE_WORDS = ["add to cart", "in stock", "mrp:", "qty", "20% off", "copyright", "©", "privacy policy", "call us",
             "buy now", "www.x.com", "written by", "take", "tablets", "nausea", "the", "order", "$5 per tablet"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CUE_WORDS) | st.text(alphabet="abcdefghiklmnoprstuy %$:.©0123456789", max_size=12),
                max_size=8))
def test_a_text_without_the_literals_never_matches_the_cues(words):
    vocab = default_vocabulary()
    text = " ".join(words)
    if not any(literal in text for literal in vocab.boilerplate_anywhere_literals):
        assert vocab.boilerplate_anywhere.search(text) is None


def test_the_packaged_cues_have_literals_that_rule_texts_out():
    """A cue whose only literal is one letter would send every text through the full scan."""
    literals = default_vocabulary().boilerplate_anywhere_literals
    assert literals is not None
    assert [literal for literal in literals if len(literal) < 2 and literal.isalnum()] == []


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="abc d%", min_size=1, max_size=5), min_size=1, max_size=12),
       st.text(alphabet="abc d%e", max_size=30))
def test_the_literal_trie_finds_exactly_the_texts_holding_a_literal(literals, text):
    literals = frozenset(literals)
    assert (any_literal_pattern(literals).search(text) is not None) == any(literal in text for literal in literals)
