"""The materiality benchmark scored by tests/materiality/score.py (the shared scorer, copied in), as a
user would run it.

Both sets (tuning and the held-out policies) and the examples (tests/materiality/examples) run through
the real CLI (`python -m monitor compare OLD NEW --format json`), in parallel, and must meet the
issue's bars.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.materiality.build import build

pytestmark = pytest.mark.slow  # ~170 cases, each a `policy-monitor compare` process: minutes

HERE = Path(__file__).resolve().parent
SCORE = HERE / "score.py"
EXAMPLES = HERE / "examples"
BARS = {
    "sensitivity": 95.0,
    "category_recall": 95.0,
    "category_precision": 90.0,
    "localized": 95.0,
    "specificity": 95.0,
    "format_clean": 100.0,
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    if not SCORE.is_file():
        pytest.fail(f"{SCORE} is missing")
    root = tmp_path_factory.mktemp("materiality")
    folders = {"tuning": build("tuning", root / "tuning"), "holdout": build("holdout", root / "holdout")}
    folders["examples"] = EXAMPLES
    cmd = f"{sys.executable} -m monitor compare {{old}} {{new}} --format json"
    running = {
        name: subprocess.Popen(
            [sys.executable, str(SCORE), str(folder), "--json", "--cmd", cmd],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, folder in folders.items()
    }
    out = {}
    for name, proc in running.items():
        stdout, _ = proc.communicate(timeout=1800)
        out[name] = json.loads(stdout)
    print(json.dumps(out, indent=1))  # shown with -s / on failure: the figures of this run
    return out


@pytest.mark.parametrize("name", ["tuning", "holdout", "examples"])
def test_no_case_fails_to_run(scores: dict[str, dict[str, float]], name: str) -> None:
    assert scores[name]["errors"] == 0


@pytest.mark.parametrize("name", ["tuning", "holdout", "examples"])
@pytest.mark.parametrize("metric", sorted(BARS))
def test_meets_the_bar(scores: dict[str, dict[str, float]], name: str, metric: str) -> None:
    assert scores[name][metric] >= BARS[metric], f"{name}: {metric} = {scores[name][metric]:.1f}"


def test_the_benchmark_is_big_enough(scores: dict[str, dict[str, float]]) -> None:
    assert scores["tuning"]["cases"] + scores["holdout"]["cases"] >= 120
