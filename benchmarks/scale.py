"""Labelling 10 million headlines in 20 Parquet partitions: one process against Dask.

Prints a Markdown table: for each way of running it, rows a second end to end (read the
Parquet partitions, label, write Parquet) and the peak memory of each process, then what
one process spends on reading and writing alone, and what a worker spends on starting.

- ``predict --jobs 1``: one process reads, labels and writes one Parquet file;
- ``predict --jobs 2``: the same process reads and writes, two forked workers label;
- ``predict --dask local --jobs 2``: the LocalCluster of that command, two worker processes
  of one thread each, each reading its partitions, labelling them with the model it loaded
  once and writing one Parquet file per partition; the cluster's start is timed apart;
- ``parse``: one process reads and writes the same rows without labelling them, which is
  what reading and writing cost;
- a worker's start: importing headlines and loading the default model in a new process.

Every way runs in a child process of its own, on the default model (trained from
data/train.csv on first use). Peak memory is a process's maximum resident set (VmHWM of
/proc): the child's own, each forked worker's (sampled twice a second), and each Dask
worker's, read on the worker before the cluster stops. The Dask output's labels are
checked against the one-process output's, row for row.

Data recipe: the prediction list of benchmarks/speed.py (its ``generate(N, seed=1)``: rows
of data/train.csv in a seeded random order, each with 1 to 3 random words added, all
distinct), cut in order into ``--partitions`` files of N / partitions rows, each with an
``id`` column (the row's number, int64) before ``headline``, in row groups of 100,000 rows.
Files are cached in ``--workdir``.

Run: ``.venv/bin/python benchmarks/scale.py [--rows 10000000] [--partitions 20]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import generate  # noqa: E402  (the recipe of benchmarks/speed.py)

ROW_GROUP = 100_000


def lake(workdir: Path, rows: int, partitions: int) -> Path:
    """The cached folder of ``partitions`` Parquet files holding the recipe's ``rows``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = workdir / f"lake-{rows}-{partitions}"
    if folder.is_dir():
        return folder
    part = folder.with_suffix(".part")
    part.mkdir(parents=True, exist_ok=True)
    texts = (text for text, _ in generate(rows, seed=1))
    size = rows // partitions
    for number in range(partitions):
        count = size if number < partitions - 1 else rows - size * (partitions - 1)
        first = number * size
        schema = pa.schema([("id", pa.int64()), ("headline", pa.string())])
        with pq.ParquetWriter(part / f"part-{number:02d}.parquet", schema) as writer:
            for start in range(0, count, ROW_GROUP):
                batch = [next(texts) for _ in range(min(ROW_GROUP, count - start))]
                ids = range(first + start, first + start + len(batch))
                writer.write_table(pa.table({"id": list(ids), "headline": batch}, schema=schema))
    part.rename(folder)
    return folder


# --- child processes: each prints one JSON line ---------------------------------------------


def _peak_mb(pid: int | str = "self") -> float:
    """A process's peak resident set (VmHWM) in MB; unlike ``ru_maxrss``, which Linux keeps
    across exec, it starts afresh in a new program."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class _Children(threading.Thread):
    """Samples the peak memory of this process's children (forked workers) twice a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for task in os.listdir("/proc/self/task"):
                try:
                    with open(f"/proc/self/task/{task}/children", encoding="ascii") as fh:
                        pids = [int(pid) for pid in fh.read().split()]
                    for pid in pids:
                        self.peaks[pid] = max(self.peaks.get(pid, 0.0), _peak_mb(pid))
                except (OSError, ValueError):
                    continue


def child(way: str, folder: str, out: str, model: str) -> dict[str, Any]:
    if way == "start":
        start = time.perf_counter()
        import headlines.cli  # noqa: F401  (what a worker imports)

        imported = time.perf_counter()
        from headlines.persistence import load_model

        load_model(model)
        done = time.perf_counter()
        return {"import_s": imported - start, "load_s": done - imported}
    if way in ("jobs1", "jobs2", "parse"):
        from headlines.output import write_chunks
        from headlines.persistence import load_model
        from headlines.predicting import parse_chunks, predict_chunks

        loaded = load_model(model)
        children = _Children()
        children.start()
        start = time.perf_counter()
        if way == "parse":
            chunks: Any = parse_chunks([folder])
        else:
            chunks = predict_chunks([folder], model=loaded, jobs=1 if way == "jobs1" else 2)
        with open(out, "wb") as fh:
            rows = write_chunks(chunks, fh, "parquet", labelled=way != "parse")  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        children.stop.set()
        return {
            "seconds": seconds,
            "rows": rows,
            "peak_mb": _peak_mb(),
            "workers_peak_mb": sorted(children.peaks.values()),
        }
    if way == "dask":
        from headlines.cluster import connect, predict_dask

        start = time.perf_counter()
        with connect("local", 2) as client:  # the cluster of --dask local --jobs 2
            started = time.perf_counter()
            address = client.scheduler_info()["address"]
            run = predict_dask([folder], out, dask=address, model=model)
            done = time.perf_counter()
            workers = client.run(_peak_mb)
        return {
            "seconds": done - started,
            "cluster_s": started - start,
            "rows": run.rows,
            "peak_mb": _peak_mb(),
            "workers_peak_mb": sorted(workers.values()),
        }
    raise SystemExit(f"unknown way {way}")


def measure(way: str, folder: Path, out: Path, model: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", way, str(folder), str(out), str(model)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{way} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def same_labels(one: Path, parts: Path) -> bool:
    import pyarrow as pa
    import pyarrow.parquet as pq

    single = pq.read_table(one, columns=["label", "confidence"])
    files = sorted(parts.glob("part-*.parquet"))
    split = pa.concat_tables([pq.read_table(f, columns=["label", "confidence"]) for f in files])
    return bool(single.equals(split))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "headlines-scale"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    from headlines import load
    from headlines.defaults import default_model_path

    load()  # trains and caches the default model when needed, before anything is timed
    model = default_model_path()
    folder = lake(args.workdir, args.rows, args.partitions)
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    print(f"{args.rows:,} headlines in {args.partitions} Parquet files ({size_mb:,.0f} MB)")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average at the start: {os.getloadavg()[0]:.1f}\n")

    single = args.workdir / "one.parquet"
    parts = args.workdir / "parts"
    for stale in [*parts.glob("part-*.parquet"), *parts.glob(".part-*")]:
        stale.unlink()
    results = {
        "predict --jobs 1": measure("jobs1", folder, single, model),
        "predict --jobs 2": measure("jobs2", folder, args.workdir / "two.parquet", model),
        "predict --dask local --jobs 2": measure("dask", folder, parts, model),
    }
    parse = measure("parse", folder, args.workdir / "parsed.parquet", model)
    start = measure("start", folder, single, model)

    print("| way | rows/s end to end | seconds | peak MB: main process | peak MB: each worker |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, r in results.items():
        workers = ", ".join(f"{mb:,.0f}" for mb in r["workers_peak_mb"]) or "-"
        print(
            f"| {name} | {r['rows'] / r['seconds']:,.0f} | {r['seconds']:,.1f} | "
            f"{r['peak_mb']:,.0f} | {workers} |"
        )
    dask = results["predict --dask local --jobs 2"]
    print(
        f"\nstarting the LocalCluster of 2 workers: {dask['cluster_s']:.1f} s (not in the "
        f"Dask row's time); with it, {dask['rows'] / (dask['seconds'] + dask['cluster_s']):,.0f}"
        " rows/s"
    )
    print(
        f"reading and writing alone (parse, one process): {parse['rows'] / parse['seconds']:,.0f}"
        f" rows/s, {parse['seconds']:,.1f} s, peak {parse['peak_mb']:,.0f} MB"
    )
    print(
        f"a worker's start: import {start['import_s']:.1f} s, load the default model "
        f"{start['load_s']:.1f} s ({model.stat().st_size / 1e6:,.0f} MB file)"
    )
    print(f"Dask output has the one-process labels, row for row: {same_labels(single, parts)}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(*sys.argv[2:6])))
    else:
        main()
