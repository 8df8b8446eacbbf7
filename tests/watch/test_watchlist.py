"""watchlist.yaml: validation errors name the file, the line and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor.watchlist import UnknownOperatorError, WatchlistError, load, loads, parse_duration, parse_size

GOOD = """\
defaults:
  interval: 12h
  alerts: [files]
  headers:
    Accept-Language: zh-CN
  headers_env:
    Cookie: PM_CONSENT_COOKIE
channels:
  team-hook:
    type: webhook
    url: https://hooks.example.com/policy
    secret_env: POLICY_HOOK_SECRET
fetch:
  concurrency: 8
  per_host_delay: 2s
  max_bytes: 2MB
operators:
  - id: jd-express
    name: 京东快递
    url: https://example.com/privacy
    selector: "#policy"
    remove: ".ad, .banner"
    interval: 6h
    encoding: gbk
    headers:
      Referer: https://example.com/
    alerts: [team-hook, files]
  - id: cainiao
    name: 菜鸟
    url: http://example.com/cainiao.html
"""


def test_a_good_watchlist_loads_with_defaults_applied() -> None:
    wl = loads(GOOD, "w.yaml")
    jd, cainiao = wl.operators
    assert wl.ids == ["jd-express", "cainiao"]
    assert wl.interval(jd) == 6 * 3600 and wl.interval(cainiao) == 12 * 3600
    assert wl.alerts(jd) == ["team-hook", "files"] and wl.alerts(cainiao) == ["files"]
    assert wl.headers(jd) == {"Accept-Language": "zh-CN", "Referer": "https://example.com/"}
    assert wl.headers_env(jd) == {"Cookie": "PM_CONSENT_COOKIE"}
    assert wl.fetch.concurrency == 8 and wl.fetch.per_host_delay == 2 and wl.fetch.max_bytes == 2 * 2**20
    assert wl.fetch.retries == 3  # a default
    assert wl.channels["team-hook"].type == "webhook"
    assert jd.selector == "#policy" and jd.encoding == "gbk"


def test_the_repository_watchlist_is_valid() -> None:
    from pathlib import Path

    wl = load(Path(__file__).resolve().parents[2] / "watchlist.yaml")
    assert wl.operators


def _op(extra: str = "", **fields: str) -> str:
    base = {"id": "jd-express", "name": "京东快递", "url": "https://example.com/privacy", **fields}
    lines = ["operators:", "  - id: " + base.pop("id")]
    lines += [f"    {k}: {v}" for k, v in base.items()]
    return "\n".join(lines) + ("\n" + textwrap.indent(textwrap.dedent(extra), "    ") if extra else "") + "\n"


# (watchlist text, expected fragments of the first problem: "file:line: field: message")
BAD = [
    pytest.param(
        _op(interval="12x"),
        ["w.yaml:5:", "operators[0] (jd-express).interval", "invalid duration '12x'"],
        id="bad-interval",
    ),
    pytest.param(
        _op(url="ftp://example.com/p"),
        ["w.yaml:4:", "operators[0] (jd-express).url", "not an http(s) URL"],
        id="bad-url",
    ),
    pytest.param(_op(id="JD_Express"), ["w.yaml:2:", ".id", "invalid id 'JD_Express'"], id="bad-id"),
    pytest.param(
        _op(selector='"div..x"'), ["w.yaml:5:", ".selector", "invalid CSS selector"], id="bad-selector"
    ),
    pytest.param(_op(remove='"[["'), ["w.yaml:5:", ".remove", "invalid CSS selector"], id="bad-remove"),
    pytest.param(
        _op(encoding="klingon"), ["w.yaml:5:", ".encoding", "unknown encoding 'klingon'"], id="bad-encoding"
    ),
    pytest.param(_op(selecter='"#p"'), ["w.yaml:5:", ".selecter", "unknown key"], id="typo-key"),
    pytest.param(
        "operators:\n  - id: a\n    url: https://e.com/\n",
        ["w.yaml:2:", "operators[0] (a).name", "required"],
        id="missing-name",
    ),
    pytest.param(
        _op(alerts="[nowhere]"),
        ["w.yaml:5:", "alerts[0]", "unknown alert channel 'nowhere'"],
        id="unknown-channel",
    ),
    pytest.param(
        _op() + "  - id: jd-express\n    name: x\n    url: https://e.com/\n",
        ["w.yaml:5:", "operators[1] (jd-express).id", "duplicate id 'jd-express'"],
        id="duplicate-id",
    ),
    pytest.param(
        "defaults:\n  interval: soon\n" + _op(),
        ["w.yaml:2:", "defaults.interval", "invalid duration"],
        id="bad-default-interval",
    ),
    pytest.param(
        "fetch:\n  concurrency: 0\n" + _op(),
        ["w.yaml:2:", "fetch.concurrency", "greater than or equal to 1"],
        id="bad-concurrency",
    ),
    pytest.param(
        "fetch:\n  max_bytes: lots\n" + _op(), ["w.yaml:2:", "fetch.max_bytes", "invalid size"], id="bad-size"
    ),
    pytest.param(
        "channels:\n  x:\n    type: pigeon\n" + _op(),
        ["w.yaml:3:", "channels.x.type", "'file'"],
        id="bad-channel-type",
    ),
    pytest.param(
        "operators:\n  - id: a\n    id: b\n",
        ["w.yaml:3:", "operators[0].id", "duplicate key 'id'"],
        id="duplicate-key",
    ),
    pytest.param("operators: [\n", ["w.yaml:", "invalid YAML"], id="bad-yaml"),
    pytest.param("- just\n- a list\n", ["w.yaml:1:", "must be a mapping"], id="not-a-mapping"),
    pytest.param(
        "operators:\n  - id: a\n    name: b\n    url: https://e.com\n    interval: [1]\n",
        ["w.yaml:5:", "interval", "invalid duration"],
        id="interval-not-scalar",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_an_invalid_watchlist_names_file_line_and_field(text: str, expected: list[str]) -> None:
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    first = err.value.problems[0]
    for fragment in expected:
        assert fragment in first, (fragment, first)
    assert "\n" not in str(err.value)


def test_every_problem_is_reported_and_the_message_counts_them() -> None:
    text = _op(interval="12x", url="ftp://x")
    with pytest.raises(WatchlistError) as err:
        loads(text, "w.yaml")
    assert len(err.value.problems) == 2
    assert "(and 1 more problem)" in str(err.value)


def test_a_missing_watchlist_is_a_user_error(tmp_path) -> None:
    with pytest.raises(WatchlistError, match="no such watchlist"):
        load(tmp_path / "nope.yaml")


def test_an_empty_watchlist_has_no_operators() -> None:
    assert loads("", "w.yaml").operators == []


def test_unknown_operators_are_listed() -> None:
    wl = loads(GOOD, "w.yaml")
    with pytest.raises(
        UnknownOperatorError, match=r"unknown operator 'nope' in w.yaml \(known: jd-express, cainiao\)"
    ):
        wl.select(["nope"])
    assert [o.id for o in wl.select(["cainiao"])] == ["cainiao"]
    assert [o.id for o in wl.select([])] == ["jd-express", "cainiao"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("12h", 43200),
        ("30m", 1800),
        ("1d", 86400),
        ("90s", 90),
        ("1h30m", 5400),
        ("0.5s", 0.5),
        (45, 45),
        ("2 h", 7200),
    ],
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["12", "h", "12x", "1h junk", "-1h", True, None])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "size"), [("5MB", 5 * 2**20), ("512KB", 512 * 1024), ("100", 100), (2048, 2048)]
)
def test_sizes(text: str | int, size: int) -> None:
    assert parse_size(text) == size


_NESTED = "a: " + "[" * 62 + "1" + "]" * 62 + "\n"  # 63 collections and the value: within MAX_DEPTH


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((Path(__file__).resolve().parents[2] / "watchlist.yaml").read_text("utf-8"), id="repo"),
        pytest.param(
            "defaults: &d {interval: 6h, alerts: [files]}\noperators:\n"
            "  - {id: a, name: 甲, url: 'http://a/', <<: *d}\n  - id: b\n    name: >-\n      乙\n"
            "    url: http://b/\n    headers: {X-A: '1'}\n",
            id="aliases-merge-folded",
        ),
        pytest.param(_NESTED, id="deepest-allowed"),
        pytest.param("", id="empty"),
    ],
)
def test_libyaml_composes_what_the_python_loader_composes(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor import yamlmarks

    fast = yamlmarks.Marks({})
    assert yamlmarks._fast_compose(text, "w.yaml") is not None or not text.strip()
    data = yamlmarks.compose(text, "w.yaml", fast)
    monkeypatch.setattr(yamlmarks, "_fast_compose", lambda *_: None)
    slow = yamlmarks.Marks({})
    assert yamlmarks.compose(text, "w.yaml", slow) == data
    assert (fast.lines, fast.built) == (slow.lines, slow.built)


def test_what_libyaml_refuses_the_python_loader_explains() -> None:
    from monitor import yamlmarks

    deep = "a: " + "[" * 63 + "1" + "]" * 63 + "\n"
    for text in (deep, "a: [1,\nb: 2\n", "a: 1\na: 2\n", "a: &x [*x]\n"):
        assert yamlmarks._fast_compose(text, "w.yaml") is None
        with pytest.raises(WatchlistError, match=r"^w\.yaml:\d"):
            yamlmarks.compose(text, "w.yaml", yamlmarks.Marks({}))
