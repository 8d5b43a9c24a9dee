"""Inputs as the user names them -> the feed files to read, in order.

Covers: folders (read recursively, sorted by path), glob patterns and ``-`` for stdin. Does
not cover: reading a file (the other modules of this package).

``expand_inputs(["a.txt", "pages", "more/*.rss", "-"])``
-> ``["a.txt", "pages/1.txt", "pages/old/2.txt", "more/x.rss", "-"]``
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..files import STDIN

# The files a folder is read for; a file named outright is read whatever its suffix.
FEED_SUFFIXES = (
    ".txt", ".csv", ".tsv", ".jsonl", ".ndjson", ".rss", ".atom", ".xml", ".html", ".htm",
)  # fmt: skip
_GLOB_RE = re.compile(r"[*?\[]")


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """The feed files that inputs name: a folder gives its feed files, a pattern its matches.

    ``["a.txt", "pages", "more/*.rss", "-"]``
    -> ``["a.txt", "pages/1.txt", "pages/old/2.txt", "more/x.rss", "-"]``

    A folder is read recursively, files sorted by path, skipping hidden files and folders
    (``.name``) and files whose suffix is not one of :data:`FEED_SUFFIXES`. A glob pattern
    (``*``, ``?``, ``[...]``, ``**`` for any depth) is used when no file has that very name.
    A file named outright is read whatever its suffix. A folder without feed files, or a
    pattern that matches nothing, is an error.
    """
    for name in inputs:
        path = Path(name)
        if name == STDIN or path.is_file():
            yield name
        elif path.is_dir():
            files = _folder_feeds(name)
            if not files:
                raise InputError(
                    f"{name}: a folder with no feed files ({' '.join(FEED_SUFFIXES)}) in it; "
                    "pass the files themselves"
                )
            yield from files
        elif _GLOB_RE.search(name):
            matches = [
                found
                for match in sorted(glob.glob(name, recursive=True))
                for found in (_folder_feeds(match) if Path(match).is_dir() else [match])
            ]
            if not matches:
                raise InputError(f"no feed files match '{name}'; check the pattern")
            yield from matches
        else:
            yield name  # read_feed says what is wrong with it


def _folder_feeds(folder: str) -> list[str]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root, f)
            for f in files
            if not f.startswith(".") and Path(f).suffix.lower() in FEED_SUFFIXES
        )
    return [str(p) for p in sorted(found)]
