"""The ``headlines`` command line: the only module that prints or exits.

Covers: parsing arguments, calling one library function per command, printing what comes
back, and turning errors into one line on stderr and an exit code (2 for usage and input
errors, 1 for anything else). ``HEADLINES_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

from .dataset import Reject
from .defaults import load_default_model
from .errors import HeadlinesError, InputError
from .labelling import predict_feeds
from .model import CLASSIFIERS, DEFAULT_CLASSIFIER, DEFAULT_FEATURES, FEATURES, Model
from .output import OUTPUT_FORMATS, write_rows
from .persistence import (
    ModelVersionWarning,
    atomic_write_text,
    card_path,
    check_writable,
    load_model,
)
from .training import train

log = logging.getLogger("headlines")

_REJECTS_SHOWN = 20


class _Group(TyperGroup):
    """Runs a command and reports every failure as one line on stderr."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        debug = bool(os.environ.get("HEADLINES_DEBUG"))
        try:
            code = super().main(*args, **kwargs)
        except HeadlinesError as exc:
            if debug:
                raise
            _fail(str(exc), exc.exit_code)
        except TyperException as exc:  # typer's own usage errors, raised by its vendored click
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.format_message())
                sys.exit(0)
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "headlines"
            _fail(f"{exc.format_message()} (see '{where} --help')", exc.exit_code)
        except (Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (``| head``); stop quietly, as other command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:  # the disk is full, a file vanished: the system's own words
            if debug:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}", 1)
        except Exception as exc:
            if debug:
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(rerun with HEADLINES_DEBUG=1 for the traceback)",
                1,
            )
        if code == 130:  # typer turns Ctrl-C into a quiet exit code 130
            _fail("interrupted", 130)
        sys.exit(code or 0)


def _fail(message: str, code: int) -> None:
    # One line, whatever a library below us put in its message.
    typer.echo("error: " + " ".join(message.splitlines()), err=True)
    sys.exit(code)


app = typer.Typer(
    cls=_Group,
    help="Sort news portals' OTHER NEWS headline lists into topics.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def _setup(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens on stderr."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    logging.addLevelName(logging.WARNING, "warning")
    logging.addLevelName(logging.INFO, "info")
    warnings.showwarning = _show_warning


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    typer.echo(f"warning: {message}", err=True)


@app.command("train")
def train_cli(
    data: list[Path] = typer.Argument(..., help="Labelled CSV files (headline and label columns)."),
    model: Path = typer.Option(Path("model.joblib"), "--model", "-m", help="Model file to write."),
    text_column: str = typer.Option("headline", help="Column with the headline text."),
    label_column: str = typer.Option("label", help="Column with the label."),
    cv: int = typer.Option(5, help="Cross-validation folds scored into the model card; 0 skips."),
    classifier: str = typer.Option(DEFAULT_CLASSIFIER, help=f"One of: {', '.join(CLASSIFIERS)}."),
    features: str = typer.Option(DEFAULT_FEATURES, help=f"One of: {', '.join(FEATURES)}."),
    encoding: str = typer.Option(None, help="Encoding of the CSV files (default: detected)."),
    strict: bool = typer.Option(
        False, help="Stop at a row with an empty headline or label instead of skipping it."
    ),
    rejects: Path = typer.Option(
        None, help="Write every dropped row, with the reason, to this CSV file."
    ),
    model_format: str = typer.Option(
        None,
        help="joblib (your own models) or skops (models you pass on: loading runs no code); "
        "default: skops for a .skops name, else joblib.",
    ),
) -> None:
    """Train a model from labelled CSV files and save it with its model card.

    Example: headlines train data/train.csv --model my-model.joblib
    """
    result = train(
        list(data),
        model,
        text_column=text_column,
        label_column=label_column,
        classifier=classifier,
        features=features,
        cv=cv,
        encoding=encoding,
        strict=strict,
        rejects_path=rejects,
        model_format=model_format,
    )
    card = result.card
    for f in card.training_files:
        typer.echo(f"read {f['rows']} rows from {f['path']}")
    _echo_rejects(result.dataset.rejects, rejects)
    labels = ", ".join(f"{label} {n}" for label, n in card.labels.items())
    typer.echo(f"trained on {card.training_rows} rows, {len(card.labels)} labels: {labels}")
    if card.cross_validation:
        cvs = card.cross_validation
        typer.echo(
            f"cross-validation ({cvs['folds']} folds): accuracy {cvs['accuracy']:.3f}, "
            f"macro-F1 {cvs['macro_f1']:.3f}"
        )
    typer.echo(f"saved {result.path} and {card_path(result.path)}")


def _echo_rejects(rejects: list[Reject], written_to: Path | None) -> None:
    """Say how many rows were dropped and why; name each one unless they went to a file."""
    if not rejects:
        return
    reasons = Counter(r.reason.split(" of ")[0] for r in rejects)
    why = ", ".join(f"{reason} {n}" for reason, n in reasons.items())
    if written_to is not None:
        typer.echo(f"dropped {len(rejects)} rows: {why}; listed in {written_to}")
        return
    typer.echo(f"dropped {len(rejects)} rows: {why}")
    for r in rejects[:_REJECTS_SHOWN]:
        typer.echo(f"  {r.path}: line {r.line}: {r.reason}")
    if len(rejects) > _REJECTS_SHOWN:
        typer.echo(
            f"  ... and {len(rejects) - _REJECTS_SHOWN} more; pass --rejects FILE to list them all"
        )


@app.command("predict")
def predict_cli(
    inputs: list[str] = typer.Argument(
        None, help="Feed files: saved portal pages, plain lists or CSV; '-' or none reads stdin."
    ),
    model: Path = typer.Option(
        None, "--model", "-m", help="Model file (default: the shipped default model)."
    ),
    output_format: str = typer.Option(
        None,
        "--format",
        "-f",
        help="table, csv or jsonl (default: table on a terminal, else csv).",
    ),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    input_format: str = typer.Option("auto", help="auto, page, list or csv."),
    text_column: str = typer.Option("headline", help="CSV input: column with the headline."),
    encoding: str = typer.Option(None, help="Encoding of the inputs (default: detected)."),
) -> None:
    """Label every headline of the given feeds, one output row per headline, in input order.

    Example: headlines predict data/feeds/portal-page-1.txt --format csv
    """
    if not inputs:
        if sys.stdin.isatty():
            raise InputError("no input: pass feed files, or pipe a feed into stdin")
        inputs = ["-"]
    fmt = output_format or _default_format(output)
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown --format '{fmt}'; choose one of {', '.join(OUTPUT_FORMATS)}")
    if output is not None:
        check_writable(output, inputs=[name for name in inputs if name != "-"])
    loaded = _load(model)
    rows = predict_feeds(
        inputs,
        model=loaded,
        input_format=input_format,
        text_column=text_column,
        encoding=encoding,
    )
    if output is None:
        write_rows(rows, sys.stdout, fmt)
        return
    with atomic_write_text(output) as fh:
        count = write_rows(rows, fh, fmt)
    log.info("wrote %d rows to %s", count, output)


def _default_format(output: Path | None) -> str:
    if output is not None:
        return "jsonl" if output.suffix.lower() in (".jsonl", ".ndjson") else "csv"
    return "table" if sys.stdout.isatty() else "csv"


def _load(model: Path | None) -> Model:
    if model is None:
        return load_default_model(on_train=lambda message: typer.echo(message, err=True))
    # Shown whatever the warning filters say: a model from another scikit-learn matters.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ModelVersionWarning)
        loaded = load_model(model)
    for warning in caught:
        typer.echo(f"warning: {warning.message}", err=True)
    return loaded


def main() -> None:
    """Entry point of the ``headlines`` console script."""
    app()
