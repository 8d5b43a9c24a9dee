"""Inputs as the user names them -> the feed files to read, in order.

Covers: folders (read recursively, sorted by path), glob patterns and ``-`` for stdin. Does
not cover: reading a file (the other modules of this package).

``expand_inputs(["a.txt", "pages", "more/*.rss", "-"])``
-> ``["a.txt", "pages/1.txt", "pages/old/2.txt", "more/x.rss", "-"]``
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..files import STDIN
from .web import is_url

# The files a folder is read for; a file named outright is read whatever its suffix.
FEED_SUFFIXES = (
    ".txt", ".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".rss", ".atom", ".xml", ".html",
    ".htm", ".mhtml", ".mht", ".webarchive", ".parquet",
)  # fmt: skip
_GLOB_RE = re.compile(r"[*?\[]")
# A browser saves a page "complete" as NAME.html beside a folder NAME_files of what the page
# shows: its frames (as .html, ads and widgets among them), style sheets, scripts, images.
_SAVED_PAGES = (".html", ".htm", ".xhtml")
_SAVED_WITH = "_files"


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """The feed files that inputs name: a folder gives its feed files, a pattern its matches.

    ``["a.txt", "pages", "more/*.rss", "-"]``
    -> ``["a.txt", "pages/1.txt", "pages/old/2.txt", "more/x.rss", "-"]``

    A folder is read recursively, files sorted by path, skipping hidden files and folders
    (``.name``), files whose suffix is not one of :data:`FEED_SUFFIXES`, and the folder a
    browser saves beside a page (``NAME_files`` beside ``NAME.html``). A glob pattern
    (``*``, ``?``, ``[...]``, ``**`` for any depth) is used when no file has that very name.
    A file named outright is read whatever its suffix, an http(s) URL as it is. A folder
    without feed files, or a pattern that matches nothing, is an error.

    Links to folders are followed, but each folder is read once: a link loop ends where it
    starts over, and a file a folder or pattern reaches twice (through a link, or a pattern
    that matches a folder and a folder inside it) is read once, at its first path.
    """
    for name in inputs:
        path = Path(name)
        if name == STDIN or is_url(name) or path.is_file():
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
            matches = _once(
                sorted(
                    found
                    for match in _glob(name)
                    for found in (_folder_feeds(match) if Path(match).is_dir() else [match])
                )
            )
            if not matches:
                raise InputError(f"no feed files match '{name}'; check the pattern")
            yield from matches
        else:
            yield name  # read_feed says what is wrong with it


def _folder_feeds(folder: str) -> list[str]:
    found = [
        os.path.join(root, f)
        for root, files in _walk(folder)
        for f in files
        if not f.startswith(".") and Path(f).suffix.lower() in FEED_SUFFIXES
    ]
    return _once(sorted(found))


def _walk(top: str) -> Iterator[tuple[str, list[str]]]:
    """Each folder below ``top`` (``top`` too) with its files, hidden folders and the folders
    saved beside a page left out (see :func:`_saved_with_a_page`).

    Folders are entered once each, by device and inode: the tree itself first, then the
    folders that links inside it lead to, so a link loop or a second link to a folder adds
    nothing, and a folder is named by its real path where the tree has one.
    """
    entered: set[tuple[int, int]] = set()
    linked = [top]
    while linked:
        for root, dirs, files in os.walk(linked.pop(0)):
            identity = _identity(root)
            if identity in entered:
                dirs[:] = []
                continue
            if identity is not None:
                entered.add(identity)
            pages = {f.lower() for f in files if f.lower().endswith(_SAVED_PAGES)}
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not _saved_with_a_page(d, pages)
            )
            # os.walk lists links to folders but does not enter them; they are read last.
            linked.extend(
                os.path.join(root, d) for d in dirs if os.path.islink(os.path.join(root, d))
            )
            yield root, files


def _saved_with_a_page(folder: str, pages: set[str]) -> bool:
    """Whether ``folder`` holds what a page in ``pages`` (lower-case names) was saved with:
    ``_saved_with_a_page("Nieuws_files", {"nieuws.html"}) -> True``."""
    stem = folder.lower().removesuffix(_SAVED_WITH)
    return stem != folder.lower() and any(stem + suffix in pages for suffix in _SAVED_PAGES)


def _glob(pattern: str) -> list[str]:
    """The paths a pattern matches, sorted; ``**`` (any depth) through :func:`_walk`.

    ``glob.glob`` with ``**`` follows links to folders without end: a link to a parent
    folder repeats its files until the path is too long, and two such links never finish.
    """
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = pattern.split(os.sep)
    fixed = next(i for i, part in enumerate(parts) if _GLOB_RE.search(part))
    top = os.sep.join(parts[:fixed]) or (os.sep if pattern.startswith(os.sep) else "")
    wanted = tuple(parts[fixed:])
    found = []
    for root, files in _walk(top or os.curdir):
        below = os.path.relpath(root, top or os.curdir)
        segments = () if below == os.curdir else tuple(below.split(os.sep))
        for names, is_dir in ((segments, True), *(((*segments, f), False) for f in files)):
            if _matches(wanted, names, 0, 0, is_dir):
                found.append(os.path.join(top, *names) if names else top)
    return sorted(found)


def _matches(parts: tuple[str, ...], names: tuple[str, ...], i: int, j: int, is_dir: bool) -> bool:
    """Whether path segments ``names[j:]`` match pattern segments ``parts[i:]``.

    ``**`` matches any number of segments; a hidden name only a segment that starts with a
    dot, as in ``glob``; a last empty segment (``dir/**/``) matches folders only. Each
    ``**`` tries each split once per path, so the work is segments times parts at most.
    """
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) not in memo:
            memo[(i, j)] = _step(i, j)
        return memo[(i, j)]

    def _step(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(names)
        part = parts[i]
        if part == "" and i == len(parts) - 1:
            return is_dir and j == len(names)
        if part == "**":
            return match(i + 1, j) or (
                j < len(names) and not names[j].startswith(".") and match(i, j + 1)
            )
        return (
            j < len(names)
            and (not names[j].startswith(".") or part.startswith("."))
            and fnmatch.fnmatchcase(names[j], part)
            and match(i + 1, j + 1)
        )

    return match(i, j)


def _once(paths: Iterable[str]) -> list[str]:
    """The paths in order, each file once (by device and inode). A file reached by several
    paths is kept at the one without a link in it, else at the shortest, else the first."""
    paths = list(paths)
    identities = [_identity(path) for path in paths]
    counts = Counter(i for i in identities if i is not None)
    best: dict[tuple[int, int], tuple[bool, int, int]] = {}
    for at, (path, identity) in enumerate(zip(paths, identities, strict=True)):
        if identity is not None and counts[identity] > 1:
            rank = (not _unlinked(path), path.count(os.sep), at)
            best[identity] = min(best.get(identity, rank), rank)
    return [
        path
        for at, (path, identity) in enumerate(zip(paths, identities, strict=True))
        if identity is None or counts[identity] == 1 or best[identity][2] == at
    ]


def _unlinked(path: str) -> bool:
    """True when no part of the path is a link."""
    return os.path.realpath(path) == os.path.abspath(path)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino
