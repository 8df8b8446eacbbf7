#!/usr/bin/env python3
"""Rebuild (or --check) every case's old/new file byte for byte from the commits in sources.json.

usage: python3 tests/real/rebuild.py [--check] [--mirror-root DIR]

DIR holds one bare git repository per source named ``owner+name`` (or ``owner+name/repo``, bare or with its ``.git``); get one
with ``git clone --mirror https://github.com/OWNER/NAME DIR/OWNER+NAME``. Exit status 1 when a file
is missing or differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def git_dir(root: Path, repo: str) -> Path:
    d = root / repo.replace("/", "+")
    for candidate in (d / "repo" / ".git", d / "repo"):
        if (candidate / "HEAD").is_file():
            return candidate
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare only, write nothing")
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    a = ap.parse_args()
    cases = json.loads((HERE / "sources.json").read_text(encoding="utf-8"))
    bad = 0
    for s in cases:
        folder = HERE / s["split"] / s["id"]
        for side, commit, path in (
            ("old", s["old_commit"], s["path"]),
            ("new", s["new_commit"], s["new_path"]),
        ):
            git = ["git", "--git-dir", str(git_dir(a.mirror_root, s["repo"])), "show", f"{commit}:{path}"]
            r = subprocess.run(git, capture_output=True, check=False)
            if r.returncode:
                print(f"MISSING {s['id']} {side}: {r.stderr.decode().strip()}")
                bad += 1
                continue
            target = folder / f"{side}.{s['ext']}"
            if not a.check:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_bytes(r.stdout)
            elif not target.is_file() or target.read_bytes() != r.stdout:
                print(f"DIFFERS {s['id']} {side}")
                bad += 1
    print(f"{'checked' if a.check else 'rebuilt'} {len(cases)} cases, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
