import shutil

import pytest

from pipeline.records import TOPICS
from pipeline.text import tokenize
from pipeline.vocabulary import DEFAULT_VOCAB_DIR, VocabularyError, load_vocabulary


def test_every_topic_has_cues(vocab):
    assert set(TOPICS) == set(vocab.heading_cues)
    assert vocab.topic_cues.topic_starts(tokenize("Common side effects include headaches")) == {"side_effects": [0, 7]}


def test_brands_map_to_generics(vocab):
    for brand, generic in [("Accutane", "isotretinoin"), ("Viagra", "sildenafil"), ("Glucophage", "metformin")]:
        (concept,) = vocab.drug_names.lookup([t.norm for t in tokenize(brand)])
        assert concept.key == generic


def test_user_can_extend_a_copy(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    with (folder / "drugs.yaml").open("a") as fh:
        fh.write("zzexamplin: [Zzbrand]\n")
    vocab = load_vocabulary(folder)
    assert vocab.drug_names.lookup([t.norm for t in tokenize("Zzbrand")])[0].key == "zzexamplin"
    assert vocab.fingerprint != load_vocabulary().fingerprint


def test_broken_files_give_clear_errors(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    (folder / "care.yaml").write_text("storage: {keep cool: ['(unclosed']}\n  - : bad: [")
    with pytest.raises(VocabularyError, match="care.yaml"):
        load_vocabulary(folder)
    (folder / "care.yaml").write_text("nonsense_topic: {x: [y]}\n")
    with pytest.raises(VocabularyError, match="unknown topic"):
        load_vocabulary(folder)
    with pytest.raises(VocabularyError, match="not found"):
        load_vocabulary(tmp_path / "missing")


def test_cues_matched_on_lower_case_text_must_be_lower_case(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    boiler = folder / "boilerplate.yaml"
    boiler.write_text(boiler.read_text().replace("'related products'", "'Related Products'"))
    with pytest.raises(VocabularyError, match="lower case"):
        load_vocabulary(folder)


def test_frames_need_anchors(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text().replace('- anchors: ["care is needed"]\n      pattern:', "- pattern:"))
    with pytest.raises(VocabularyError, match="anchors"):
        load_vocabulary(folder)


def test_a_key_given_twice_is_an_error(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    with (folder / "side_effects.yaml").open("a") as fh:
        fh.write("  headache: [head pain]\n")
    with pytest.raises(VocabularyError, match="appears twice"):
        load_vocabulary(folder)
