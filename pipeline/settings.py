"""Defaults an operator can override from the command line, in one place for every entry point."""

# Raw files larger than this are rejected as `too_large` without being read (`--max-bytes`).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A scheduled run that finds the previous one still writing waits this long for it rather than failing.
SERVE_LOCK_WAIT_SECONDS = 600.0
# Flow runs a `serve` process runs at once: one, since runs of one output folder queue on its lock.
SERVE_CONCURRENT_RUNS = 1
# Seconds one stage may spend on one page before the page is rejected as `too_slow`
# (`--page-seconds`; 0 for no limit). Real pages take milliseconds.
DEFAULT_PAGE_SECONDS = 30.0
# The longest per-page time budget (a week): beyond it the timer cannot be set.
MAX_PAGE_SECONDS = 7 * 24 * 3600.0
# Published versions of the outputs kept in `<out>/.versions/` for `drugpages rollback` (`--keep-versions`).
DEFAULT_KEEP_VERSIONS = 3
# A run that would remove more than this share of the previous run's pages, and at least
# `MASS_REMOVAL_MIN_PAGES` of them, refuses to publish unless told `--allow-mass-removal`: a
# raw folder that lost most of its files is far more often a failed mount or copy than a wish.
MASS_REMOVAL_SHARE = 0.5
MASS_REMOVAL_MIN_PAGES = 10
# Pages sent to a worker process at a time (`--workers`): enough that sending them costs little
# next to working on them (a page takes tens of milliseconds), few enough to share work evenly.
PAGES_PER_TASK = 16
# Below this many pages to process, a run works in one process: starting workers costs more.
# Forked workers start at once; fresh ones (forkserver, in a Prefect flow) take seconds, since
# each imports the pipeline and compiles the vocabulary (measured: ~4.5 s for two workers).
POOL_MIN_PAGES = 64
POOL_MIN_PAGES_FRESH = 500
