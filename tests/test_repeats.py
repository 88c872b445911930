"""In-page repeats (`pipeline.repeats`): exact block repeats and reworded sentences."""
from pipeline.repeats import SentenceRepeats, exact_repeats
from pipeline.text import stems_of, tokenize


def test_a_block_whose_words_repeat_an_earlier_one_is_a_repeat():
    words = {0: stems_of(tokenize("Take it with food.")), 1: stems_of(tokenize("Store it cold.")),
             2: stems_of(tokenize("take IT with food"))}
    assert exact_repeats(words) == {2}


def test_a_reworded_sentence_stating_nothing_new_repeats_the_first(vocab):
    sentences = ["Isotretinoin commonly causes dryness of the lips, skin and eyes during treatment.",
                 "During treatment isotretinoin commonly causes dryness of skin, lips and the eyes.",
                 "Pregnancy must be avoided because isotretinoin causes serious birth defects.",
                 "During treatment isotretinoin commonly causes dryness of skin, lips, eyes and nose."]
    repeats = SentenceRepeats(sentences, vocab.copies)
    dryness = frozenset({("side_effects.dry_lips", None, None, None)})
    assert repeats.repeat_of(0, "s1", dryness) is None
    assert repeats.repeat_of(1, "s2", dryness) == "s1"
    assert repeats.repeat_of(2, "s3", frozenset({("pregnancy.birth_defects", None, None, None)})) is None
    nose = dryness | {("side_effects.dry_nose", None, None, None)}
    assert repeats.repeat_of(3, "s4", nose) is None  # it adds a fact: not a repeat
