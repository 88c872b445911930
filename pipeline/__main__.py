"""`python -m pipeline run --raw raw --out output`: the `drugpages` command under another name."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m pipeline"))
