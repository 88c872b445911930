"""The data contract travels with the files: key columns are non-null, every column carries its
meaning as field metadata, and every file names its table and schema version; read back with
pyarrow and with DuckDB."""
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.records import FACT, SCHEMA_VERSION
from pipeline.storage import write_parquet

TABLES = ["pages", "texts", "blocks", "claims", "facts", "comparison", "copies", "copied_sentences", "rejected", "runs"]
KEYS = {"pages": "page_id", "blocks": "block_index", "claims": "claim_id", "facts": "key",
        "comparison": "agreement", "copies": "kind", "copied_sentences": "other_page_id", "runs": "run_id",
        "rejected": "reason", "texts": "text"}


@pytest.mark.parametrize("table", TABLES)
def test_schema_metadata_read_back_with_pyarrow(table, seed_output):
    schema = pq.read_schema(seed_output / f"{table}.parquet")
    assert schema.metadata[b"drugpages.table"] == table.encode()
    assert schema.metadata[b"drugpages.schema_version"] == SCHEMA_VERSION.encode()
    for field in schema:
        assert field.metadata and field.metadata[b"description"].strip(), field.name
    assert not schema.field(KEYS[table]).nullable


@pytest.mark.parametrize("table", TABLES)
def test_keys_required_and_version_visible_in_duckdb(table, seed_output):
    path = str(seed_output / f"{table}.parquet")
    repetition = dict(duckdb.execute("SELECT name, repetition_type FROM parquet_schema(?)", [path]).fetchall())
    assert repetition[KEYS[table]] == "REQUIRED"
    metadata = dict(duckdb.execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [path]).fetchall())
    assert metadata["drugpages.schema_version"] == SCHEMA_VERSION


def test_a_null_key_is_refused_before_writing(tmp_path):
    row = {name: None for name in FACT.names}
    table = pa.Table.from_pylist([row], schema=FACT)
    with pytest.raises(ValueError, match="key column 'fact_id'"):
        write_parquet(table, tmp_path / "facts.parquet")
    assert not (tmp_path / "facts.parquet").exists()
