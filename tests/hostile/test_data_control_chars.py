"""Issue 17, item 6: terminal escape sequences in a policy (``ESC ] 0 ; … BEL`` retitles the window,
``ESC c`` resets the terminal) and bidi overrides never reach a terminal or a Markdown file; JSON
keeps the text exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.textsafe import printable
from tests.helpers.checks import html
from tests.helpers.corpus import corpus_text
from tests.helpers.policy_server import Page, PolicyServer
from tests.hostile.data_cli import FAST_FETCH, pm

EVIL = "\x1b]0;PWNED\x07\x1bc\u202e\x9b2J\r"
TITLE = f"{EVIL}某某隐私政策"
BAD = ("\x1b", "\x07", "\u202e", "\x9b", "\r")


def clean(text: str) -> bool:
    return not any(c in text for c in BAD)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain 文本\tand\nlines", "plain 文本\tand\nlines"),
        ("\x1b]0;PWNED\x07\x1bc标题", "标题"),
        ("\x1b[2J\x1b[31;1m红\x1b[0m\x9b2J", "红"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("unterminated \x1b]0;title", "unterminated 0;title"),
        ("a\x00b\x08c\x7fd\x85e\x9b", "abcde"),
        ("abc\u202edcba\u2066x\u2069", "abcdcbax"),
        ("line\r\nnext", "line\nnext"),
        ("全角，标点。", "全角，标点。"),
    ],
)
def test_printable(raw: str, expected: str) -> None:
    assert printable(raw) == expected


def policy(tmp_path: Path, name: str, extra: str = "") -> Path:
    p = tmp_path / name
    p.write_text(TITLE + "\n" + corpus_text("yunju.txt") + extra, encoding="utf-8")
    return p


@pytest.mark.slow
def test_local_files_print_no_control_characters(tmp_path: Path) -> None:
    old = policy(tmp_path, "old.txt")
    new = policy(tmp_path, "new.txt", f"\n十、附则\n本政策新增一条{EVIL}说明。\n")
    for args in (["show", str(old)], ["show", str(old), "--facts"]):
        proc = pm(*args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "某某隐私政策" in proc.stdout or args[-1] == "--facts"
        assert clean(proc.stdout), repr(proc.stdout[:300])
    for fmt in ("text", "markdown"):
        proc = pm("compare", str(old), str(new), "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "本政策新增一条" in proc.stdout and clean(proc.stdout), repr(proc.stdout[:300])
    exact = pm("compare", str(old), str(new), "--format", "json", cwd=tmp_path)
    assert exact.returncode == 0 and "\\u001b" in exact.stdout  # JSON escapes them: exact, and safe


@pytest.mark.slow
def test_stored_versions_and_alerts_print_no_control_characters(
    tmp_path: Path, policy_server: PolicyServer
) -> None:
    text = corpus_text("yunju.txt")
    page = policy_server.pages["/evil"] = Page(
        html(TITLE + "\n" + text).replace(b"<title>", f"<title>{EVIL}".encode())
    )
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(
        FAST_FETCH
        + "defaults:\n  alerts: [files]\n  trigger:\n    changes: all\n"
        + f"operators:\n  - id: evil\n    name: evil\n    url: {policy_server.url('/evil')}\n    selector: '#policy'\n",
        encoding="utf-8",
    )
    base = ["--watchlist", str(wl), "--db", str(tmp_path / "snapshots" / "monitor.db")]
    assert pm(*base, "check", cwd=tmp_path).returncode == 0
    page.body = html(TITLE + "\n" + text + f"\n十、附则\n本政策新增一条{EVIL}说明。\n")
    first = pm(*base, "check", cwd=tmp_path)
    assert first.returncode == 0 and "CHANGED" in first.stdout, first.stderr

    for args in (
        ["show", "evil"],
        ["history", "evil"],
        ["list"],
        ["diff", "evil"],
        ["diff", "evil", "--format", "markdown"],
        ["alerts", "list"],
    ):
        proc = pm(*base, *args, cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)
        assert clean(proc.stdout) and clean(proc.stderr), (args, repr(proc.stdout[:400]))
    (alert_md,) = (tmp_path / "alerts").rglob("*.md")
    assert clean(alert_md.read_text(encoding="utf-8"))
    (row,) = json.loads(pm(*base, "alerts", "list", "--format", "json", cwd=tmp_path).stdout)
    alert_id = row["id"]
    shown = pm(*base, "alerts", "show", alert_id[:8], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "policy.changed" in shown.stdout and clean(shown.stdout)
