"""The README's first command: `policy-monitor demo` works offline and tells the story."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two real `policy-monitor demo` processes, 5 to 10 s each


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "demo", *args], capture_output=True, text=True, timeout=300
    )


def test_demo_checks_twice_and_prints_the_material_changes() -> None:
    p = _demo()
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "first version" in out
    assert "material" in out
    assert "[-950616-]{+4006065500+}" in out
    assert "巨量引擎" in out and "答复或处理期限 15个工作日 → 30个工作日" in out
    assert "错别字或用字修正" in out  # the typo fix is shown, and not as material


def test_demo_keeps_its_files_and_prints_json(tmp_path: Path) -> None:
    p = _demo("--dir", str(tmp_path), "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["material"] is True
    assert data["summary"]["categories"] == {"contact": 2, "recipients": 1, "processing": 1, "rights": 1}
    assert (tmp_path / "watchlist.yaml").is_file() and (tmp_path / "monitor.db").is_file()
