"""An earlier revision of policy-monitor beside this tree, for benchmarks that measure both side by side.

    from baseline import prepare
    base = prepare("e85d738")     # any git revision: a sha, HEAD~5, a tag
    base.python, base.exe    # bench/.baseline-<sha>/.venv/bin/python, …/bin/policy-monitor
    base.root, base.label    # bench/.baseline-<sha>, "policy-monitor@<sha>"

The revision is checked out with `git worktree add --detach` as bench/.baseline-<sha> (ignored by
bench/.gitignore) and gets a virtualenv of its own, bench/.baseline-<sha>/.venv (`python3 -m venv`,
then `pip install -q -e <worktree>`), so it runs with the dependencies it declares. Its monitor/ is
compiled (`python -m compileall -q`) so that a child started with PYTHONDONTWRITEBYTECODE=1 does not
pay for compilation at every start. An existing worktree and virtualenv are reused. Progress goes to
stderr; a revision that does not exist ends the program with a message saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(f"[baseline] {msg}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Baseline:
    rev: str  # as given
    sha: str  # short commit id
    root: Path  # the worktree

    @property
    def venv(self) -> Path:
        return self.root / ".venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def exe(self) -> Path:
        return self.venv / "bin" / "policy-monitor"

    @property
    def label(self) -> str:
        return f"policy-monitor@{self.sha}"


def resolve(rev: str) -> str:
    """The short commit id of ``rev``; exits with a clear message when it names no commit."""
    proc = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--short", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        sys.exit(f"baseline: {rev!r} is not a commit of this repository ({ROOT})")
    return proc.stdout.strip()


def compile_package(python: Path | str, tree: Path) -> None:
    """``python -m compileall -q tree/monitor``: the .pyc files a child without bytecode writing reads."""
    subprocess.run([str(python), "-m", "compileall", "-q", str(tree / "monitor")], cwd=tree, check=True)


def _venv_ok(base: Baseline) -> bool:
    if not base.exe.exists():
        return False
    code = "import monitor, sys; sys.exit(0 if monitor.__file__.startswith(sys.argv[1]) else 1)"
    proc = subprocess.run([str(base.python), "-c", code, str(base.root)], cwd=base.root, capture_output=True)
    return proc.returncode == 0


def prepare(rev: str) -> Baseline:
    """The worktree and virtualenv of ``rev``, created when missing, its package compiled."""
    sha = resolve(rev)
    base = Baseline(rev, sha, ROOT / "bench" / f".baseline-{sha}")
    if not (base.root / ".git").exists():
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        log(f"checking out {rev} ({sha}) as a worktree in {base.root.relative_to(ROOT)}")
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(base.root), sha],
            cwd=ROOT,
            check=True,
            stdout=sys.stderr,
        )
    if not _venv_ok(base):
        log(f"creating {base.venv.relative_to(ROOT)} (python3 -m venv, pip install -e the worktree)")
        python3 = shutil.which("python3") or sys.executable
        subprocess.run([python3, "-m", "venv", str(base.venv)], check=True)
        subprocess.run(
            [str(base.python), "-m", "pip", "install", "-q", "-e", str(base.root)],
            check=True,
            stdout=sys.stderr,
        )
        if not _venv_ok(base):
            sys.exit(f"baseline: {base.venv} does not import the worktree's package")
    log(f"{base.label}: compiling {base.root.relative_to(ROOT)}/monitor")
    compile_package(base.python, base.root)
    return base
