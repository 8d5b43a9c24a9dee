"""Labelling on a Dask cluster: a column of a Dask DataFrame, or feed files into Parquet parts.

Covers: the model each worker process loads once, from a file it can read, and keeps
(:func:`worker_model`; a task carries only the file's name, its checksum and the label
shares, never the model); :func:`label_dask`, which labels a Dask DataFrame lazily with
``map_partitions``; and :func:`predict_dask`, which reads feed files as the partitions of a
Dask DataFrame (one per file, read by the readers of feeds/ on the workers), labels them and
writes one Parquet file per partition, ``part-00000.parquet`` onwards in input order, each
under a temporary name renamed when whole. Dask and its friends come with
``pip install 'headlines[dask]'``. Does not cover: what a label is (frames.py, model.py) or
reading and writing single files (feeds/, output.py).

``predict_dask(["lake"], Path("out"), address="local")``
-> ``DaskRun(files=[out/part-00000.parquet, ...], rows=10_000_000, ...)``

The functions that run on workers live in this importable module, so that a worker keeps
its model from one task to the next; ``headlines`` must be installed on every worker, and
the model file and the inputs must be readable there under the same names.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .defaults import default_model_path, load_default_model
from .errors import HeadlinesError, InputError, ModelError, OptionError
from .extras import require
from .feeds import Reading, expand_inputs, read_chunks
from .files import STDIN, atomic_write
from .frames import check_label_options, label_frame
from .model import Model
from .output import chunk_columns, columns, parquet_schema, parquet_table
from .persistence import load_model
from .predicting import Labelling, check_jobs, first_rows, label_chunks, label_shares
from .priors import read_shares
from .progress import ProgressCallback, ProgressReporter
from .records import CHUNK_SIZE, HeadlineChunk
from .workers import available_cores

log = logging.getLogger(__name__)

DASK_EXTRA = "dask"
PURPOSE = "labelling on Dask"
LOCAL = "local"  # the address that starts a LocalCluster on this machine
PART = "part-{:05d}.parquet"  # an output file; numbered in input order
LABEL_COLUMNS = ("label", "confidence", "reasons")


@dataclass(frozen=True)
class ModelSpec:
    """What a task needs to find its worker's model: the model file, the sha256 of its
    payload as the client loaded it, the label shares to label with (None: as trained), and
    whether it is the default model (which a worker without that file trains for itself)."""

    path: str
    sha256: str
    shares: tuple[float, ...] | None = None
    default: bool = False


_files: dict[tuple[str, str], Model] = {}  # this worker's model files, loaded
_models: dict[ModelSpec, Model] = {}  # and with label shares, each keeping its word cache
_lock = threading.Lock()  # a worker may run tasks in several threads
loaded = 0  # model files this process has loaded (the tests count them)


def worker_model(spec: ModelSpec) -> Model:
    """The model of ``spec``, loaded on this worker's first task that asks for it and kept
    for the next ones. A model file that is not the client's (another file under the same
    name on this machine) is an error."""
    global loaded
    with _lock:
        if spec not in _models:
            key = (spec.path, spec.sha256)
            if key not in _files:
                _files[key] = _load_checked(spec)
                loaded += 1
            shares = None if spec.shares is None else np.array(spec.shares)
            _models[spec] = _files[key].with_priors(shares)
        return _models[spec]


def _load_checked(spec: ModelSpec) -> Model:
    if spec.default and not Path(spec.path).is_file():
        model = load_default_model()  # a machine of its own: its own cache
    else:
        model = load_model(spec.path)
    if model.card.model_sha256 != spec.sha256:
        raise ModelError(
            f"{spec.path}: a worker loaded another model than the "
            f"client did (payload sha256 {model.card.model_sha256[:12]}, not "
            f"{spec.sha256[:12]}); make the same model file readable on every worker"
        )
    return model


def label_partition(frame: Any, spec: ModelSpec, column: str, options: dict[str, Any]) -> Any:
    """One partition labelled with its worker's model (runs on the worker)."""
    return label_frame(worker_model(spec), frame, column, priors="train", **options)


def label_dask(
    frame: Any,
    column: str = "headline",
    *,
    model: str | Path | None = None,
    priors: str = "feed",
    min_confidence: float | str = 0.0,
    top_k: int = 0,
    reasons: int = 0,
) -> Any:
    """A Dask DataFrame with the label of each row's ``column`` added, as
    :func:`~headlines.frames.label_frame` adds it to a pandas one; lazy, like any Dask
    DataFrame: ``label_dask(dd.read_parquet("lake/"), "title").to_parquet("out/")``.

    ``model`` is a model file every worker can read, or None for the default model; each
    worker loads it once. This process loads it too, to check the options and make the
    columns. ``priors="feed"`` estimates the label shares from the first 10,000 texts of
    the collection, computing its first partitions now; ``"train"`` or a file computes
    nothing until asked.
    """
    require("dask.dataframe", DASK_EXTRA, PURPOSE)
    here = load_default_model() if model is None else load_model(model)
    options: dict[str, Any] = {
        "min_confidence": min_confidence,
        "top_k": top_k,
        "reasons": reasons,
    }
    check_label_options(here, **options)
    if column not in frame.columns:
        shown = ", ".join(map(str, frame.columns)) or "none"
        raise OptionError("column", f"{{name}} '{column}': no such column (columns: {shown})")
    fixed = read_shares(priors, here.labels)
    head: list[Any] = []
    if priors == "feed":
        head = _first_texts(frame, column, CHUNK_SIZE)
    chunks = [HeadlineChunk(head)] if head else []
    shares = label_shares(here, priors, fixed, chunks) if priors != "train" else None
    spec = _spec(here, None if model is None else Path(model), shares)
    meta = label_frame(here, frame._meta, column, priors="train", **options)
    return frame.map_partitions(label_partition, spec, column, options, meta=meta)


def _first_texts(frame: Any, column: str, count: int) -> list[str]:
    """The first ``count`` non-blank texts of a column, computing partitions in order."""
    texts: list[str] = []
    for number in range(frame.npartitions):
        values = frame[column].partitions[number].compute().tolist()
        texts += [text for text in values if isinstance(text, str) and text.strip()]
        if len(texts) >= count:
            break
    return texts[:count]


def _spec(model: Model, path: Path | None, shares: Any) -> ModelSpec:
    return ModelSpec(
        str((path or default_model_path()).resolve()),
        model.card.model_sha256,
        None if shares is None else tuple(float(s) for s in shares),
        default=path is None,
    )


@dataclass(frozen=True)
class DaskRun:
    """What :func:`predict_dask` did: the Parquet files it wrote, in input order, the rows
    in them, and the workers it had."""

    files: list[Path]
    rows: int
    workers: int


def predict_dask(
    inputs: Iterable[str],
    output: str | Path,
    *,
    dask: str = LOCAL,
    jobs: int | None = None,
    model: str | Path | None = None,
    loaded: Model | None = None,
    reading: Reading = Reading(),
    labelling: Labelling = Labelling(),
    progress: ProgressCallback | None = None,
) -> DaskRun:
    """Label feed files on a Dask cluster into the folder ``output``: one Parquet file per
    input file, ``part-00000.parquet`` onwards in input order, holding the rows that
    ``headlines predict --format parquet`` writes for that file.

    ``dask`` is the address of a running scheduler (``tcp://host:8786``), or ``"local"``
    for a LocalCluster of ``jobs`` worker processes on this machine (default: one per
    core). ``model`` is a model file every worker can read (None: the default model), and
    ``loaded`` that model when the caller has loaded it already. ``reading`` and
    ``labelling`` are as in :func:`~headlines.predicting.predict_chunks`; the
    label shares of ``priors="feed"`` are estimated here, from the first 10,000 headlines,
    so every partition is labelled under the same ones. ``progress`` is called each time a
    partition is written. A partition that fails stops the run with an error that names it;
    the files of partitions written by then stay, each of them whole.
    """
    dd = require("dask.dataframe", DASK_EXTRA, PURPOSE)
    require("distributed", DASK_EXTRA, PURPOSE)
    pd = require("pandas", DASK_EXTRA, PURPOSE)
    names = list(expand_inputs(inputs))
    if STDIN in names:
        raise InputError("stdin cannot be labelled on Dask; pass files, each a partition")
    if jobs is not None:
        check_jobs(jobs)
    here = loaded or (load_default_model() if model is None else load_model(model))
    fixed = labelling.check(here)
    options: dict[str, Any] = {
        "min_confidence": labelling.min_confidence,
        "top_k": labelling.top_k,
        "reasons": labelling.explain,
    }
    out = _output_folder(Path(output))
    with _warnings_kept():  # the workers that read these files say what was wrong in them
        head, rest = first_rows(read_chunks(names, reading), CHUNK_SIZE)
        with contextlib.suppress(AttributeError):
            rest.close()  # type: ignore[attr-defined]  # the file it holds open
    priors = labelling.priors
    shares = label_shares(here, priors, fixed, head) if priors != "train" else None
    schema = _output_schema(here.with_priors(shares), head, labelling)
    added = set(label_columns_of(options))
    read_schema = schema.remove_metadata()
    for name in [f.name for f in schema if f.name in added]:
        read_schema = read_schema.remove(read_schema.get_field_index(name))
    spec = _spec(here, None if model is None else Path(model), shares)
    read_meta = read_schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    labelled_meta = label_frame(here, read_meta, "headline", priors="train", **options)
    width = max(5, len(str(len(names) - 1)))
    targets = [out / f"part-{number:0{width}d}.parquet" for number in range(len(names))]
    reporter = ProgressReporter(progress)
    with connect(dask, jobs) as client:
        frame = dd.from_map(
            read_partition,
            [str(Path(name).resolve()) for name in names],
            names,
            schema=read_schema,
            reading=reading,
            meta=read_meta,
            label="read-headlines",
        )
        labelled = frame.map_partitions(
            label_partition, spec, "headline", options, meta=labelled_meta
        )
        if labelling.only or labelling.exclude:
            labelled = labelled.map_partitions(
                keep_labels, list(labelling.only), list(labelling.exclude), meta=labelled_meta
            )
        # Written by the task that labelled the partition: no frame goes between workers.
        written = labelled.map_partitions(
            write_partition,
            [str(target.resolve()) for target in targets],
            schema,
            meta=pd.DataFrame({"rows": pd.Series([], dtype="int64"), "warnings": []}),
            enforce_metadata=False,
        )
        rows = _run(client, written.to_delayed(), names, targets, reporter)
        workers = len(client.scheduler_info().get("workers", {}))
    for stale in out.glob(".part-*.parquet.*.tmp"):  # left by workers killed while writing
        with contextlib.suppress(OSError):
            stale.unlink()
    return DaskRun(targets, rows, workers)


def label_columns_of(options: dict[str, Any]) -> list[str]:
    """The columns labelling adds with these options:
    ``{"top_k": 1, "reasons": 3} -> [label, confidence, label_2, confidence_2, reasons]``."""
    names = ["label", "confidence"]
    for rank in range(2, options.get("top_k", 0) + 2):
        names += [f"label_{rank}", f"confidence_{rank}"]
    return names + (["reasons"] if options.get("reasons") else [])


def _output_schema(model: Model, head: list[HeadlineChunk], labelling: Labelling) -> Any:
    """The schema ``headlines predict --format parquet`` gives the same input: that of the
    first chunk of rows it writes, which ``head`` holds unless --only and --exclude leave
    none of its rows."""
    labelled = label_chunks(
        model,
        head,
        min_confidence=labelling.min_confidence,
        top_k=labelling.top_k,
        explain=labelling.explain,
    )
    first = next(labelling.kept(labelled), None)  # a chunk left empty is dropped
    return parquet_schema({}, columns()) if first is None else parquet_schema(chunk_columns(first))


def read_partition(path: str, source: str, *, schema: Any, reading: Reading) -> Any:
    """One input file as a pandas DataFrame of ``schema``'s columns, read by the readers of
    feeds/ (runs on a worker); ``source`` is the name the user gave the file."""
    pa = require("pyarrow", DASK_EXTRA, PURPOSE)
    pd = require("pandas", DASK_EXTRA, PURPOSE)
    tables = []
    try:
        with _warnings_kept() as warnings:
            for chunk in read_chunks([path], reading):
                read = chunk_columns(chunk)
                read["source"] = [source] * len(chunk)
                tables.append(parquet_table(read, schema))
    except InputError as exc:  # named as the user named it, not by the worker's full path
        raise InputError(str(exc).replace(path, source)) from None
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.attrs[WARNINGS] = [message.replace(path, source) for message in warnings]
    return frame


def keep_labels(frame: Any, only: list[str], exclude: list[str]) -> Any:
    """The rows whose label is in ``only`` (when given) and not in ``exclude``."""
    keep = ~frame["label"].isin(exclude)
    if only:
        keep &= frame["label"].isin(only)
    return frame[keep]


def write_partition(
    frame: Any, paths: list[str], schema: Any, partition_info: dict[str, Any] | None = None
) -> Any:
    """Write labelled partition number ``n`` as the Parquet file ``paths[n]`` of ``schema``,
    under a temporary name renamed when whole (runs on a worker). A one-row frame of the
    rows written and the warnings of reading them."""
    pa = require("pyarrow", DASK_EXTRA, PURPOSE)
    pq = require("pyarrow.parquet", DASK_EXTRA, PURPOSE)
    pd = require("pandas", DASK_EXTRA, PURPOSE)
    if partition_info is None:  # Dask's look at the function, not a partition
        return pd.DataFrame({"rows": pd.Series([], dtype="int64"), "warnings": []})
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    with atomic_write(paths[partition_info["number"]]) as fh:
        pq.write_table(table.replace_schema_metadata(None), fh, row_group_size=CHUNK_SIZE)
    warnings = list(frame.attrs.get(WARNINGS, []))
    return pd.DataFrame({"rows": [table.num_rows], "warnings": [warnings]})


def _output_folder(out: Path) -> Path:
    """The folder for the part files, made when new; one that holds part files already
    is refused, so that the files of two runs never mix."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; name a folder for the Parquet part files")
    if not out.exists():
        if not out.parent.is_dir():
            raise InputError(f"{out}: folder {out.parent} does not exist; create it first")
        out.mkdir()
    if any(out.glob("part-*.parquet")):
        raise InputError(
            f"{out}: holds part-*.parquet files already; remove them or pass a new folder"
        )
    return out


@contextlib.contextmanager
def connect(address: str, jobs: int | None = None) -> Iterator[Any]:
    """A Dask client of the scheduler at ``address``, or, for ``"local"``, of a LocalCluster
    of ``jobs`` single-threaded worker processes (default: one per core) on 127.0.0.1,
    stopped when the block ends."""
    distributed = require("distributed", DASK_EXTRA, PURPOSE)
    dask = require("dask", DASK_EXTRA, PURPOSE)
    # Dask logs each step of a cluster's life; they are headlines' --verbose lines, and a
    # failed partition comes back as an error of our own.
    verbose = log.getEffectiveLevel() <= logging.INFO
    logging.getLogger("distributed").setLevel(logging.INFO if verbose else logging.CRITICAL)
    if address == LOCAL:
        # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, to hand freed memory back
        # to the system at once; labelling makes and frees many small objects, and ran 1.3
        # to 2 times slower so. Worker memory stays flat without it (benchmarks/scale.py).
        environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        with (
            dask.config.set({"distributed.nanny.pre-spawn-environ": environ}),
            distributed.LocalCluster(
                n_workers=jobs or available_cores(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",  # workers, scheduler and its web pages on loopback only
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.INFO if verbose else logging.CRITICAL,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise OptionError(
            "dask",
            f"{{name}} {address}: no Dask scheduler answers there ({_reason(exc)}); start "
            f"one (dask scheduler), or use '{LOCAL}'",
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise OptionError(
                "dask", f"{{name}} {address}: the scheduler has no workers; start some"
            ) from None
        yield client


CONNECT_SECONDS = 30


def _run(
    client: Any, writes: list[Any], names: list[str], targets: list[Path], reporter: Any
) -> int:
    """Compute the writes, reporting each partition done; the rows written. The first
    partition that fails cancels the rest and is named in the error."""
    distributed = require("distributed", DASK_EXTRA, PURPOSE)
    futures = client.compute(writes)
    number = {future.key: at for at, future in enumerate(futures)}
    rows = 0
    reporter.start("labelling")
    for done, future in enumerate(distributed.as_completed(futures)):
        if future.status != "finished":
            failure = _failed(future.exception(), number[future.key], names, targets, done)
            client.cancel(futures)  # after reading the error: cancelling forgets it
            raise failure
        written = future.result()
        for message in written["warnings"].iloc[0]:
            log.warning("%s", message)
        rows += int(written["rows"].iloc[0])
        reporter.report("labelling", rows, (done + 1) / len(futures))
    return rows


def _failed(
    exc: BaseException, at: int, names: list[str], targets: list[Path], done: int
) -> HeadlinesError:
    """The one-line error for a failed partition, of the kind of what went wrong."""
    where = f"partition {at + 1} of {len(names)} ({names[at]})"
    left = f"{done} of {len(names)} part files were written to {targets[0].parent}"
    if type(exc).__name__ == "KilledWorker":
        return HeadlinesError(
            f"{where}: the workers that took it died ({_reason(exc)}); {left}; a worker dies "
            "when it runs out of memory or is stopped: give workers more memory, or split "
            "that file"
        )
    kind = InputError if isinstance(exc, InputError) else HeadlinesError
    reason = str(exc) if isinstance(exc, HeadlinesError) else f"{type(exc).__name__}: {exc}"
    return kind(f"{where}: {reason}; {left}")


WARNINGS = "headlines_warnings"  # the DataFrame.attrs key of a partition's reading warnings
_kept = threading.Lock()
_keeping = 0  # how many threads keep the readers' warnings now


class _Kept(logging.Handler):
    """The warnings the readers log in one thread, kept to be passed back."""

    def __init__(self, thread: int) -> None:
        super().__init__(logging.WARNING)
        self.thread = thread
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def _warnings_kept() -> Iterator[list[str]]:
    """Keep the warnings the readers of feeds/ log in this thread, instead of logging them:
    on a worker they go back to the client with the partition, and the client says them."""
    global _keeping
    feeds = logging.getLogger("headlines.feeds")
    handler = _Kept(threading.get_ident())
    with _kept:
        feeds.addHandler(handler)
        feeds.propagate = False
        _keeping += 1
    try:
        yield handler.messages
    finally:
        with _kept:
            feeds.removeHandler(handler)
            _keeping -= 1
            feeds.propagate = _keeping == 0


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
