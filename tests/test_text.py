from pipeline.text import normalize_for_dedup, split_sentences, stem, tokenize, word_count


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_stem_merges_inflections():
    assert stem("reduces") == stem("reducing") == stem("reduce") == stem("reduced")
    assert stem("nosebleeds") == stem("nosebleed")
    assert stem("headaches") == stem("headache")
    assert stem("Skin's") == "skin"


def test_tokens_carry_offsets():
    text = "Dry skin, lips."
    assert [(t.norm, text[t.start:t.end]) for t in tokenize(text)] == [("dry", "Dry"), ("skin", "skin"), ("lip", "lips")]


def test_sentences_split_on_glued_quotes_and_keep_abbreviations():
    text = 'He said "it works."Such views matter. Dr. Hale agrees. Take vitamin A. Accutane is strong.'
    assert sentences(text) == ['He said "it works."', "Such views matter.", "Dr. Hale agrees.",
                               "Take vitamin A.", "Accutane is strong."]


def test_sentences_keep_decimals_and_initialisms():
    assert sentences("Take 0.5 mg daily in the U.S. market. Then stop.") == [
        "Take 0.5 mg daily in the U.S. market.", "Then stop."]


def test_normalize_for_dedup_ignores_case_space_punctuation():
    assert normalize_for_dedup("Dry  skin, LIPS!") == normalize_for_dedup("dry skin lips") == "dry skin lips"


def test_hives_is_not_stemmed_into_hiv():
    assert stem("hives") != stem("HIV")
    assert stem("HIV") == "hiv"


def test_word_count_treats_cjk_paragraphs_as_long():
    assert word_count("two words") == 2
    assert word_count("钟南山院士说武汉本来就是一个英雄的城市") >= 9


def test_numbers_glued_to_units_are_separate_words():
    assert [t.norm for t in tokenize("100mg day1 68hours")] == ["100", "mg", "day", "1", "68", "hour"]
