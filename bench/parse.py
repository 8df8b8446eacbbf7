"""Parse time per policy (bytes → Document, in-process), this tree beside a baseline revision.

    .venv/bin/python bench/parse.py                          # this tree only
    .venv/bin/python bench/parse.py --baseline e85d738 [--rounds 10] [--real-rounds 2] [--repeat 2] [--forms]

Inputs (tests/document/parse_inputs.py, built once with this tree): the 7 corpus policies as .txt,
the 130 texts of tests/real/ and, with ``--forms``, every corpus form (70: layout edits, Markdown,
tables, pages, one in GBK). Each tree is measured in a child process of this interpreter with
PYTHONPATH set to its checkout (the baseline is a git worktree in bench/.baseline-<sha>; the
dependencies are this venv's), which parses every input once to warm up, then ``--rounds`` times
(the corpus) or ``--real-rounds`` times (the others), timing each round. Children of the two trees
alternate (``--repeat`` times each) so that load on the machine affects both alike; the figure is the
fastest round, in ms per policy, for ``parse`` (extract + parse_extracted) and for
``parse_extracted`` alone (from lines already extracted), by the wall clock and by the child's CPU
time (steadier on a shared machine). The children also hash each Document's
``document_to_json``: the two trees must agree on every input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from baseline import prepare

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("corpus .txt", "real texts", "corpus forms")
STAGES = ("parse", "parse_extracted")
CLOCKS = ("", " cpu")  # wall clock (perf_counter) and this process's CPU time (process_time)


def worktree(rev: str) -> Path:
    """The checkout of ``rev`` (bench/baseline.py: a git worktree, made once and reused)."""
    return prepare(rev).root


def build_inputs(forms: bool) -> dict[str, list[tuple[str, bytes, Any]]]:
    sys.path.insert(0, str(ROOT))
    from tests.document.parse_inputs import corpus_inputs, real_inputs

    every = corpus_inputs()
    groups = {
        "corpus .txt": [x for x in every if x[0].count(".") == 1 and x[0].endswith(".txt")],
        "real texts": real_inputs(),
    }
    if forms:
        groups["corpus forms"] = every
    return groups


def measure(tree: str, inputs_file: str, rounds: int, other_rounds: int) -> dict[str, Any]:
    """Runs in the child: ``monitor`` must come from ``tree``."""
    import monitor
    from monitor.document.extract import extract
    from monitor.document.parse import document_to_json, parse, parse_extracted

    where = Path(monitor.__file__).resolve()
    if not where.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"monitor imported from {where}, not from {tree}")
    groups: dict[str, list[tuple[str, bytes, str]]] = pickle.loads(Path(inputs_file).read_bytes())
    out: dict[str, Any] = {"digests": {}, **{f"{stage}{clock}": {} for stage in STAGES for clock in CLOCKS}}
    for group, items in groups.items():
        extracted = []
        for name, data, kind in items:  # warm-up, and the output to compare
            doc = parse(data, media_type=kind, source=name)  # type: ignore[arg-type]
            dump = json.dumps(document_to_json(doc), ensure_ascii=False, sort_keys=True)
            out["digests"][name] = hashlib.sha256(dump.encode()).hexdigest()
            extracted.append((name, extract(data, media_type=kind, source=name)))  # type: ignore[arg-type]
        times: dict[str, list[float]] = {key: [] for key in out if key != "digests"}
        for _ in range(rounds if group == "corpus .txt" else other_rounds):
            w0, c0 = time.perf_counter(), time.process_time()
            for name, data, kind in items:
                parse(data, media_type=kind, source=name)  # type: ignore[arg-type]
            w1, c1 = time.perf_counter(), time.process_time()
            for name, ex in extracted:
                parse_extracted(ex, name)
            w2, c2 = time.perf_counter(), time.process_time()
            per = 1000 / len(items)
            times["parse"].append((w1 - w0) * per)
            times["parse_extracted"].append((w2 - w1) * per)
            times["parse cpu"].append((c1 - c0) * per)
            times["parse_extracted cpu"].append((c2 - c1) * per)
        for key, values in times.items():
            out[key][group] = values
    return out


def run_child(tree: Path, inputs_file: str, rounds: int, other_rounds: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, __file__, "--child", str(tree), inputs_file]
    cmd += ["--rounds", str(rounds), "--real-rounds", str(other_rounds)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=tree)
    result: dict[str, Any] = json.loads(res.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", help="git revision to compare with (e.g. e85d738)")
    ap.add_argument(
        "--rounds", type=int, default=10, help="timed rounds of the corpus per child (default 10)"
    )
    ap.add_argument(
        "--real-rounds", type=int, default=2, help="timed rounds of the others per child (default 2)"
    )
    ap.add_argument("--forms", action="store_true", help="also every form of every corpus policy")
    ap.add_argument("--repeat", type=int, default=2, help="children per tree, alternating (default 2)")
    ap.add_argument("--child", nargs=2, metavar=("TREE", "INPUTS"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(measure(a.child[0], a.child[1], a.rounds, a.real_rounds)))
        return
    trees = {"this": ROOT}
    if a.baseline:
        trees["baseline"] = worktree(a.baseline)
    with tempfile.TemporaryDirectory() as tmp:
        inputs_file = str(Path(tmp) / "inputs.pickle")
        groups = build_inputs(a.forms)
        Path(inputs_file).write_bytes(pickle.dumps(groups))
        results: dict[str, list[dict[str, Any]]] = {k: [] for k in trees}
        for _ in range(a.repeat):
            for name, tree in trees.items():
                results[name].append(run_child(tree, inputs_file, a.rounds, a.real_rounds))
    best = {
        name: {
            stage: {g: min(x for r in runs for x in r[stage][g]) for g in groups}
            for stage in (f"{stage}{clock}" for clock in CLOCKS for stage in STAGES)
        }
        for name, runs in results.items()
    }
    counts = {g: len(groups[g]) for g in groups}
    print(
        f"ms per policy, fastest of {a.repeat} x {a.rounds} rounds (others {a.repeat} x {a.real_rounds})"
        + (f"; baseline {a.baseline}" if a.baseline else "")
    )
    header = f"{'stage (clock)':<20} {'inputs':<20} {'this':>8}"
    print(header + (f" {'baseline':>9} {'ratio':>7}" if a.baseline else ""))
    for stage in best["this"]:
        for g in (g for g in GROUPS if g in groups):
            this = best["this"][stage][g]
            row = f"{stage + ('' if 'cpu' in stage else ' wall'):<20} {g + f' ({counts[g]})':<20} {this:8.2f}"
            if a.baseline:
                base = best["baseline"][stage][g]
                row += f" {base:9.2f} {base / this:6.2f}x"
            print(row)
    if a.baseline:
        this_d, base_d = results["this"][0]["digests"], results["baseline"][0]["digests"]
        differ = sorted(k for k in this_d if this_d[k] != base_d.get(k))
        print(
            f"document_to_json identical on {len(this_d) - len(differ)}/{len(this_d)} inputs"
            + (f"; differ: {differ}" if differ else "")
        )


if __name__ == "__main__":
    main()
