"""The materiality benchmark scored by ../shared/materiality/score.py, as a user would run it.

Both sets (tuning and the held-out policies) and the shared examples run through the real CLI
(`python -m monitor compare OLD NEW --format json`), in parallel, and must meet the issue's bars.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import SHARED
from tests.materiality.build import build

SCORE = SHARED / "materiality" / "score.py"
EXAMPLES = SHARED / "materiality" / "examples"
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
        pytest.fail(f"{SCORE} is missing (set POLICY_MONITOR_SHARED)")
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
