import pytest

from pipeline.lexicon import Concept, Lexicon, expand_pattern
from pipeline.text import tokenize


def test_expand_alternatives_and_optional_groups():
    assert sorted(expand_pattern("(dry|cracked) [the|your] lips")) == sorted([
        "dry lips", "dry the lips", "dry your lips", "cracked lips", "cracked the lips", "cracked your lips"])


@pytest.mark.parametrize("bad", ["skip(ping)? doses", "donat(e|ing) blood"])
def test_partial_word_groups_are_refused(bad):
    with pytest.raises(ValueError):
        expand_pattern(bad)


def test_longest_match_wins_and_inflections_match():
    lex = Lexicon()
    short, long_ = Concept("interactions", "i.vit_a", "vitamin A"), Concept("mechanism", "m.deriv", "vitamin A derivative")
    lex.add("vitamin a", short)
    lex.add("derivative of vitamin a", long_)
    text = "A derivative of Vitamin A; avoid vitamin A supplements."
    found = lex.find(tokenize(text))
    assert [(m.concepts[0].key, text[m.start:m.end]) for m in found] == [
        ("m.deriv", "derivative of Vitamin A"), ("i.vit_a", "vitamin A")]
    assert lex.lookup(["vitamin", "a"]) == (short,)


def test_topic_starts_finds_overlapping_phrases_and_any_word():
    lexicon = Lexicon()
    lexicon.add("side effects", Concept("side_effects", "cue", "x"))
    lexicon.add("effects include", Concept("efficacy", "cue", "x"))
    lexicon.add("effects", Concept("warnings", "cue", "x"))
    lexicon.add("do not take * with", Concept("interactions", "cue", "x"))
    starts = lexicon.topic_starts(tokenize("Side effects include: do not take sertraline with MAOIs."))
    # "effects" lies inside longer phrases of other topics, so it cues nothing by itself
    assert starts == {"side_effects": [0], "efficacy": [5], "interactions": [22]}
