"""The HPO reader and the side effects only the ontology names."""
import pytest
from test_claims import extract

from pipeline.claims import ClaimExtractor
from pipeline.phenotypes import ontology_version, read_terms, subtree

OBO = """format-version: 1.2
data-version: hp/releases/2099-01-01

[Term]
id: HP:0000118
name: Phenotypic abnormality

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000639
name: Nystagmus
synonym: "Involuntary, rapid, rhythmic eye movements" EXACT layperson []
synonym: "NYS" EXACT abbreviation []
synonym: "Eye wobble" RELATED []
is_a: HP:0000118 ! Phenotypic abnormality

[Term]
id: HP:0000640
name: Gaze-evoked nystagmus
is_a: HP:0000639 ! Nystagmus

[Term]
id: HP:0000999
name: Old term
is_obsolete: true
is_a: HP:0000118

[Typedef]
id: part_of
name: part of
"""


@pytest.fixture(scope="module")
def extractor(vocab):
    return ClaimExtractor(vocab)


def test_subtree_keeps_live_terms_and_exact_synonyms(tmp_path):
    path = tmp_path / "hp.obo"
    path.write_text(OBO, encoding="utf-8")
    found = subtree(read_terms(path), "HP:0000118", frozenset({"abbreviation"}))
    assert [(p.hpo_id, p.names) for p in found] == [
        ("HP:0000118", ("Phenotypic abnormality",)),
        ("HP:0000639", ("Nystagmus", "Involuntary, rapid, rhythmic eye movements")),
        ("HP:0000640", ("Gaze-evoked nystagmus",)),
    ]


def test_the_installed_ontology_has_a_version():
    assert ontology_version().startswith("hp/releases/")


def test_side_effects_only_the_ontology_names_are_found(extractor):
    _, facts = extract("Rare side effects include nystagmus and photopsia.", extractor)
    assert {f.key for f in facts if f.topic == "side_effects"} >= {"side_effects.nystagmus", "side_effects.photopsia"}


def test_stemmed_one_word_names_do_not_match_everyday_words(extractor):
    _, facts = extract("Side effects are rare; it passes into breast milk, so order blood tests.", extractor)
    assert not {f.key for f in facts} & {"side_effects.intoeing", "side_effects.atypical_sorting"}
