"""The large drug dictionary behind `drugs.yaml`: 107k generic and brand name variants of 20k
drugs (MedlinePlus, DrugBank and others), shipped in the `drug-named-entity-recognition` wheel
(MIT licence). Only its dictionary is read, with our own lookup: its finder tries one- and
two-word windows and some of its options call web APIs.

Used to name the substances of interaction items ("Coumadin" -> warfarin, "esomeprazole"),
which the hand-written vocabulary only knows as classes.
"""
from __future__ import annotations

import bz2
import pickle
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

PACKAGE = "drug_named_entity_recognition"
DICTIONARY_FILE = "drug_ner_dictionary.pkl.bz2"


@lru_cache(maxsize=1)
def drug_dictionary() -> Mapping[str, str]:
    """Lower-case name variant -> canonical generic name of a drug (one with a DrugBank or
    MedlinePlus entry: the dictionary's MeSH classes are left out), read once per process (~1 s)."""
    spec = util.find_spec(PACKAGE)  # locates the package without running it (its import costs ~4 s)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed: pip install drug-named-entity-recognition")
    path = Path(spec.submodule_search_locations[0]) / DICTIONARY_FILE
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)  # noqa: S301 - the data file of a pinned, installed dependency
    drugs = {name for name, info in data["drug_canonical_to_data"].items()
             if info.get("drugbank_id") or info.get("medline_plus_id")}  # not MeSH classes ("antidepressive agents")
    return MappingProxyType({variant: canonicals[0] for variant, canonicals in data["drug_variant_to_canonical"].items()
                             if canonicals and canonicals[0] in drugs})


def dictionary_version() -> str:
    """The installed dictionary's version (part of the vocabulary fingerprint)."""
    return metadata.version("drug-named-entity-recognition")
