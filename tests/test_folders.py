"""Folders and glob patterns as inputs: which files they stand for, in which order."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import watchdog

from headlines.errors import InputError
from headlines.feeds import expand_inputs, read_feeds

FOLDER = Path(__file__).parent / "samples" / "page-folder"
PAGES = [str(FOLDER / f"2025-06-0{day}.txt") for day in (2, 3, 4)]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """pages/ with feeds at two depths, a hidden file and folder, and a file that is no feed."""
    for name in ["b.txt", "a.rss", "sub/c.jsonl", "sub/deeper/d.CSV", "z.txt"]:
        (tmp_path / "pages" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pages" / name).write_text("Kop\n", encoding="utf-8")
    for name in [".hidden.txt", ".git/e.txt", "photo.jpg", "notes.md"]:
        (tmp_path / "pages" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pages" / name).write_text("Geen feed\n", encoding="utf-8")
    return tmp_path / "pages"


def test_sample_folder_gives_its_three_pages_in_order() -> None:
    assert list(expand_inputs([str(FOLDER)])) == PAGES


def test_folder_is_read_recursively_sorted_by_path_skipping_hidden_and_other_files(
    tree: Path,
) -> None:
    assert list(expand_inputs([str(tree)])) == [
        str(tree / name) for name in ["a.rss", "b.txt", "sub/c.jsonl", "sub/deeper/d.CSV", "z.txt"]
    ]


def test_glob_pattern_expands_sorted_and_keeps_other_inputs_in_place(tree: Path) -> None:
    assert list(expand_inputs(["-", str(tree / "*.txt"), str(tree / "notes.md")])) == [
        "-",
        str(tree / "b.txt"),
        str(tree / "z.txt"),
        str(tree / "notes.md"),
    ]


def test_double_star_pattern_matches_at_any_depth(tree: Path) -> None:
    assert list(expand_inputs([str(tree / "**" / "*.jsonl")])) == [str(tree / "sub/c.jsonl")]


def test_file_whose_name_looks_like_a_pattern_is_read_as_it_is(tmp_path: Path) -> None:
    odd = tmp_path / "page [1].txt"
    odd.write_text("Kop\n", encoding="utf-8")
    assert list(expand_inputs([str(odd)])) == [str(odd)]


def test_folder_without_feed_files_is_an_error_that_says_so(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(InputError) as err:
        list(expand_inputs([str(tmp_path)]))
    assert str(err.value) == (
        f"{tmp_path}: a folder with no feed files (.txt .csv .tsv .jsonl .ndjson .json .rss .atom "
        ".xml .html .htm .mhtml .mht .webarchive .parquet) in it; pass the files themselves"
    )


def test_pattern_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.rss")
    with pytest.raises(InputError) as err:
        list(expand_inputs([pattern]))
    assert str(err.value) == f"no feed files match '{pattern}'; check the pattern"


def test_each_record_of_a_folder_names_the_page_it_came_from() -> None:
    headlines = list(read_feeds([str(FOLDER)]))
    assert [h.source for h in headlines] == [PAGES[0]] * 6 + [PAGES[1]] * 5 + [PAGES[2]] * 5
    assert [h.position for h in headlines] == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5]


@pytest.fixture
def loops(tree: Path) -> Path:
    """The tree with two link loops, a second link to a folder, a link to a folder outside
    it, and a file link; a glob that follows links never finishes on it."""
    (tree / "sub" / "up").symlink_to("..")
    (tree / "sub" / "deeper" / "top").symlink_to("../..")
    (tree / "again").symlink_to("sub")
    outside = tree.parent / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("Kop\n", encoding="utf-8")
    (tree / "sub" / "out").symlink_to(outside)
    (tree / "b-link.txt").symlink_to("b.txt")
    return tree


EVERY_FEED_ONCE = ["a.rss", "b.txt", "sub/c.jsonl", "sub/deeper/d.CSV", "sub/out/o.txt", "z.txt"]


def test_folder_links_are_followed_once_and_loops_end(loops: Path) -> None:
    assert list(expand_inputs([str(loops)])) == [str(loops / name) for name in EVERY_FEED_ONCE]


@pytest.mark.parametrize("pattern", ["**", "**/*", "**/*.*"])
def test_double_star_pattern_reads_each_file_once_through_links_and_loops(
    loops: Path, pattern: str
) -> None:
    with watchdog(20, f"expanding {pattern} through two link loops"):
        found = list(expand_inputs([str(loops / pattern)]))
    # The pattern itself matches notes.md and photo.jpg, which a folder walk leaves out.
    assert found == [
        str(loops / name)
        for name in sorted([*EVERY_FEED_ONCE, "notes.md", "photo.jpg"])
        if not (pattern == "**/*.*" and "." not in name)
    ]


def test_double_star_pattern_of_one_suffix_through_loops(loops: Path) -> None:
    with watchdog(20, "expanding **/*.txt through two link loops"):
        found = list(expand_inputs([str(loops / "**" / "*.txt")]))
    assert found == [str(loops / name) for name in ["b.txt", "sub/out/o.txt", "z.txt"]]


def test_relative_double_star_pattern_names_files_relative(
    loops: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(loops)
    with watchdog(20, "expanding relative patterns through two link loops"):
        found = list(expand_inputs(["**/*.jsonl", "sub/**/d.*"]))
    assert found == [
        "sub/c.jsonl",
        "sub/deeper/d.CSV",
    ]


def test_the_folder_a_browser_saves_beside_a_page_is_not_read(tmp_path: Path) -> None:
    # "Web page, complete": Page.html beside Page_files/ with its frames, style and images.
    saved = tmp_path / "saved"
    for name in ["Page.html", "Page_files/ad-frame.html", "Page_files/widget.htm",
                 "Page_files/style.css", "oud.htm", "oud_files/frame.html",
                 "notes_files/kept.txt", "page-two_files/kept.html"]:  # fmt: skip
        (saved / name).parent.mkdir(parents=True, exist_ok=True)
        (saved / name).write_text("<p>Kop</p>\n", encoding="utf-8")
    read = [str(saved / name) for name in ["Page.html", "notes_files/kept.txt",
                                           "oud.htm", "page-two_files/kept.html"]]  # fmt: skip
    assert list(expand_inputs([str(saved)])) == read
    assert list(expand_inputs([str(saved / "**" / "*.htm*")])) == [read[0], read[2], read[3]]
    # Named outright, the folder or a file in it is read.
    inside = [str(saved / "Page_files" / name) for name in ["ad-frame.html", "widget.htm"]]
    assert list(expand_inputs([str(saved / "Page_files")])) == inside
    assert list(expand_inputs([inside[0]])) == inside[:1]
