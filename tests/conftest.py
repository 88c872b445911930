"""Shared fixtures: the packaged vocabulary, page builders, and the seed-run output."""
from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from pipeline.records import PageText
from pipeline.run import RunOptions, run_pipeline
from pipeline.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Unit tests never reach the network (the flow tests talk to a local Prefect server)."""
    if request.node.get_closest_marker("flow"):
        return

    connect = socket.socket.connect

    def refuse(sock, *args, **kwargs):
        if sock.family == socket.AF_UNIX:  # local, not network (the forkserver of worker processes)
            return connect(sock, *args, **kwargs)
        raise RuntimeError("network access in a unit test")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="session")
def vocab():
    """The packaged vocabulary, loaded once."""
    return load_vocabulary()


def make_page(text: str, page_id: str = "page.txt", source: str | None = None) -> PageText:
    """A plain-text page as ingest would produce it."""
    return PageText(page_id=page_id, source=source or page_id.rsplit(".", 1)[0], format="text",
                    encoding="utf-8", content_sha256=hashlib.sha256(text.encode()).hexdigest(),
                    bytes=len(text.encode()), title=None, text=text)


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory) -> Path:
    """The library pipeline run once on the project's raw/ folder (the five seeds)."""
    out = tmp_path_factory.mktemp("seed_output")
    run_pipeline(RunOptions(ROOT / "raw", out))
    return out
