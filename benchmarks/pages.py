"""How fast saved HTML pages are read: a folder of generated pages, on one core.

Writes N saved pages (default 1,000) into a temporary folder, each shaped like the real ones
(a navigation bar, an article, a related-news list with ages, a "most read" sidebar, a
recommendation widget, a footer, inline scripts and styles: about 1,500 elements and
150 KB a page, near the median of ../shared/real-pages' eight), then times, as CPU time of
one core (the machine may be shared; wall time is printed beside it):

- ``headlines parse FOLDER -f csv`` end to end, in a process of its own (one core);
- ``parse_html`` in this process, without files or CSV;
- selectolax's parse alone and lxml's parse alone on the same pages, the floor any reader
  built on them starts from (lxml is no dependency of ours: its line is skipped, saying so,
  when it is not installed; ``.venv/bin/pip install lxml`` adds it).

When ../shared/real-pages is there, the eight real pages are timed too (each read 20 times).

    .venv/bin/python benchmarks/pages.py            # 1,000 pages
    .venv/bin/python benchmarks/pages.py --pages 200
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    *("council", "bridge", "river", "city", "vote", "plan", "budget", "school", "storm"),
    *("coast", "train", "station", "market", "police", "court", "minister", "health"),
    *("hospital", "club", "match", "season", "win", "loses", "record", "price", "energy"),
    *("farmers", "harbour", "museum", "festival", "weather", "warning", "traffic", "airport"),
]


def _headline(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(5, 11))
    return " ".join(words).capitalize()


def page(rng: random.Random, number: int) -> str:
    """One saved page, different in its words and sizes from the next."""
    nav = "".join(
        f"<li class='nav-item'><a href='/s/{i}'>{rng.choice(WORDS).title()}</a></li>"
        for i in range(rng.randint(30, 60))
    )
    article = "".join(
        f"<p class='para'>{' '.join(rng.choices(WORDS, k=rng.randint(40, 90)))}.</p>"
        for _ in range(rng.randint(8, 20))
    )
    related = "".join(
        f"<li class='card'><a href='/n/{number}/{i}'><div class='card__body'>"
        f"<span class='kicker'>{rng.choice(WORDS).title()}</span><h3 class='card__title'>"
        f"<span>{_headline(rng)}</span></h3></div></a><div class='meta'><span class='date'>"
        f"{rng.randint(1, 23)} hrs ago</span><span class='sr-only'>Read more</span></div></li>"
        for i in range(rng.randint(10, 40))
    )
    sidebar = "".join(
        f"<li><span class='rank'>{i + 1}</span><a href='/m/{i}'>{_headline(rng)}</a></li>"
        for i in range(10)
    )
    widget = "".join(
        f"<div class='rec'><a href='https://ads.example/{i}'><span class='brand'>Brand {i}"
        f"</span></a><a href='https://ads.example/{i}'><span class='label'>{_headline(rng)}"
        f"</span><span class='brand'>Brand {i}</span></a></div>"
        for i in range(rng.randint(4, 12))
    )
    filler = "".join(
        f"<div class='wrap'><div class='inner'><span class='icon'></span><span>{w}</span></div>"
        "</div>"
        for w in rng.choices(WORDS, k=rng.randint(100, 250))
    )
    script = "var data = " + repr([rng.random() for _ in range(rng.randint(2000, 6000))]) + ";"
    style = "".join(f".c{i}{{color:#{i:06x};margin:{i % 9}px}}" for i in range(800))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_headline(rng)}</title><style>{style}</style><script>{script}</script>"
        f"</head><body><header><nav><ul>{nav}</ul></nav></header><main><article>"
        f"<h1>{_headline(rng)}</h1>{article}</article><section class='related'>"
        f"<h2>More on this story</h2><ul>{related}</ul></section>"
        f"<div class='taboola-like'><h2>Around the web</h2>{widget}</div></main>"
        f"<aside><h2>Most read</h2><ol>{sidebar}</ol></aside><div hidden>{article}</div>"
        f"<div class='grid'>{filler}</div><footer><p>© 2025 The Example Post</p></footer>"
        "</body></html>"
    )


def _rate(count: int, cpu: float, wall: float) -> str:
    return f"{count / cpu:7.1f} pages/s ({cpu:.2f} s CPU, {wall:.2f} s wall)"


class _Clock:
    """CPU time of this process (or of its finished children) and wall time, together."""

    def __init__(self, children: bool = False) -> None:
        self.children = children

    def _cpu(self) -> float:
        if self.children:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            return usage.ru_utime + usage.ru_stime
        return time.process_time()

    def __enter__(self) -> _Clock:
        self.cpu, self.wall = self._cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = self._cpu() - self.cpu
        self.wall = time.perf_counter() - self.wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    try:
        import lxml.html
    except ImportError:
        lxml = None
    from selectolax.lexbor import LexborHTMLParser

    from headlines.feeds.html import parse_html

    rng = random.Random(args.seed)
    n = args.pages
    with tempfile.TemporaryDirectory() as folder:
        texts = [page(rng, k) for k in range(n)]
        for k, text in enumerate(texts):
            Path(folder, f"page-{k:04d}.html").write_text(text, encoding="utf-8")
        size = sum(len(t.encode("utf-8")) for t in texts) / n / 1024
        nodes = sum(len(LexborHTMLParser(t).css("*")) for t in texts[:50]) // min(n, 50)
        print(f"{n:,} generated pages, {size:.0f} KB and ~{nodes:,} elements each")
        binary = Path(sys.executable).parent / "headlines"
        with _Clock(children=True) as clock:
            done = subprocess.run(
                [str(binary), "parse", folder, "-f", "csv"], capture_output=True, check=True
            )
        rows = done.stdout.count(b"\n") - 1
        print(f"  headlines parse FOLDER -f csv  {_rate(n, clock.cpu, clock.wall)}, {rows:,} rows")
        with _Clock() as clock:
            for k, text in enumerate(texts):
                parse_html(text, f"page-{k}.html")
        print(f"  parse_html in process          {_rate(n, clock.cpu, clock.wall)}")
        with _Clock() as clock:
            for text in texts:
                LexborHTMLParser(text)
        print(f"  selectolax parse alone         {_rate(n, clock.cpu, clock.wall)}")
        if lxml is None:
            print("  lxml parse alone (peer)        skipped: lxml is not installed")
        else:
            with _Clock() as clock:
                for text in texts:
                    lxml.html.document_fromstring(text)
            print(f"  lxml parse alone (peer)        {_rate(n, clock.cpu, clock.wall)}")

    for parent in Path(__file__).resolve().parents:
        real = parent / "shared" / "real-pages" / "pages"
        if real.is_dir():
            pages = [p.read_text(encoding="utf-8") for p in sorted(real.glob("*.html"))]
            with _Clock() as clock:
                for _ in range(20):
                    for k, text in enumerate(pages):
                        parse_html(text, f"real-{k}.html")
            rate = _rate(20 * len(pages), clock.cpu, clock.wall)
            print(f"  the {len(pages)} real pages x 20      {rate}")
            break


if __name__ == "__main__":
    main()
