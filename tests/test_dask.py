"""Labelling on Dask: on a LocalCluster of two worker processes the output equals the
single-process output row for row, the model is loaded once per worker, a failing partition
is named in one line, and a worker killed mid-write leaves no part file that looks whole.

The cluster is started once for the module (a few seconds) and binds 127.0.0.1 only; every
test runs on a few hundred rows, or ten thousand where a partition must come after the
first 10,000 headlines, and has a timeout.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from headlines import cluster as headlines_cluster
from headlines.cli import app
from headlines.errors import HeadlinesError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pc = pytest.importorskip("pyarrow.compute")
pd = pytest.importorskip("pandas")
cloudpickle = pytest.importorskip("cloudpickle")

pytestmark = pytest.mark.timeout(180)

WORDS = ["Cherry", "Plum", "Apple", "Tram", "Bus", "Train", "harvest", "line", "season", "city"]


def _title(i: int) -> str:
    return f"{WORDS[i % 10]} {WORDS[(i // 10) % 10].lower()} news number {i}"


def _part(path: Path, first: int, count: int, *, blank_every: int = 0) -> Path:
    """A Parquet file of ``count`` titles with pass-through columns of several types."""
    titles = [
        "" if blank_every and i % blank_every == 0 else _title(i)
        for i in range(first, first + count)
    ]
    table = pa.table(
        {
            "id": pa.array(range(first, first + count), pa.int64()),
            "title": titles,
            "published": pa.array(
                [1_750_000_000_000_000 + i for i in range(count)], pa.timestamp("us", tz="UTC")
            ),
            "tags": [[WORDS[i % 10]] if i % 3 else None for i in range(count)],
        }
    )
    pq.write_table(table, path, row_group_size=97)
    return path


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """A LocalCluster of two single-threaded worker processes; a task whose worker dies
    twice fails (allowed-failures 1), so the test of a dying worker stays short."""
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the plugins below
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=50,
        ) as local,
    ):
        yield local.scheduler_address
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    """Four partitions of 90 to 150 rows; the second has empty titles, which are skipped."""
    folder = tmp_path / "lake"
    folder.mkdir()
    _part(folder / "2025-01.parquet", 0, 150)
    _part(folder / "2025-02.parquet", 150, 120, blank_every=11)
    _part(folder / "2025-03.parquet", 270, 90)
    _part(folder / "2025-04.parquet", 360, 100)
    return folder


def _predict(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["predict", *args], catch_exceptions=False)


def _single(runner: CliRunner, inputs: str, model: Path, out: Path, *options: str) -> Any:
    result = _predict(runner, inputs, "-m", str(model), "--text-column", "title", "-o", str(out),
                      *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    return pq.read_table(out)


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet"))


OPTIONS = [
    [],
    ["--top-k", "2", "--explain", "--priors", "train"],
    ["--min-confidence", "0.6", "--exclude", "vehicle"],
]


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "top-k-explain", "abstain-exclude"])
def test_two_workers_write_what_one_process_writes(
    runner: CliRunner,
    address: str,
    lake: Path,
    fruit_model_file: Path,
    tmp_path: Path,
    options: list[str],
) -> None:
    pattern = str(lake / "*.parquet")
    single = _single(runner, pattern, fruit_model_file, tmp_path / "single.parquet", *options)
    out = tmp_path / "out"
    result = _predict(runner, pattern, "-m", str(fruit_model_file), "--text-column", "title",
                      "--dask", address, "-o", str(out), *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (  # the warning of reading, as one process says it, once
        f"warning: {lake / '2025-02.parquet'}: skipped 11 row(s) with an empty 'title'\n"
        f"labelled {single.num_rows:,} rows on 2 Dask workers into 4 Parquet files in {out}\n"
    )
    parts = _parts(out)
    assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(4)]
    tables = [pq.read_table(p) for p in parts]
    # One file per partition, in input order, each holding its input file's rows.
    inputs = sorted(glob.glob(pattern))
    assert [t.column("source").unique().to_pylist() for t in tables] == [[n] for n in inputs]
    together = pa.concat_tables(tables)
    assert together.schema == single.schema
    assert together.equals(single)  # row for row, every column, confidences unrounded
    assert single.num_rows > 300
    assert sorted(os.listdir(out)) == [p.name for p in parts]  # no temporary file left


def test_each_worker_loads_the_model_once(
    runner: CliRunner, address: str, lake: Path, fruit_model_file: Path, tmp_path: Path
) -> None:
    with distributed.Client(address) as client:
        before = client.run(lambda: headlines_cluster.loaded)
        for run in range(2):
            out = tmp_path / f"out-{run}"
            result = _predict(runner, str(lake), "-m", str(fruit_model_file), "--text-column",
                              "title", "--dask", address, "-o", str(out))  # fmt: skip
            assert result.exit_code == 0, result.output
        after = client.run(lambda: headlines_cluster.loaded)
    # Eight partitions on two workers: a worker that labelled any loaded the model once,
    # and kept it for the next run.
    assert set(after) == set(before)
    assert all(after[w] - before[w] <= 1 for w in after)
    assert all(count <= 1 for count in after.values())
    assert sum(after.values()) >= 1


def test_label_dask_gives_what_label_frame_gives(
    address: str, lake: Path, fruit_model_file: Path
) -> None:
    import headlines

    frame = pd.concat([pd.read_parquet(p) for p in sorted(lake.glob("*.parquet"))])
    frame = frame.reset_index(drop=True)
    expected = headlines.label_frame(frame, "title", model=fruit_model_file, top_k=1)
    with distributed.Client(address):
        collection = dd.from_pandas(frame, npartitions=3)
        labelled = headlines.label_dask(collection, "title", model=fruit_model_file, top_k=1)
        assert list(labelled.columns) == list(expected.columns)
        got = labelled.compute()
    assert got["label"].tolist() == expected["label"].tolist()
    assert got["confidence"].tolist() == expected["confidence"].tolist()
    assert got["label_2"].tolist() == expected["label_2"].tolist()
    assert got["id"].tolist() == frame["id"].tolist()


def test_a_failing_partition_is_named_in_one_line(
    runner: CliRunner, address: str, fruit_model_file: Path, tmp_path: Path
) -> None:
    # The first 10,000 headlines are read here, for the label shares; the damage lies past
    # them, in a file that only a worker reads.
    lake = tmp_path / "lake"
    lake.mkdir()
    _part(lake / "a.parquet", 0, 10_000)
    (lake / "b.parquet").write_bytes(b"PAR1 this is not really Parquet")
    _part(lake / "c.parquet", 10_000, 50)
    out = tmp_path / "out"
    result = _predict(runner, str(lake), "-m", str(fruit_model_file), "--text-column", "title",
                      "--dask", address, "-o", str(out))  # fmt: skip
    assert result.exit_code == 2
    first, _, rest = result.stderr.partition(": not a readable Parquet file (")
    assert first == f"error: partition 2 of 3 ({lake / 'b.parquet'}): {lake / 'b.parquet'}"
    assert rest.endswith(f" part files were written to {out}\n")
    assert result.stderr.count("\n") == 1
    assert "part-00001.parquet" not in os.listdir(out)


class KillWhileWriting(distributed.WorkerPlugin):
    """Kills its worker right after a part file's bytes are written, before the rename,
    ``times`` times in all (counted with marker files, across worker restarts), and only
    while the file ``armed`` exists: removing it disarms the plugin at once, even when a
    worker that died cannot be told to unregister it."""

    name = "kill-while-writing"

    def __init__(self, marks: str, times: int, armed: str) -> None:
        self.marks = marks
        self.times = times
        self.armed = armed

    def setup(self, worker: Any) -> None:
        import pyarrow.parquet

        self.original = pyarrow.parquet.write_table
        original, marks, times, armed = self.original, self.marks, self.times, self.armed

        def write_then_die(table: Any, where: Any, **kwargs: Any) -> None:
            original(table, where, **kwargs)
            if not os.path.exists(armed):
                return
            where.flush()  # the temporary file now holds the whole part
            for number in range(times):
                try:
                    os.close(os.open(os.path.join(marks, str(number)), os.O_CREAT | os.O_EXCL))
                except FileExistsError:
                    continue
                os.kill(os.getpid(), signal.SIGKILL)

        pyarrow.parquet.write_table = write_then_die

    def teardown(self, worker: Any) -> None:
        import pyarrow.parquet

        pyarrow.parquet.write_table = self.original


def _predict_while_killing(
    runner: CliRunner, address: str, lake: Path, model: Path, tmp_path: Path, times: int
) -> Any:
    """``predict --dask`` of the lake into tmp_path/out, with workers killed ``times`` times."""
    marks = tmp_path / "marks"
    marks.mkdir()
    armed = tmp_path / "armed"
    armed.touch()
    with distributed.Client(address) as client:
        client.register_plugin(KillWhileWriting(str(marks), times, str(armed)))
        try:
            return _predict(runner, str(lake), "-m", str(model), "--text-column", "title",
                            "--dask", address, "-o", str(tmp_path / "out"))  # fmt: skip
        finally:
            armed.unlink()
            # The scheduler may drop this call while it deals with a worker that just died
            # (CommClosedError); the plugin is disarmed either way, so the cluster's later
            # tests are safe.
            with contextlib.suppress(distributed.comm.CommClosedError):
                client.unregister_worker_plugin(KillWhileWriting.name)


def test_a_worker_killed_once_is_retried_and_the_output_is_whole(
    runner: CliRunner, address: str, lake: Path, fruit_model_file: Path, tmp_path: Path
) -> None:
    single = _single(runner, str(lake), fruit_model_file, tmp_path / "single.parquet")
    result = _predict_while_killing(runner, address, lake, fruit_model_file, tmp_path, times=1)
    out = tmp_path / "out"
    assert os.listdir(tmp_path / "marks") == ["0"]  # a worker did die
    assert result.exit_code == 0, result.output
    assert pa.concat_tables([pq.read_table(p) for p in _parts(out)]).equals(single)
    # The killed worker's temporary file is removed once the run is done.
    assert sorted(os.listdir(out)) == [f"part-0000{i}.parquet" for i in range(4)]


def test_a_worker_that_keeps_dying_fails_the_run_and_leaves_no_part_looking_whole(
    runner: CliRunner, address: str, lake: Path, fruit_model_file: Path, tmp_path: Path
) -> None:
    single = _single(runner, str(lake), fruit_model_file, tmp_path / "single.parquet")
    by_source = {
        source: single.filter(pc.equal(single.column("source"), source))
        for source in single.column("source").unique().to_pylist()
    }
    result = _predict_while_killing(runner, address, lake, fruit_model_file, tmp_path, times=20)
    out = tmp_path / "out"
    assert result.exit_code == 1
    assert result.stderr.startswith("error: partition ")
    assert ": the workers that took it died (" in result.stderr
    assert result.stderr.count("\n") == 1
    # Whatever is left: a part file is whole and right, anything else is hidden and temporary.
    for name in os.listdir(out):
        if name.startswith("part-"):
            table = pq.read_table(out / name)
            assert table.equals(by_source[table.column("source")[0].as_py()])
        else:
            assert name.startswith(".part-") and name.endswith(".tmp")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dask", "local"], "--dask writes Parquet files into a folder; pass -o FOLDER"),
        (["--dask", "local", "-o", "{tmp}/o", "-f", "csv"],
         "--dask writes Parquet; --format csv does not go with it"),
        (["--dask", "local", "-o", "{tmp}/o", "--dedupe"],
         "--dedupe needs every row in one process; it does not go with --dask"),
        (["--dask", "local", "-o", "{tmp}/o", "--group"],
         "--group needs every row in one process; it does not go with --dask"),
        (["--dask", "local", "-o", "{tmp}/taken"],
         "{tmp}/taken: holds part-*.parquet files already; remove them or pass a new folder"),
        (["--dask", "local", "-o", "{tmp}/no/such"],
         "{tmp}/no/such: folder {tmp}/no does not exist; create it first"),
        (["--dask", "local", "-o", "{tmp}/o", "--top-k", "-1"], "--top-k -1: use 0 or more"),
        (["--dask", "local", "-o", "{tmp}/o", "--jobs", "0"], "--jobs 0: use 1 or more"),
        (["-", "--dask", "local", "-o", "{tmp}/o"],
         "stdin cannot be labelled on Dask; pass files, each a partition"),
    ],
)  # fmt: skip
def test_what_dask_cannot_do_is_said_before_it_starts(
    runner: CliRunner, lake: Path, fruit_model_file: Path, tmp_path: Path, args, message: str
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "part-00000.parquet").write_bytes(b"")
    args = [a.format(tmp=tmp_path) for a in args]
    inputs = [] if args[0] == "-" else [str(lake)]
    result = _predict(runner, *inputs, *args, "-m", str(fruit_model_file), "--text-column", "title")
    assert (result.exit_code, result.stderr) == (2, f"error: {message.format(tmp=tmp_path)}\n")


def test_an_address_without_a_scheduler_is_one_line(
    runner: CliRunner,
    lake: Path,
    fruit_model_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(headlines_cluster, "CONNECT_SECONDS", 1)
    result = _predict(runner, str(lake), "-m", str(fruit_model_file), "--text-column", "title",
                      "--dask", "tcp://127.0.0.1:9", "-o", str(tmp_path / "o"))  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --dask tcp://127.0.0.1:9: no Dask scheduler answers there ("
    )
    assert result.stderr.endswith("); start one (dask scheduler), or use 'local'\n")


@pytest.mark.parametrize("missing", ["dask", "distributed"])
def test_dask_without_the_extra_names_the_install_command(
    runner: CliRunner,
    lake: Path,
    fruit_model_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    missing: str,
) -> None:
    # In a process of its own: clusters of earlier tests may still be winding down here, and
    # their threads would log about the module blocked under them.
    block = f"import sys; sys.modules[{missing!r}] = None; from headlines.cli import main; main()"
    argv = [sys.executable, "-c", block, "predict", str(lake), "-m", str(fruit_model_file),
            "--text-column", "title", "--dask", "local", "-o", str(tmp_path / "o")]  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (
        1,
        f"error: labelling on Dask needs {missing}; pip install 'headlines[dask]'\n",
    )
    for name in [n for n in sys.modules if n == missing or n.startswith(missing + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, missing, None)
    if missing == "dask":
        import headlines

        with pytest.raises(HeadlinesError) as caught:
            headlines.label_dask(object(), model=fruit_model_file)
        assert str(caught.value) == "labelling on Dask needs dask; pip install 'headlines[dask]'"
