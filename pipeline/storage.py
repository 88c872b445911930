"""Parquet and CSV files written atomically, and the lock that keeps two runs apart."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq


class OutputLockedError(RuntimeError):
    """Another run holds the output folder."""


def check_required(table: pa.Table) -> None:
    """Raise ValueError if a column its schema declares non-null holds a null (Arrow does not check)."""
    for field, data in zip(table.schema, table.columns):
        if not field.nullable and data.null_count:
            raise ValueError(f"{data.null_count} null value(s) in key column {field.name!r}")


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` through a temporary file and a rename: readers never see half a file.

    Key columns are checked for nulls first, so a file never breaks its schema's promise.
    """
    check_required(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(text: str, path: Path) -> None:
    """Write a text file atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_parquet(path: Path, schema: pa.Schema, fill_missing: bool = False) -> pa.Table:
    """Read a Parquet file and cast it to `schema` (raises if the file is missing or corrupt).

    With `fill_missing`, columns a newer schema added are filled with nulls (older files stay readable).
    """
    table = pq.read_table(path)
    if fill_missing:
        for field in schema:
            if field.name not in table.column_names:
                table = table.append_column(field.name, pa.nulls(table.num_rows, field.type))
    return table.select(schema.names).cast(schema)


LOCK_POLL_SECONDS = 0.5


@contextmanager
def output_lock(out_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the length of a run.

    If another run holds it, wait up to `wait_seconds` for it, then give up with a clear error.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / ".lock"
    deadline = time.monotonic() + wait_seconds
    with open(lock_path, "a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() >= deadline:
                    raise OutputLockedError(
                        f"another run is writing to {out_dir} (lock {lock_path}); wait for it to finish"
                    ) from exc
                time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
