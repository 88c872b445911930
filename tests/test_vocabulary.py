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


@pytest.mark.parametrize("file, old, new, error", [
    ("boilerplate.yaml", "'related products'", "'Related Products'", "lower case"),
    ("topics.yaml", '- anchors: ["care is needed"]\n      pattern:', "- pattern:", "anchors"),
    ("side_effects.yaml", "\n  headache:", "\n  headache: [head pain]\n  headache:", "appears twice"),
    ("slots.yaml", "'yes', 'no'", "yes, no", "quote these words"),
    ("slots.yaml", "always_stated: [pregnancy]", "always_stated: [pregnant]", "unknown topics"),
    ("units.yaml", "spacing_time: interactions}", "spacing_time: interaction}", "time_topics"),
])
def test_malformed_entries_are_refused(tmp_path, file, old, new, error):
    """Cues for lower-cased text in lower case, frames with anchors, no key given twice."""
    folder = tmp_path / "vocab"
    shutil.copytree(DEFAULT_VOCAB_DIR, folder)
    text = (folder / file).read_text()
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1))
    with pytest.raises(VocabularyError, match=error):
        load_vocabulary(folder)
