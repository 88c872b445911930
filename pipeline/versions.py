"""Published versions of the outputs: the work folder of a run, the switch to a new version,
the versions kept for a rollback, and recovery from what crashed runs left.

Layout of an output folder: `.work/<id>/` (a run in progress), `.versions/<run_id>/` (complete
sets of outputs), `.current` (a symlink to the current version) and fixed symlinks through it
(`facts.parquet` -> `.current/facts.parquet`).
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa

from .ingest import RawFolderError
from .records import RUN
from .settings import DEFAULT_KEEP_VERSIONS
from .storage import read_parquet

log = logging.getLogger("pipeline")

WORK_DIR_NAME = ".work"
VERSIONS_DIR_NAME = ".versions"
CURRENT_LINK = ".current"
CACHE_DIR_NAME = ".cache"
RUNS_FILE = "runs.parquet"
RUN_FILE = "run.json"


class OutputFolderError(OSError):
    """The output folder cannot be written."""


def current_version(out_dir: Path) -> Path | None:
    """The version folder `.current` points to, if any."""
    link = out_dir / CURRENT_LINK
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def finished_versions(out_dir: Path) -> list[Path]:
    """Every complete version folder (one a run finished writing), by run id."""
    versions = out_dir / VERSIONS_DIR_NAME
    if not versions.is_dir():
        return []
    return sorted(v for v in versions.iterdir() if (v / RUN_FILE).is_file())


def published_versions(out_dir: Path) -> list[Path]:
    """The kept versions a run switched `.current` to, oldest first, ending with the current one.

    They are the versions whose run is in the current version's `runs` table (a version a run
    never switched to is not); when that table cannot be read, the finished versions up to the
    current one by run id."""
    current = current_version(out_dir)
    if current is None:
        return []
    finished = [v for v in finished_versions(out_dir) if v.name != current.name]
    try:
        run_ids = read_parquet(current / RUNS_FILE, RUN, fill_missing=True).column("run_id").to_pylist()
    except (OSError, pa.ArrowException, KeyError, ValueError):
        return [*(v for v in finished if v.name < current.name), current]
    by_id = {v.name: v for v in finished}
    return [*(by_id[run_id] for run_id in run_ids if run_id in by_id), current]


def recover(out_dir: Path, keep_versions: int = DEFAULT_KEEP_VERSIONS) -> None:
    """Drop what crashed runs left and all but the newest `keep_versions` published versions.

    What crashed runs leave: work folders, temporary files, and versions never switched to. With
    no current version (`.current` lost), every finished version is kept: nothing says which
    of them may go."""
    work = out_dir / WORK_DIR_NAME
    if work.is_symlink() or work.is_file():
        work.unlink()
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(out_dir / CACHE_DIR_NAME, ignore_errors=True)  # where older layouts kept the cache
    for leftover in out_dir.glob(".*.tmp-*"):
        leftover.unlink(missing_ok=True)
    versions = out_dir / VERSIONS_DIR_NAME
    if current_version(out_dir) is None:
        if finished_versions(out_dir):
            log.warning("%s points to no version: every version in %s is kept", out_dir / CURRENT_LINK, versions)
        return
    kept = {v.name for v in published_versions(out_dir)[-keep_versions:]}
    for version in versions.iterdir():
        if version.name not in kept:
            shutil.rmtree(version, ignore_errors=True)


def switch(out_dir: Path, version: Path, linked_files: Iterable[str]) -> None:
    """Point `.current` at `version` (one atomic rename); make each of `linked_files` a link through it."""
    tmp = out_dir / f".{CURRENT_LINK.lstrip('.')}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(version, out_dir), tmp)
    os.replace(tmp, out_dir / CURRENT_LINK)
    for name in linked_files:
        path = out_dir / name
        if not path.is_symlink():  # first run, or outputs written by an older version
            link_tmp = out_dir / f".{name}.tmp-{os.getpid()}"
            link_tmp.unlink(missing_ok=True)
            os.symlink(os.path.join(CURRENT_LINK, name), link_tmp)
            os.replace(link_tmp, path)


def roll_back(out_dir: Path, linked_files: Iterable[str], run_id: str | None = None) -> str:
    """Make an earlier kept version current (by default the one before it); returns its run id.

    The versions after it are removed by the next run. With no current version, the newest
    finished one is made current."""
    has_current = current_version(out_dir) is not None
    versions = published_versions(out_dir) if has_current else finished_versions(out_dir)
    if run_id is not None:
        target = next((v for v in versions if v.name == run_id), None)
        if target is None:
            kept = ", ".join(v.name for v in versions) or "none"
            raise OutputFolderError(f"no kept version {run_id!r} in {out_dir} (kept: {kept})")
    elif len(versions) < (2 if has_current else 1):
        raise OutputFolderError(f"no earlier version is kept in {out_dir / VERSIONS_DIR_NAME}")
    else:
        target = versions[-2] if has_current else versions[-1]
    switch(out_dir, target, linked_files)
    return target.name


def prepare_work_dir(out_dir: Path, keep_versions: int = DEFAULT_KEEP_VERSIONS) -> Path:
    """Recover from earlier crashes, then make a fresh work folder for this run."""
    recover(out_dir, keep_versions)
    work = out_dir / WORK_DIR_NAME / uuid.uuid4().hex[:12]
    work.mkdir(parents=True)
    return work


@contextmanager
def work_folder(out_dir: Path, keep_versions: int = DEFAULT_KEEP_VERSIONS) -> Iterator[Path]:
    """A fresh work folder for a run, removed when the run fails before publishing.

    An I/O error (a full disk) becomes one `OutputFolderError`; the previous version stays."""
    work = None
    try:
        work = prepare_work_dir(out_dir, keep_versions)
        yield work
    except BaseException as exc:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, OSError) and not isinstance(exc, (RawFolderError, OutputFolderError)):
            raise OutputFolderError(f"the run could not write its outputs in {out_dir}: {exc.strerror or exc}; "
                                    "the previous version of the outputs is intact") from exc
        raise
