"""The ``headlines`` command line: the only module that prints or exits.

Covers: parsing arguments, calling one library function per command, printing what comes
back, and turning errors into one line on stderr and an exit code (2 for usage and input
errors, 1 for anything else). ``HEADLINES_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TextIO, get_type_hints

import typer
import typer.core
from typer._coercion import RuntimeParam, TypeDescriptor  # typer's own: _read_values_plainly
from typer.core import TyperGroup
from typer.exceptions import Abort, TyperException

from .card import CLASSIFIERS, DEFAULT_CLASSIFIER, DEFAULT_FEATURES, FEATURES, card_path
from .errors import HeadlinesError, InputError, OptionError, OptionWarning

# Each command imports the library modules it uses when it runs: `--help` loads none of
# them, and labelling with an arrays model loads numpy but never scikit-learn or SciPy.
if TYPE_CHECKING:
    import socket

    from .card import ModelCard
    from .dataset import Reject
    from .feeds import Reading
    from .model import Model
    from .persistence import ModelFile
    from .progress import Progress

log = logging.getLogger("headlines")

_REJECTS_SHOWN = 20


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that it stops as on Ctrl-C: every
    ``finally`` and ``except BaseException`` runs and removes its temporary files."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _stop_on_signals() -> None:
    """Stop on SIGTERM and SIGHUP as on Ctrl-C (see :class:`_Stopped`)."""
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop)
    previous = sys.unraisablehook

    def stop_again(unraisable: Any) -> None:
        """Where Python cannot raise (a callback at a fork, a ``__del__``) it reports the
        error and goes on, which would lose the signal: send it again, from a thread, so
        that it arrives once the main thread is back in code that can stop."""
        stopped = unraisable.exc_value
        if not isinstance(stopped, _Stopped):
            previous(unraisable)
            return
        kill = threading.Thread(target=os.kill, args=(os.getpid(), stopped.signum), daemon=True)
        kill.start()

    sys.unraisablehook = stop_again


# A timeout, a CI cancel or a closed terminal stops a run like Ctrl-C, not by a kill that
# leaves temporary files behind.
_STOP_SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


class _Group(TyperGroup):
    """Runs a command and reports every failure as one line on stderr."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        _read_values_plainly()
        debug = bool(os.environ.get("HEADLINES_DEBUG"))
        try:
            with warnings.catch_warnings():
                # An option the library changed is said, whatever the warning filters are.
                warnings.simplefilter("always", OptionWarning)
                code = super().main(*args, **kwargs)
        except HeadlinesError as exc:
            if debug:
                raise
            _fail(_in_cli_words(exc), exc.exit_code)
        except TyperException as exc:  # typer's own usage errors, raised by its vendored click
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.format_message())
                sys.exit(0)
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "headlines"
            _fail(f"{exc.format_message()} (see '{where} --help')", exc.exit_code)
        except (Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except _Stopped as stopped:
            _fail(f"stopped by {signal.Signals(stopped.signum).name}", 128 + stopped.signum)
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


class _PlainValue(RuntimeParam):
    """A command-line value made into its parameter's type by Python's own constructors:
    ``str``, ``int``, ``float``, ``Path``, ``bool`` or a list of one of them (see
    :func:`_read_values_plainly`)."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(self.annotation, type):
            return self._one(self.annotation, value, param, ctx)
        (kind,) = self.annotation.__args__  # list[X]
        return [self._one(kind, item, param, ctx) for item in value]

    @staticmethod
    def _one(kind: type, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, kind):
            return value
        if kind is bool:  # a flag gives a bool; text as click reads it
            word = str(value).strip().lower()
            if word in _TRUE or word in _FALSE:
                return word in _TRUE
        else:
            with contextlib.suppress(ValueError):
                return kind(value)
        what = {int: "a whole number", float: "a number", bool: "true or false"}.get(
            kind, f"a {kind.__name__}"
        )
        raise typer.BadParameter(f"{value!r} is not {what}", ctx=ctx, param=param)


_PLAIN_TYPES = (str, int, float, Path, bool)
_TRUE, _FALSE = {"1", "true", "t", "yes", "y", "on"}, {"0", "false", "f", "no", "n", "off"}


def _read_values_plainly() -> None:
    """Let :class:`_PlainValue` turn the text of every parameter whose type is one of
    :data:`_PLAIN_TYPES` (or a list of one) into its value, instead of pydantic.

    Typer 0.29 builds a pydantic ``TypeAdapter`` for each parameter of the command being run,
    and imports pydantic to do it: 0.2 s of the 0.55 s that labelling one headline took on a
    slow machine, for values that ``int`` or ``Path`` read as well. It builds them with
    ``typer.core.build_runtime_param``, which is put in front of here: that name is typer's
    own (hence the pin below 0.30 in pyproject.toml). Files, choices, ranges and other
    types are still left to typer. tests/test_imports.py checks that pydantic stays out.
    """
    typers = typer.core.build_runtime_param
    if getattr(typers, "plain", False):  # put in front already
        return

    def plain_or_typers(descriptor: TypeDescriptor) -> RuntimeParam:
        annotation = descriptor.annotation
        plain = annotation in _PLAIN_TYPES or (
            getattr(annotation, "__origin__", None) is list
            and tuple(getattr(annotation, "__args__", ())) in {(t,) for t in _PLAIN_TYPES}
        )
        if plain and not (descriptor.is_file or descriptor.is_choice or descriptor.is_ranged):
            return _PlainValue(descriptor.parameter_info, annotation)
        return typers(descriptor)

    plain_or_typers.plain = True  # type: ignore[attr-defined]
    typer.core.build_runtime_param = plain_or_typers


def _in_cli_words(exc: HeadlinesError | Warning) -> str:
    """The error as the command line says it: ``top_k -1: ...`` -> ``--top-k -1: ...``."""
    if isinstance(exc, OptionError | OptionWarning):
        return exc.naming("--" + exc.param.replace("_", "-"))
    return str(exc)


def _fail(message: str, code: int) -> None:
    typer.echo("error: " + _one_line(message), err=True)
    sys.exit(code)


def _one_line(message: str) -> str:
    """A message as one line a terminal shows as it is, whatever a library below us (or a
    feed's text quoted in it) put in it: line breaks become spaces, control characters
    escapes, and a file name's bytes that are not UTF-8 \\xNN, as the source column has them.
    """
    from .files import printable

    with contextlib.suppress(UnicodeEncodeError):
        message = message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return printable(" ".join(message.splitlines()))


class _OneLineFormatter(logging.Formatter):
    """Log lines as :func:`_one_line` makes them."""

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


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
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_OneLineFormatter("%(levelname)s: %(message)s"))
    warnings.showwarning = _show_warning


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    text = _in_cli_words(message) if isinstance(message, Warning) else str(message)
    typer.echo(f"warning: {_one_line(text)}", err=True)


_QUIET = typer.Option(
    False, "--quiet", "-q", help="No progress line on stderr (shown only on a terminal)."
)


@app.command("train")
def train_cli(
    data: list[Path] = typer.Argument(..., help="Labelled CSV files (headline and label columns)."),
    model: Path = typer.Option(
        Path("model.headlines"), "--model", "-m", help="Model file to write."
    ),
    text_column: str = typer.Option("headline", help="Column with the headline text."),
    label_column: str = typer.Option("label", help="Column with the label."),
    cv: int = typer.Option(5, help="Cross-validation folds scored into the model card; 0 skips."),
    classifier: str = typer.Option(DEFAULT_CLASSIFIER, help=f"One of: {', '.join(CLASSIFIERS)}."),
    features: str = typer.Option(DEFAULT_FEATURES, help=f"One of: {', '.join(FEATURES)}."),
    encoding: str = typer.Option(None, help="Encoding of the CSV files (default: detected)."),
    class_weight: str = typer.Option(
        None, help="'balanced' weighs rare labels up, for training sets with uneven labels."
    ),
    strict: bool = typer.Option(
        False, help="Stop at a row with an empty headline or label instead of skipping it."
    ),
    group_column: str = typer.Option(
        None,
        help="Column that says who wrote each row (a writer, a source): the confidence is "
        "calibrated on whole groups the model did not learn from.",
    ),
    calibration_shift: float = typer.Option(
        1.0,
        help="Multiply the temperature fitted on held-out rows by this: above 1, less sure "
        "answers, for feeds less like the training data than its held-out rows are (the "
        "default model uses 1.05; see benchmarks/calibration_shift.py).",
    ),
    rejects: Path = typer.Option(
        None, help="Write every dropped row, with the reason, to this CSV file."
    ),
    model_format: str = typer.Option(
        None,
        help="arrays (plain arrays: loading runs no code), joblib (the scikit-learn pipeline as "
        "a pickle, for use from scikit-learn: your own models only) or skops; default: the "
        "one the name says (.headlines, .joblib, .skops), else arrays.",
    ),
    quiet: bool = _QUIET,
) -> None:
    """Train a model from labelled CSV files and save it with its model card.

    Example: headlines train data/train.csv --model my-model.headlines
    """
    from .dataset import Columns
    from .training import train

    with _ProgressLine(enabled=not quiet and _is_terminal(sys.stderr)) as show:
        result = train(
            list(data),
            model,
            columns=Columns(text_column, label_column, group_column),
            classifier=classifier,
            features=features,
            cv=cv,
            encoding=encoding,
            class_weight=class_weight,
            strict=strict,
            calibration_shift=calibration_shift,
            rejects_path=rejects,
            model_format=model_format,
            progress=show,
        )
    card = result.card
    for f in card.training_files:
        typer.echo(f"read {f['rows']} rows from {f['path']}")
    _echo_rejects(result.dataset.rejects, rejects)
    labels = ", ".join(f"{label} {n}" for label, n in card.labels.items())
    typer.echo(f"trained on {card.training_rows} rows, {len(card.labels)} labels: {labels}")
    if card.cross_validation:
        cvs = card.cross_validation
        typer.echo(f"cross-validation ({cvs['folds']} folds): {_scores(cvs, 3)}")
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


class _FeedOptions(NamedTuple):
    """The options with which parse and predict read feeds and write rows, declared once so
    that both commands take them alike; a command gets them through :func:`_takes_feeds`."""

    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Feed files (saved portal pages as HTML or text, plain lists, CSV, JSON lines, "
            "RSS, Atom or Parquet), folders of them, quoted glob patterns such as "
            "'pages/*.txt', or http(s) URLs; '-' or none reads stdin.",
        ),
    ] = None
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table, csv, jsonl or parquet (default: table on a terminal, else csv; "
            "-o NAME.jsonl and -o NAME.parquet choose by the name).",
        ),
    ] = None
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None
    input_format: Annotated[
        str,
        typer.Option(
            help="auto (detect from the content), page, html (also a page saved as MHTML or as "
            "a Safari web archive), list, csv, jsonl, json, rss, atom or parquet."
        ),
    ] = "auto"
    text_column: Annotated[
        str,
        typer.Option(
            "--text-column", "--text-field", help="CSV column or JSON field with the headline."
        ),
    ] = "headline"
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of the inputs (default: detected).")
    ] = None
    dedupe: Annotated[
        bool,
        typer.Option(
            "--dedupe",
            help="Keep each headline once (case and spacing ignored), where it first appeared, "
            "with columns seen (how often) and seen_in (which files). Prints when all input "
            "is read.",
        ),
    ] = False
    list_heading: Annotated[
        str | None,
        typer.Option(
            "--list-heading",
            metavar="TEXT",
            help="Read the list of a saved page under this heading (or part of it), as the "
            "page shows it, e.g. --list-heading 'More on this story'.",
        ),
    ] = None
    block: Annotated[
        int | None,
        typer.Option(
            "--block",
            metavar="N",
            help="Read list N of a saved page, as numbered by 'headlines parse --blocks'.",
        ),
    ] = None

    def reading(self) -> Reading:
        """How to read the feeds: format, column, encoding and which list of a page."""
        from .feeds import Reading

        return Reading(
            self.input_format,
            self.text_column,
            self.encoding,
            _list_choice(self.list_heading, self.block),
        )


def _takes_feeds(command: Callable[..., None]) -> Callable[..., None]:
    """Let ``command`` take the options of :class:`_FeedOptions` as its parameter ``feeds``:
    typer, which reads a command's options from its signature, finds the fields of
    :class:`_FeedOptions` where ``feeds`` stands, and the command gets them as one value."""
    shared = _feed_parameters()
    params: list[inspect.Parameter] = []
    # The command's own annotations stay strings here: typer evaluates them, as it does for
    # every other command.
    for param in inspect.signature(command).parameters.values():
        if param.name == "feeds":
            params += shared
        else:
            params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY))

    @functools.wraps(command)
    def run(**options: Any) -> None:
        feeds = _FeedOptions(**{param.name: options.pop(param.name) for param in shared})
        command(feeds=feeds, **options)

    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return run


@functools.cache
def _feed_parameters() -> list[inspect.Parameter]:
    """The fields of :class:`_FeedOptions` as the keyword parameters of a command."""
    hints = get_type_hints(_FeedOptions, include_extras=True)
    return [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=_FeedOptions._field_defaults[name],
            annotation=hints[name],
        )
        for name in _FeedOptions._fields
    ]


@app.command("parse")
@_takes_feeds
def parse_cli(
    feeds: _FeedOptions,
    blocks: bool = typer.Option(
        False,
        "--blocks",
        help="Print the candidate lists of each saved page (number, heading, headlines, "
        "score, the one read by default, first headline) instead of the headlines.",
    ),
) -> None:
    """Print the headlines read from feeds, without labelling them, to check the parsing.

    Reads exactly as predict does and writes the same columns but label and confidence.

    Example: headlines parse pages/ --format csv

    Example: headlines parse page.html --blocks
    """
    from .feeds import parse_chunks
    from .output import write_chunks

    if blocks:
        _echo_blocks(feeds)
        return
    inputs, fmt = _inputs_and_format(feeds)
    chunks = parse_chunks(inputs, feeds.reading(), dedupe=feeds.dedupe)
    _write(
        feeds.output,
        lambda fh: write_chunks(chunks, fh, fmt, labelled=False, deduped=feeds.dedupe),
    )


_PRIORS = typer.Option(
    "feed",
    metavar="feed|train|FILE",
    help="Label shares to expect: 'feed' estimates them from the input (its first 10,000 "
    "headlines), 'train' keeps the training data's, FILE gives them as label,share lines.",
)
_MODEL = typer.Option(
    None, "--model", "-m", help="Model file (default: the shipped default model)."
)


@app.command("predict")
@_takes_feeds
def predict_cli(
    model: Path = _MODEL,
    *,
    feeds: _FeedOptions,
    only: list[str] = typer.Option(
        None, metavar="LABEL[,LABEL]", help="Keep only rows with these labels."
    ),
    exclude: list[str] = typer.Option(
        None, metavar="LABEL[,LABEL]", help="Leave out rows with these labels, e.g. crypto-spam."
    ),
    group: bool = typer.Option(
        False,
        "--group",
        help="Print topic by topic, the biggest first, with a count per topic (a label_count "
        "column in csv and jsonl). Prints when all input is read.",
    ),
    min_confidence: str = typer.Option(
        "0",
        metavar="P",
        help="Label a headline 'unknown' when its top probability is below P; 'auto' uses "
        "each label's threshold from the model card (chosen for 95% precision on held-out "
        "writers).",
    ),
    priors: str = _PRIORS,
    top_k: int = typer.Option(
        0, metavar="K", help="Add the next K labels and their probabilities to each row."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="Add the three n-grams that pushed each headline to its label."
    ),
    jobs: int = typer.Option(
        None,
        metavar="N",
        help="Label in N processes (default: all cores); 1 labels in this process. Input of "
        "one chunk (10,000 headlines) or less is always labelled in this process. With "
        "--dask local: the number of workers.",
    ),
    dask: str = typer.Option(
        None,
        "--dask",
        metavar="ADDRESS",
        help="Label on a Dask cluster: a scheduler's address (tcp://host:8786), or 'local' "
        "for worker processes on this machine. Each input file is a partition; -o names a "
        "folder that gets one Parquet file per partition, part-00000.parquet onwards, in "
        "input order. Needs headlines[dask].",
    ),
    quiet: bool = _QUIET,
) -> None:
    """Label every headline of the given feeds, one output row per headline, in input order.

    --dedupe, --only, --exclude and --group narrow and arrange the rows.

    Example: headlines predict data/feeds/msn-nl-example.txt --format csv

    Example: headlines predict pages/ --dedupe --exclude crypto-spam --format csv

    Example: headlines predict 'lake/*.parquet' --dask local -o labelled/
    """
    from .defaults import default_model_path
    from .output import write_chunks, write_groups
    from .predicting import Labelling, predict_chunks, predict_groups

    if dask is not None:
        folder = _check_dask_options(feeds, group)
        inputs = feeds.inputs or []
    else:
        inputs, fmt = _inputs_and_format(feeds, also=[model or default_model_path()])
    only_labels, exclude_labels = _labels(only, "--only"), _labels(exclude, "--exclude")
    opened = _open(model)
    output = feeds.output
    # The line would mix with the rows if both went to one terminal.
    shown = not quiet and _is_terminal(sys.stderr) and (output or not _is_terminal(sys.stdout))
    labelling = Labelling(
        only=only_labels,
        exclude=exclude_labels,
        min_confidence=min_confidence
        if min_confidence == "auto"
        else _number(min_confidence, "--min-confidence"),
        priors=priors,
        top_k=top_k,
        explain=3 if explain else 0,
    )
    if dask is not None:
        from .cluster import predict_dask

        if feeds.list_heading is not None or feeds.block is not None:
            raise InputError(
                "--list-heading and --block choose a saved page's list; --dask labels "
                "Parquet or feed files whole"
            )
        with _ProgressLine(enabled=not quiet and _is_terminal(sys.stderr)) as show:
            run = predict_dask(
                inputs,
                folder,
                dask=dask,
                jobs=jobs,
                model=model,
                loaded=_loaded(opened),
                reading=feeds.reading(),
                labelling=labelling,
                progress=show,
            )
        typer.echo(
            f"labelled {run.rows:,} rows on {run.workers} Dask workers into "
            f"{len(run.files)} Parquet files in {folder}",
            err=True,
        )
        return
    if fmt == "parquet":
        # Parquet keeps confidences unrounded: numpy scores them, to the bit as Dask does.
        opened = _loaded(opened)
    options: dict[str, Any] = {
        "model": opened,
        "reading": feeds.reading(),
        "labelling": labelling,
        "dedupe": feeds.dedupe,
        "jobs": jobs,
    }
    with _ProgressLine(enabled=bool(shown)) as show:
        if group:
            groups = predict_groups(inputs, progress=show, **options)
            _write(output, lambda fh: write_groups(groups, fh, fmt, deduped=feeds.dedupe))
        else:
            chunks = predict_chunks(inputs, progress=show, **options)
            _write(output, lambda fh: write_chunks(chunks, fh, fmt, deduped=feeds.dedupe))


@app.command("evaluate")
def evaluate_cli(
    data: list[Path] = typer.Argument(..., help="Labelled CSV files to score the model on."),
    model: Path = _MODEL,
    text_column: str = typer.Option("headline", help="Column with the headline text."),
    label_column: str = typer.Option("label", help="Column with the true label."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    plot: Path = typer.Option(
        None, metavar="FILE.png", help="Draw the confusion matrix (needs headlines[plot])."
    ),
    encoding: str = typer.Option(None, help="Encoding of the CSV files (default: detected)."),
    priors: str = _PRIORS,
) -> None:
    """Score a model on labelled data: accuracy, per-label scores, confusion, calibration.

    Example: headlines evaluate data/holdout.csv
    """
    from .dataset import Columns
    from .defaults import default_model_path
    from .evaluation import evaluate_files, plot_confusion
    from .files import check_writable

    if plot is not None:
        check_writable(plot, inputs=[*data, model or default_model_path()])
    report = evaluate_files(
        list(data),
        _load(model),
        Columns(text_column, label_column),
        encoding=encoding,
        priors=priors,
    )
    if plot is not None:
        plot_confusion(report, plot)
    typer.echo(
        json.dumps(report, ensure_ascii=False, indent=2) if as_json else _format_report(report)
    )


@app.command("explain")
def explain_cli(
    headline: str = typer.Argument(..., help="The headline to explain."),
    model: Path = _MODEL,
    top: int = typer.Option(10, help="How many n-grams to show."),
) -> None:
    """Show each label's probability and the n-grams that pushed a headline to its label.

    Example: headlines explain "KNMI waarschuwt voor zware windstoten"
    """
    if not headline.strip():
        raise InputError(
            "explain needs the text of a headline; pass it in quotes, as in headlines explain "
            '"KNMI waarschuwt voor zware windstoten"'
        )
    if Path(headline).exists():
        # "headlines explain feed.txt" explains the words "feed.txt"; say so.
        log.warning(
            "'%s' names a %s; explain reads its argument as a headline's text (to label the"
            " headlines in it: headlines predict %s)",
            headline,
            "folder" if Path(headline).is_dir() else "file",
            headline,
        )
    from .few import few_or_loaded

    # An arrays model explains in plain Python, without loading numpy (few.py).
    explanation = few_or_loaded(_open(model)).explain(headline, top=top)
    typer.echo(f"{explanation.label}  {explanation.probabilities[0][1]:.3f}  {headline}")
    typer.echo("\nlabel probabilities:")
    for label, probability in explanation.probabilities:
        typer.echo(f"  {label:<14} {probability:.3f}")
    typer.echo(f"\nn-grams that pushed it to {explanation.label} (share of its score):")
    for name, weight in explanation.contributions:
        typer.echo(f"  {weight:+.3f}  {name}")
    typer.echo(f"  {explanation.bias:+.3f}  (bias of {explanation.label})")


@app.command("info")
def info_cli(
    model: Path = _MODEL,
    as_json: bool = typer.Option(False, "--json", help="Print the whole card as JSON."),
) -> None:
    """Show a model's card: what it was trained on, with which libraries, how well it scored.

    Checks the whole file, but builds nothing from it. Example: headlines info --model
    model.headlines
    """
    from .persistence import read_card

    card = read_card(model) if model is not None else _open(None).card
    if as_json:
        typer.echo(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
        return
    # A card is text from a file: shown, never obeyed (labels, paths).
    typer.echo("\n".join(map(_one_line, _format_card(card).split("\n"))))


@app.command("review")
def review_cli(
    feeds: list[str] = typer.Argument(
        ..., help="Feed files, folders or quoted patterns, read as predict reads them."
    ),
    model: Path = _MODEL,
    train: Path = typer.Option(
        None,
        help="Labelled CSV (headline and label columns) that retraining learns from; its "
        "headlines are not asked (default: the shipped data/train.csv).",
    ),
    out: Path = typer.Option(None, help="Append answers here instead of to the --train file."),
    labels: Path = typer.Option(
        None,
        help="A file with the labels to offer, one a line (default: the model's labels).",
    ),
    holdout: Path = typer.Option(
        None,
        help="Labelled CSV to score retrained models on (default: the shipped data/holdout.csv "
        "with the default model).",
    ),
    port: int = typer.Option(0, help="Port to serve on (default: a free one)."),
    host: str = typer.Option(
        "127.0.0.1", help="Address to serve on; anything but 127.0.0.1 lets others in."
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in a browser."),
    save_model: Path = typer.Option(
        None,
        help="Save every retrained model here (atomically) and label with it from then on.",
    ),
    retrain_every: int = typer.Option(
        50, metavar="N", help="Retrain in the background after every N answers; 0 never."
    ),
) -> None:
    """Teach the model your feeds in a browser: it asks what it is least sure of, a key a headline.

    Answers go to the training CSV (or --out) at once, and a review started again goes on
    where it stopped. Keys: 1-9 label, Enter accepts, S skips, U undoes, R retrains, ? help.

    Example: headlines review data/feeds --out my-answers.csv
    """
    try:
        import uvicorn

        from .review.app import LOOPBACK_HOSTS, build_app
        from .review.session import open_review, read_label_file
    except ImportError as exc:
        raise HeadlinesError(
            f"headlines review needs the review extra ({exc.name} is missing); "
            "pip install 'headlines[review]'"
        ) from None
    if host != "127.0.0.1":
        typer.echo(
            f"warning: --host {host}: anyone who can reach this address can see the page; "
            "only the token keeps them from answering",
            err=True,
        )
    # Bound before any work, so that a port in use is said at once.
    listener = _listen(host, port)
    with listener:
        session = open_review(
            feeds,
            _load(model),
            train=train or _shipped_training(out),
            out=out,
            labels=read_label_file(labels) if labels is not None else None,
            # The shipped holdout has the default model's labels; a model of your own may not.
            holdout=holdout or (_shipped_holdout() if model is None else None),
            save_model_to=save_model,
            model_file=model,
            retrain_every=retrain_every,
        )
        address, bound = listener.getsockname()[:2]
        url = f"http://{f'[{address}]' if ':' in address else address}:{bound}/"
        counts = session.counts()
        typer.echo(
            f"{counts.left} headlines to ask ({counts.labelled} answered before); answers go "
            f"to {session.answers.path}",
            err=True,
        )
        typer.echo(f"serving the review on {url} (Ctrl-C stops it)", err=True)
        typer.echo(url)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        allowed = LOOPBACK_HOSTS if host == "127.0.0.1" else None
        config = uvicorn.Config(
            build_app(session, allowed_hosts=allowed), log_level="warning", lifespan="off"
        )
        # uvicorn stops on Ctrl-C, then raises it again: here it is the way to stop.
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[listener])
    counts = session.counts()
    typer.echo(
        f"labelled {counts.labelled}, skipped {counts.skipped}, {counts.left} left; "
        f"answers are in {session.answers.path}",
        err=True,
    )


def _shipped_training(out: Path | None) -> Path:
    """The shipped training data, to learn from and (without --out) to append answers to."""
    from .defaults import data_dir

    if out is None and data_dir().parent.name == "headlines":
        # The data inside an installed package is no file of the user's to append to.
        raise InputError("pass --out FILE for your answers (or --train with a labelled CSV)")
    return _from_here(data_dir() / "train.csv")


def _shipped_holdout() -> Path | None:
    from .defaults import data_dir

    path = data_dir() / "holdout.csv"
    return _from_here(path) if path.is_file() else None


def _from_here(path: Path) -> Path:
    """``path`` relative to the working folder when inside it: data/train.csv in a checkout."""
    with contextlib.suppress(ValueError):
        return path.relative_to(Path.cwd())
    return path


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (port 0: a free one), or an error naming the option."""
    import socket

    if not 0 <= port <= 65535:
        raise InputError(f"--port {port}: use a port from 1 to 65535, or 0 for a free one")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InputError(
            f"--host {host}: not an address of this machine ({exc.strerror})"
        ) from None
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(128)  # connections wait from now on, while uvicorn starts
    except OSError as exc:
        listener.close()
        raise InputError(
            f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); pass another "
            "--port, or leave it out for a free one"
        ) from None
    return listener


_PROGRESS_EVERY = 0.25  # seconds between redraws of the progress line


def _is_terminal(stream: TextIO) -> bool:
    return stream.isatty()


class _ProgressLine:
    """The progress of a long run on one line of stderr, redrawn in place and wiped at the
    end; does nothing when not ``enabled``."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.width = 0  # of the line on screen
        self.drawn_at = float("-inf")

    def __enter__(self) -> _ProgressLine:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.width:
            typer.echo("\r" + " " * self.width + "\r", err=True, nl=False)
            self.width = 0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.drawn_at < _PROGRESS_EVERY:
            return
        self.drawn_at = now
        line = _format_progress(progress)
        typer.echo("\r" + line.ljust(self.width), err=True, nl=False)
        self.width = len(line)


def _format_progress(p: Progress) -> str:
    """``labelling  120,000 rows  98,765 rows/s  25%  0:03 left``"""
    parts = [p.task]
    if p.rows:
        parts.append(f"{p.rows:,} rows")
        if p.elapsed >= 1.0:
            parts.append(f"{p.rate:,.0f} rows/s")
    if p.fraction is not None:
        parts.append(f"{p.fraction:.0%}")
        if p.remaining is not None and p.elapsed >= 1.0:
            parts.append(f"{_duration(p.remaining)} left")
    else:
        parts.append(_duration(p.elapsed))
    return "  ".join(parts)


def _duration(seconds: float) -> str:
    """``65 -> "1:05"``, ``3725 -> "1:02:05"``"""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _number(value: str, option: str) -> float:
    """``"0.6" -> 0.6``; anything else is a one-line error naming the option."""
    try:
        return float(value)
    except ValueError:
        raise InputError(f"{option} {value}: use a probability from 0 to 1, or auto") from None


def _labels(values: list[str] | None, option: str) -> list[str]:
    """``["sport,politics", "tech"] -> ["sport", "politics", "tech"]``; repeating works too."""
    labels = [label.strip() for value in values or [] for label in value.split(",")]
    if values and not any(labels):
        raise InputError(f"{option} names no label; pass labels such as {option} sport,politics")
    return [label for label in labels if label]


def _list_choice(heading: str | None, block: int | None) -> Any:
    """The list of a page to read, from --list-heading and --block."""
    from .feeds import ListChoice

    if block is not None and block < 1:
        raise InputError(f"--block {block}: use 1 or more (see 'headlines parse --blocks FILE')")
    if heading is not None and not heading.strip():
        raise InputError("--list-heading names no heading; pass the heading the page shows")
    return ListChoice(heading=heading, block=block)


def _echo_blocks(feeds: _FeedOptions) -> None:
    """``parse --blocks``: each page's candidate lists as a table."""
    from .feeds import expand_inputs, page_blocks

    if not feeds.inputs:
        raise InputError("--blocks needs saved pages: pass the files")
    for name in expand_inputs(feeds.inputs):
        rows = page_blocks(
            name,
            input_format=feeds.input_format,
            encoding=feeds.encoding,
            heading=feeds.list_heading,
        )
        typer.echo(name)
        typer.echo("  block  read  items  dated   score  line  heading / first headline")
        for row in rows:
            typer.echo(
                f"  {row['block']:>5}  {'*' if row['read'] else ' ':>4}  {row['items']:>5}  "
                f"{'yes' if row['dated'] else 'no':>5}  {row['score']:>6}  {row['line']:>4}  "
                f"{row['heading'] or '(no heading)'} / {_cut(str(row['first']), 60)}"
            )
        if not rows:
            typer.echo(
                "  none: no heading such as 'Other news' and no age lines; pass "
                "--list-heading TEXT with the heading shown above the list"
            )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _inputs_and_format(
    feeds: _FeedOptions, also: list[Path] | None = None
) -> tuple[list[str], str]:
    """The inputs (stdin when none) and the checked output format, before any work starts.

    With ``-o``, folders and patterns are expanded here, so that the output is checked
    against every file read (and the files in ``also``, such as the model).
    """
    from .feeds import expand_inputs
    from .files import check_writable
    from .output import OUTPUT_FORMATS

    inputs, output = feeds.inputs, feeds.output
    if not inputs:
        if sys.stdin.isatty():
            raise InputError("no input: pass feed files, or pipe a feed into stdin")
        inputs = ["-"]
    fmt = feeds.output_format or _default_format(output)
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown --format '{fmt}'; choose one of {', '.join(OUTPUT_FORMATS)}")
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise InputError("--format parquet writes binary data; pass -o FILE.parquet")
    if output is not None:
        inputs = list(expand_inputs(inputs))
        check_writable(output, inputs=[*inputs, *(also or [])])
    return inputs, fmt


def _check_dask_options(feeds: _FeedOptions, group: bool) -> Path:
    """What --dask cannot do, said before anything starts; returns the folder to write."""
    if feeds.output is None:
        raise InputError("--dask writes Parquet files into a folder; pass -o FOLDER")
    if feeds.output_format not in (None, "parquet"):
        raise InputError(
            f"--dask writes Parquet; --format {feeds.output_format} does not go with it"
        )
    if feeds.dedupe or group:
        which = "--dedupe" if feeds.dedupe else "--group"
        raise InputError(f"{which} needs every row in one process; it does not go with --dask")
    return feeds.output


def _write(output: Path | None, writer: Callable[[TextIO], int]) -> None:
    """Run a writer on stdout, or on ``output`` through a temporary file renamed at the end."""
    if output is None:
        writer(sys.stdout)
        return
    from .files import atomic_write_text

    with atomic_write_text(output) as fh:
        count = writer(fh)
    log.info("wrote %d rows to %s", count, output)


def _default_format(output: Path | None) -> str:
    if output is not None:
        suffix = output.suffix.lower()
        return {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}.get(suffix, "csv")
    return "table" if sys.stdout.isatty() else "csv"


def _load(model: Path | None) -> Model:
    return _loaded(_open(model))


def _loaded(opened: Model | ModelFile) -> Model:
    from .persistence import ModelFile

    return opened.load() if isinstance(opened, ModelFile) else opened


def _open(model: Path | None) -> Model | ModelFile:
    """The model, or, for an arrays model, its file checked and not loaded yet (numpy is
    not needed to label a few headlines, predicting.py)."""
    from .defaults import open_default_model
    from .persistence import ModelVersionWarning, open_model

    if model is None:
        return open_default_model(on_train=lambda message: typer.echo(message, err=True))
    # Shown whatever the warning filters say: a model from another scikit-learn matters.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ModelVersionWarning)
        opened = open_model(model)
        loaded = opened if opened.model_format == "arrays" else opened.load()
    for warning in caught:
        typer.echo(f"warning: {_one_line(str(warning.message))}", err=True)
    return loaded


def _format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['rows']} rows from {', '.join(report['files'])}",
        f"accuracy {report['accuracy']:.4f}   macro-F1 {report['macro_f1']:.4f}   "
        f"expected calibration error {report['expected_calibration_error']:.4f}",
        "",
        f"{'label':<14} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}",
    ]
    for name, s in report["labels"].items():
        lines.append(
            f"{name:<14} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>7.3f} "
            f"{s['support']:>8}"
        )
    names = report["confusion"]["labels"]
    short = [name[:6] for name in names]
    lines += [
        "",
        "confusion (rows: true label, columns: predicted)",
        " " * 14 + " ".join(f"{n:>6}" for n in short),
    ]
    for name, row in zip(names, report["confusion"]["matrix"], strict=True):
        lines.append(f"{name:<14}" + " ".join(f"{v:>6}" for v in row))
    if report["most_confidently_wrong"]:
        lines += ["", "most confidently wrong"]
        for w in report["most_confidently_wrong"]:
            lines.append(
                f"  {w['confidence']:.3f}  {w['predicted']:<13} (is {w['label']})  {w['headline']}"
            )
    return "\n".join(lines)


def _scores(figures: dict[str, Any], digits: int) -> str:
    """``accuracy 0.9755, macro-F1 0.9756`` from a card's scores."""
    return f"accuracy {figures['accuracy']:.{digits}f}, macro-F1 {figures['macro_f1']:.{digits}f}"


def _format_card(card: ModelCard) -> str:
    lines = [
        f"classifier     {card.classifier} on {card.features} features"
        + (f", class weight {card.class_weight}" if card.class_weight else ""),
        f"created        {card.created}",
        f"training rows  {card.training_rows} "
        f"(dropped {card.dropped.get('duplicates', 0)} duplicates, "
        f"{card.dropped.get('empty', 0)} empty)",
        "labels         " + ", ".join(f"{k} {v}" for k, v in card.labels.items()),
    ]
    for f in card.training_files:
        lines.append(f"trained on     {f['path']} ({f['rows']} rows, sha256 {f['sha256'][:12]})")
    if card.cross_validation:
        cv = card.cross_validation
        lines.append(f"cross-valid.   {cv['folds']} folds: {_scores(cv, 4)}")
    if card.evaluation:
        ev = card.evaluation
        lines.append(f"evaluated on   {ev['path']} ({ev['rows']} rows): {_scores(ev, 4)}")
    lines.append("versions       " + ", ".join(f"{k} {v}" for k, v in card.versions.items()))
    lines.append(
        f"format         v{card.format_version}, {card.model_format}, "
        f"payload sha256 {card.model_sha256[:12]}"
    )
    return "\n".join(lines)


class _ClosedStdout(io.TextIOBase):
    """What stdout is when the caller closed it (``>&-``): writing rows to it is an error that
    says so, rather than rows lost without a word."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise InputError("stdout is closed; pass -o FILE, or leave stdout open")

    def isatty(self) -> bool:
        return False


def _open_standard_streams() -> None:
    """Give each standard stream the caller closed (``2>&-``) a file descriptor of its own,
    /dev/null: else the next file opened gets its number, and whatever writes to stderr
    writes into that file. Messages to a closed stderr are dropped, reading a closed stdin
    reads nothing, and rows to a closed stdout are an error."""
    for fd, name, flags in (
        (0, "stdin", os.O_RDONLY),
        (1, "stdout", os.O_WRONLY),
        (2, "stderr", os.O_WRONLY),
    ):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        opened = os.open(os.devnull, flags)
        if opened != fd:
            os.dup2(opened, fd)
            os.close(opened)
        if getattr(sys, name) is None:
            stream: Any = (
                _ClosedStdout()
                if name == "stdout"
                else open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            )
            setattr(sys, name, stream)


def main() -> None:
    """Entry point of the ``headlines`` console script."""
    _open_standard_streams()
    _stop_on_signals()
    # What the terminal's encoding cannot hold (a lone surrogate from a JSON "\\udce9") is
    # printed as a backslash escape, not an error that stops the run.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    app()
