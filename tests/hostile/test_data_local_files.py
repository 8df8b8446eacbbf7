"""Issue 17, item 11: ``compare``, ``show`` and ``import`` read only regular files, up to a size cap
(5 MiB, ``POLICY_MONITOR_MAX_FILE_SIZE``): a symlink to /dev/zero, a FIFO, a huge file are each a
one-line error (exit 2), at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.helpers.corpus import corpus_text
from tests.hostile.data_cli import pm


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "a.txt"
    good.write_text(corpus_text("yunju.txt"), encoding="utf-8")
    zero = tmp_path / "z.txt"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # 6 MiB of policy-like text, sparse-free
        line = "我们会收集您的个人信息，用于向您提供服务。\n".encode()
        fh.write(line * (6 * 2**20 // len(line) + 1))
    return {"good": good, "zero": zero, "fifo": fifo, "big": big, "dir": tmp_path}


CASES = [
    ("zero", "is a character device: only regular files are read"),
    ("fifo", "is a FIFO: only regular files are read"),
    ("big", "larger than the 5.0 MiB cap for local files (set POLICY_MONITOR_MAX_FILE_SIZE to raise it)"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_compare_show_and_import_refuse_at_once(files: dict[str, Path], name: str, message: str) -> None:
    bad, good, tmp = files[name], files["good"], files["dir"]
    db = ["--db", str(tmp / "monitor.db"), "--watchlist", str(tmp / "none.yaml")]
    for args in (
        ["compare", str(good), str(bad)],
        ["show", str(bad)],
        [*db, "import", "someone", str(bad), "--date", "2022-01-01"],
    ):
        started = time.monotonic()
        proc = pm(*args, cwd=tmp, timeout=30)
        assert time.monotonic() - started < 15
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr[-500:])
        assert proc.stderr == f"policy-monitor: error: {bad}: {message}\n", args


@pytest.mark.slow
def test_the_cap_is_configurable(files: dict[str, Path]) -> None:
    big, good, tmp = files["big"], files["good"], files["dir"]
    small = pm("show", str(good), cwd=tmp, env={"POLICY_MONITOR_MAX_FILE_SIZE": "10KB"})
    assert small.returncode == 2 and "larger than the 10 KiB cap" in small.stderr
    wrong = pm("show", str(good), cwd=tmp, env={"POLICY_MONITOR_MAX_FILE_SIZE": "lots"})
    assert wrong.returncode == 2 and "POLICY_MONITOR_MAX_FILE_SIZE='lots'" in wrong.stderr
    ok = pm("show", str(good), cwd=tmp, env={"POLICY_MONITOR_MAX_FILE_SIZE": "1MB"})
    assert ok.returncode == 0 and "clauses" in ok.stdout
    assert os.path.getsize(big) > 5 * 2**20
