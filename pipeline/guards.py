"""Guard rails against operator mistakes that would destroy data: an output folder that overlaps
the raw folder, and a run that found the raw folder empty or emptied."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .ingest import RawFolderError
from .settings import MASS_REMOVAL_MIN_PAGES, MASS_REMOVAL_SHARE


class UnsafeRunError(Exception):
    """A run refused to go on because it would destroy data."""


def _identities(path: Path) -> list[tuple[int, int]]:
    """(device, inode) of `path` and of each folder above it that exists.

    The same folder seen through another path (a bind mount, a second mount, another spelling)
    has the same identity."""
    found = []
    for folder in (path, *path.parents):
        try:
            info = os.stat(folder)
        except OSError:
            continue
        found.append((info.st_dev, info.st_ino))
    return found


def check_folders(raw_dir: Path, out_dir: Path) -> None:
    """Refuse a missing raw folder, and an output folder that is, lies inside or holds it."""
    if not raw_dir.is_dir():
        raise RawFolderError(f"raw folder not found or not a folder: {raw_dir}")
    raw, out = _identities(raw_dir.resolve()), _identities(out_dir.resolve())
    out_exists = out_dir.exists()
    if out_exists and out[0] == raw[0]:
        raise UnsafeRunError(f"the output folder {out_dir} is the raw folder: the run would replace raw files; "
                             "choose another --out")
    if raw[0] in (out if not out_exists else out[1:]):
        raise UnsafeRunError(f"the output folder {out_dir} is inside the raw folder {raw_dir}: the next run would "
                             "read the outputs as pages; choose an --out outside it")
    if out_exists and out[0] in raw[1:]:
        raise UnsafeRunError(f"the output folder {out_dir} holds the raw folder {raw_dir}: publishing would mix "
                             "outputs with raw files; choose an --out beside it")


def check_page_counts(raw_dir: Path, page_ids: set[str], n_rejected: int, previous_pages: Iterable[str],
                      allow_empty: bool = False, allow_mass_removal: bool = False) -> None:
    """Refuse a run that found no page, or that would remove most of the previous run's pages.

    No page at all is refused when the raw folder held no file, or when the previous run had
    pages (a failed mount, a folder of junk); `allow_empty` and `allow_mass_removal` say it is meant."""
    previous = list(previous_pages)
    if not page_ids and (n_rejected == 0 or previous) and not allow_empty:
        found = "holds no files" if n_rejected == 0 else f"holds no page ({n_rejected} files, all rejected)"
        raise UnsafeRunError(f"the raw folder {raw_dir} {found}: publishing would empty every table (a mount that "
                             "failed?); nothing was changed. Pass --allow-empty if that is meant")
    removed = sum(1 for page_id in previous if page_id not in page_ids)
    if removed >= MASS_REMOVAL_MIN_PAGES and removed > MASS_REMOVAL_SHARE * len(previous) and not allow_mass_removal:
        raise UnsafeRunError(f"this run would remove {removed} of the previous run's {len(previous)} pages (raw folder "
                             f"{raw_dir}); nothing was changed. Pass --allow-mass-removal if that is meant")
