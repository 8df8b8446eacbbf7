#!/usr/bin/env python3
"""Benchmark: hostile input, guarded and not.

usage: .venv/bin/python bench/hostile.py [--raw]

Prints:
- for nested <div> pages of 1k … 450k levels: the size, the guard's estimate (``parse_cost``), and
  the wall time of ``extract`` (refused or read); with ``--raw`` also lexbor's own parse of the
  10k, 20k and 40k pages, unguarded (quadratic: a few seconds each);
- the guard's estimate for every real HTML page in tests/real (what real pages cost, against the
  limit ``MAX_PARSE_COST``);
- ``word_diff`` of a clause with 140,000 distinct words (coarse path) and the time to refuse a
  billion-laughs and a 3,000-deep watchlist.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from monitor.compare.diff import word_diff  # noqa: E402
from monitor.document.extract import MAX_PARSE_COST, ExtractError, decode, extract, parse_cost  # noqa: E402
from monitor.watchlist import WatchlistError, loads  # noqa: E402


def nested(n: int) -> str:
    return "<html><body>" + "<div>" * n + "x" + "</div>" * n + "</body></html>"


def timed(fn: object) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        fn()  # type: ignore[operator]
        outcome = "read"
    except (ExtractError, WatchlistError) as exc:
        outcome = "refused: " + str(exc)[:60]
    return time.perf_counter() - t0, outcome


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", action="store_true", help="also time lexbor unguarded (slow)")
    args = ap.parse_args()
    print(f"MAX_PARSE_COST = {MAX_PARSE_COST:,}")
    print("nested <div>: levels, bytes, estimated cost, extract wall time, outcome")
    for n in (1_000, 5_000, 10_000, 100_000, 450_000):
        page = nested(n)
        cost, _ = parse_cost(page)
        took, outcome = timed(lambda page=page: extract(page.encode(), media_type="html"))
        print(f"  {n:>7,} {len(page):>10,} B {cost:>15,} {took:7.3f} s  {outcome}")
    if args.raw:
        print("lexbor unguarded: levels, parse wall time")
        for n in (10_000, 20_000, 40_000):
            page = nested(n)
            t0 = time.perf_counter()
            LexborHTMLParser(page)
            print(f"  {n:>7,} {time.perf_counter() - t0:7.3f} s")
    costs = []
    for path in sorted((ROOT / "tests" / "real").rglob("*.html")):
        text, _ = decode(path.read_bytes(), media_type="html")
        costs.append((parse_cost(text)[0], parse_cost(text)[1], path.relative_to(ROOT)))
    if costs:
        worst = max(costs)
        print(
            f"real pages ({len(costs)}): highest estimated cost {worst[0]:,} (depth {worst[1]}) in {worst[2]}"
        )
    print("self-closing <style/> and <script/> (sfc.raw_text_closed, inside extract): page, bytes, wall time")
    for name, page in (
        ("600k tags in one unclosed quote", '<script a="' + "<script " * 600_000 + '">/>'),
        ("500k tags, quotes never closed", '<script "' * 500_000 + "/>"),
        ("200k self-closing <style/>", '<style x={{a:"b"}}/><p>隐私</p>' * 200_000),
    ):
        took, outcome = timed(lambda page=page: extract(page.encode(), media_type="html"))
        print(f"  {name:<34} {len(page):>10,} B {took:7.3f} s  {outcome}")
    words = " ".join(f"w{i}" for i in range(140_000))
    t0 = time.perf_counter()
    word_diff(words, words.replace("w500 ", "changed ", 1))
    print(f"word_diff of 140,000 distinct words: {time.perf_counter() - t0:.2f} s (tokenizing included)")
    laughs = (
        "a: &a ["
        + ",".join(["lol"] * 10)
        + "]\n"
        + "".join(
            f"{c}: &{c} [{','.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
    )
    for name, text in (("billion laughs", laughs), ("3,000-deep", "x: " + "[" * 3000 + "]" * 3000)):
        took, outcome = timed(lambda text=text: loads(text, "w.yaml"))
        print(f"watchlist {name}: {took:.3f} s, {outcome}")


if __name__ == "__main__":
    main()
