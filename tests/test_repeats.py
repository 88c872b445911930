"""In-page repeats (`pipeline.repeats`): exact block repeats and reworded sentences."""
from pipeline.repeats import SentenceIndex, exact_repeats
from pipeline.text import stems_of, tokenize


def test_a_block_whose_words_repeat_an_earlier_one_is_a_repeat():
    words = {0: stems_of(tokenize("Take it with food.")), 1: stems_of(tokenize("Store it cold.")),
             2: stems_of(tokenize("take IT with food"))}
    assert exact_repeats(words) == {2}


def test_a_reworded_sentence_is_a_near_duplicate_of_the_first():
    index = SentenceIndex()
    first = tokenize("Isotretinoin commonly causes dryness of the lips, skin and eyes during treatment.")
    again = tokenize("During treatment isotretinoin commonly causes dryness of skin, lips and the eyes.")
    other = tokenize("Pregnancy must be avoided because isotretinoin causes serious birth defects.")
    assert index.near_duplicate_of(first, "s1") is None
    assert index.near_duplicate_of(again, "s2") == "s1"
    assert index.near_duplicate_of(other, "s3") is None
