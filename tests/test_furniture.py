"""The furniture pass on text pages: line features, the model's reasons, its file, its verdicts."""
import re
import shutil

import pytest

from conftest import make_page
from pipeline.blocks import split_blocks
from pipeline.boilerplate import classify_blocks
from pipeline.furniture import FurnitureModel, furniture_reasons, line_features, page_context
from pipeline.records import Block
from pipeline.vocabulary import DEFAULT_VOCAB_DIR, VocabularyError, load_vocabulary


def _features(lines, i, vocab):
    blocks = [Block("p", n, "paragraph", t, 0, len(t), None) for n, t in enumerate(lines)]
    context = page_context(blocks, [False] * len(blocks), vocab.drug_dictionary)
    return line_features(blocks, i, context, vocab.furniture, vocab)


def test_features_name_a_lines_shape(vocab):
    dateline = _features(["14 March 2024"], 0, vocab)
    assert {"date", "year", "no_function_word", "words_2_3"} <= set(dateline)
    price = _features(["Ticagrelor 90 mg x 56 tablets $89.00"], 0, vocab)
    assert {"currency", "strength", "names_page_drug"} <= set(price)
    assert price["bare_number_share"] == pytest.approx(3 / 8)  # 56, 89 and 00 of 8 words; not the 90 of "90 mg"
    prose = _features(["It can make you bruise more easily than before."], 0, vocab)
    assert prose["ends_sentence"] == 1.0 and prose["function_word_share"] > 0.5
    assert "no_function_word" not in prose and "date" not in prose


def test_position_features_need_a_page_long_enough():
    model = FurnitureModel(bias=0.0, threshold=0.5, weights={}, reasons={}, function_words=frozenset(),
                           default_reason="furniture", words=frozenset(), content_field=re.compile("(?!)"))
    vocab = load_vocabulary()
    short = [Block("p", n, "paragraph", f"line {n}", 0, 6, None) for n in range(3)]
    long = [Block("p", n, "paragraph", f"line {n}", 0, 6, None) for n in range(20)]
    for blocks, expect in ((short, set()), (long, {"page_head"})):
        context = page_context(blocks, [False] * len(blocks), vocab.drug_dictionary)
        assert {"page_head", "page_tail"} & set(line_features(blocks, 0, context, model, vocab)) == expect


def test_the_reason_is_the_feature_that_pushes_most():
    model = FurnitureModel(bias=-1.0, threshold=0.5, weights={"currency": 2.0, "date": 1.0, "words_1": 3.0},
                           reasons={"currency": "cart", "date": "byline"}, function_words=frozenset(),
                           default_reason="furniture", words=frozenset(), content_field=re.compile("(?!)"))
    assert model.reason({"currency": 1.0, "date": 1.0, "words_1": 1.0}) == "cart"  # words_1 gives no reason
    assert model.reason({"words_1": 1.0}) == "furniture"
    assert model.probability({}) == pytest.approx(1 / (1 + 2.718281828 ** 1.0))


def test_forum_furniture_goes_and_the_posts_stay(vocab):
    text = ("Ticagrelor and bruising - Heart Forum\n"
            "Home › Forums › Heart health\n"
            "Posted by runner_84 · 12 March 2024 at 09:14\n"
            "I started ticagrelor after my stent and I bruise very easily now, is this normal?\n"
            "Reply\nLikes (3)\nAFib_Andy\n14 March 2024\n"
            "Bruising is common with ticagrelor because it stops platelets sticking together.\n"
            "Do not stop taking it without talking to your cardiologist first.\n"
            "Reply\nSimilar threads\nClopidogrel vs prasugrel\nStent recovery diet tips\n"
            "Heart Forum © 2024 · Privacy · Terms\n")
    page = make_page(text)
    blocks = classify_blocks(split_blocks(page, vocab), page, vocab)
    kept = [b.text for b in blocks if not b.is_boilerplate]
    assert {"Similar threads", "Stent recovery diet tips", "14 March 2024"}.isdisjoint(kept)
    assert [t for t in kept if t.endswith((".", "?"))] == [
        "I started ticagrelor after my stent and I bruise very easily now, is this normal?",
        "Bruising is common with ticagrelor because it stops platelets sticking together.",
        "Do not stop taking it without talking to your cardiologist first."]


def test_a_broken_model_file_is_a_vocabulary_error(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    model = folder / "furniture_model.yaml"
    model.write_text(model.read_text().replace("bias:", "bais:", 1))
    with pytest.raises(VocabularyError, match="furniture"):
        load_vocabulary(folder)


def test_a_strength_of_the_pages_drug_is_never_furniture(vocab):
    text = ("Home | Products | Gastro Health | Contact Us\nCart: 0 item(s) – $0.00\n"
            "Metoclopramide (Reglan) 10mg\nPrice: from $0.41 per pill | Secure Checkout | Worldwide Shipping\n"
            "Metoclopramide helps the stomach empty faster and eases nausea.\n")
    page = make_page(text)
    kept = [b.text for b in classify_blocks(split_blocks(page, vocab), page, vocab) if not b.is_boilerplate]
    assert "Metoclopramide (Reglan) 10mg" in kept


def test_a_product_field_that_states_drug_information_is_content(vocab):
    blocks = [Block("p", n, "paragraph", text, 0, len(text), None) for n, text in enumerate(
        ["Pack size: 56 capsules", "Strength: 25mg | 50mg | 75mg", "Price: from £12.49", "Prescription: NOT REQUIRED",
         "Storage : Store below 30°C", "Qty: 1"])]
    reasons = furniture_reasons(blocks, ["cart", None, "cart", None, None, "cart"], vocab)
    assert reasons[1] is None and reasons[3] is None and reasons[4] is None
