"""Defaults an operator can override from the command line, in one place for every entry point."""

# Raw files larger than this are rejected as `too_large` without being read (`--max-bytes`).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A scheduled run that finds the previous one still writing waits this long for it rather than failing.
SERVE_LOCK_WAIT_SECONDS = 600.0
# Flow runs a `serve` process runs at once: one, since runs of one output folder queue on its lock.
SERVE_CONCURRENT_RUNS = 1
