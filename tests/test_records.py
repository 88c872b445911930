from dataclasses import fields

import pytest

from pipeline.records import SCHEMA_OF, Block, from_table, to_table


@pytest.mark.parametrize("record_type", list(SCHEMA_OF))
def test_schema_matches_dataclass(record_type):
    assert [f.name for f in fields(record_type)] == SCHEMA_OF[record_type].names


def test_round_trip_keeps_values():
    block = Block("p.txt", 0, "paragraph", "Hello.", 0, 6, None, True, "legal", "g", "exact", "q.txt#1")
    assert from_table(to_table([block], SCHEMA_OF[Block]), Block) == [block]


def test_empty_table_has_schema():
    table = to_table([], SCHEMA_OF[Block])
    assert table.num_rows == 0 and table.schema == SCHEMA_OF[Block]
