"""What each command imports: labelling with an arrays model loads numpy, never scikit-learn,
SciPy or pandas, and --help loads none of the library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from headlines.defaults import load_default_model
from headlines.few import FEW

# Runs the command line in a child process and prints the modules it imported, whatever it
# exited with. The default model's data folder is the test's (argv[1], if any), as in conftest.
_RUN = """
import json, sys
from pathlib import Path
if sys.argv[1]:
    import headlines.defaults
    data = Path(sys.argv[1])
    headlines.defaults.data_dir = lambda: data
from headlines.cli import main
sys.argv = ["headlines", *sys.argv[2:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
# Never needed to label, parse, explain or inspect with an arrays model. (Typer 0.29 would
# import pydantic to read option values; cli._read_values_plainly reads them instead.)
HEAVY = {"sklearn", "scipy", "pandas", "joblib", "skops", "matplotlib", "pydantic"}
# Library modules only training, evaluating, joblib or skops files and worker processes need.
FITTING = {
    "headlines.calibration",
    "headlines.evaluation",
    "headlines.features",
    "headlines.pipeline",
    "headlines.similarity",
    "headlines.training",
}


def _imported(args: list[str], data: Path | None, stdin: str = "") -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(data or ""), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    ran = json.loads(done.stderr.splitlines()[-1])
    assert ran["code"] in (0, None), done.stderr  # the command did its work
    modules: set[str] = set(ran["modules"])
    return modules


def _roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.fixture
def trained_default(default_data: Path) -> Path:
    load_default_model()  # trained here, so that the child only loads it
    return default_data


@pytest.mark.parametrize(
    "args",
    [
        ["predict"],
        ["predict", "-f", "jsonl", "--top-k", "2", "--min-confidence", "0.5"],
        ["predict", "--model", "{fruit}", "-f", "csv"],
        ["parse", "-f", "csv"],
        ["explain", "Storm op komst langs de kust"],
        ["explain", "Storm op komst langs de kust", "--model", "{fruit}"],
        ["info"],
        ["info", "--model", "{fruit}"],
    ],
    ids=lambda args: " ".join(args),
)
def test_labelling_with_arrays_imports_neither_scikit_learn_nor_scipy(
    trained_default: Path, fruit_model_file: Path, args: list[str]
) -> None:
    argv = [arg.format(fruit=fruit_model_file) for arg in args]
    modules = _imported(argv, trained_default, stdin="Storm op komst langs de kust\n")
    assert not _roots(modules) & HEAVY
    assert not modules & FITTING
    # A feed of one chunk is labelled in this process: no worker pool is even imported.
    assert "concurrent.futures.process" not in modules
    assert "defusedxml" not in _roots(modules)  # no XML in the input
    assert "selectolax" not in _roots(modules)  # nor HTML
    assert not _roots(modules) & {"urllib3", "ssl", "socket"}  # no URL either, nor a server


def test_help_imports_nothing_of_the_library_or_numpy() -> None:
    modules = _imported(["--help"], None)
    assert not _roots(modules) & {"numpy", "pydantic"}
    assert {m for m in modules if m.startswith("headlines.")} == {
        "headlines._version",
        "headlines.card",
        "headlines.cli",
        "headlines.errors",
    }


@pytest.mark.parametrize(
    "args",
    [
        ["parse"],
        ["parse", "-f", "jsonl", "--dedupe"],
        ["parse", str(SAMPLES / "pages" / "ads-marked-before-their-advertiser.txt")],
        ["parse", str(SAMPLES / "html" / "ads-marked-before-their-advertiser.html")],
    ],
    ids=["list", "jsonl dedupe", "copied page", "html page"],
)
def test_parse_imports_no_numpy(args: list[str]) -> None:
    """Reading needs no numbers: a parse starts without numpy's tenth of a second."""
    modules = _imported(args, None, stdin='Storm op komst, "code oranje"\nPSV wint\n')
    assert not _roots(modules) & {"numpy", *HEAVY}
    assert not {"headlines.model", "headlines.predicting"} & modules


def test_an_xml_feed_imports_the_xml_parser(trained_default: Path) -> None:
    """The checks above can fail: a path that needs a module does import it."""
    feed = next((SAMPLES / "feeds").glob("*.rss"))
    modules = _imported(["parse", str(feed)], trained_default)
    assert "defusedxml" in _roots(modules)


def test_a_joblib_model_does_import_scikit_learn(
    trained_default: Path, fruit_joblib_file: Path
) -> None:
    modules = _imported(
        ["predict", "--model", str(fruit_joblib_file)], trained_default, stdin="Storm\n"
    )
    assert {"sklearn", "joblib"} <= _roots(modules)


@pytest.mark.parametrize(
    "args",
    [
        ["predict"],
        ["predict", "-f", "jsonl", "--top-k", "2", "--min-confidence", "auto"],
        ["predict", "--priors", "train", "-f", "table"],
        ["predict", "--model", "{fruit}", "--exclude", "fruit", "--group"],
        ["predict", str(SAMPLES / "html" / "ads-marked-before-their-advertiser.html")],
        ["predict", "--explain", "--priors", "train"],
        ["explain", "Storm op komst langs de kust"],
        ["explain", "Storm op komst langs de kust", "--model", "{fruit}"],
        ["info"],
    ],
    ids=lambda args: " ".join(args)[:40],
)
def test_a_few_headlines_are_labelled_without_numpy(
    trained_default: Path, fruit_model_file: Path, args: list[str]
) -> None:
    """One headline in, one label out, without numpy's tenth of a second (few.py)."""
    argv = [arg.format(fruit=fruit_model_file) for arg in args]
    modules = _imported(argv, trained_default, stdin="Storm op komst langs de kust\nPSV wint\n")
    assert not _roots(modules) & {"numpy", *HEAVY}
    assert not {"headlines.model", "headlines.scoring", "headlines.hashing"} & modules


@pytest.mark.parametrize(
    ("lines", "words"), [(FEW + 1, 6), (6, 400)], ids=["more than a few", "long lines"]
)
def test_more_than_a_few_headlines_load_numpy(
    trained_default: Path, lines: int, words: int
) -> None:
    """The check above can fail: past FEW headlines or FEW_CHARACTERS, numpy scores them."""
    stdin = "".join(f"{'Storm op komst ' * (words // 3)} dag {i}\n" for i in range(lines))
    modules = _imported(["predict"], trained_default, stdin=stdin)
    assert {"numpy", "headlines.scoring"} <= modules


# Labels texts through the Python API in a child process, with the default model's data
# folder the test's (argv[1]) and argv[2] texts, and prints the modules it imported.
_API = """
import json, sys
from pathlib import Path
import headlines.defaults
data = Path(sys.argv[1])
headlines.defaults.data_dir = lambda: data
import headlines
rows = headlines.label_texts([f"Storm op komst langs de kust {i}" for i in range(int(sys.argv[2]))],
                             top_k=1, reasons=1, min_confidence="auto")
assert len(rows) == int(sys.argv[2])
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(("texts", "numpy"), [(1, False), (FEW, False), (FEW + 1, True)])
def test_label_texts_of_a_few_texts_from_a_file_imports_no_numpy(
    trained_default: Path, texts: int, numpy: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _API, str(trained_default), str(texts)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stderr.splitlines()[-1]))
    assert ("numpy" in modules) is numpy
    assert not _roots(modules) & HEAVY
