"""The extraction code's fingerprint: what changes it and what does not, and its cache entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.document import fingerprint
from monitor.document.fingerprint import code_fingerprint, extraction_key, extractor_code

CODE = "import re\n\n\ndef f(x):\n    return re.sub('a', 'b', x)\n"


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ("import re  # comment\n\ndef f(x):\n    # why\n    return re.sub('a', 'b', x)\n", True),
        ("import regex as re\nfrom os import path\n\n\ndef f(x):\n    return re.sub('a', 'b', x)\n", True),
        ("import re\n\n\ndef f(x):\n    return re.sub('a', 'c', x)\n", False),
        ("import re\n\n\ndef g(x):\n    return re.sub('a', 'b', x)\n", False),
    ],
)
def test_code_fingerprint(other: str, same: bool) -> None:
    assert (code_fingerprint([CODE]) == code_fingerprint([other])) is same


def test_order_of_sources_does_not_matter() -> None:
    assert code_fingerprint([CODE, "x = 1\n"]) == code_fingerprint(["x = 1\n", CODE])


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    extractor_code.cache_clear()
    yield tmp_path / "policy-monitor"
    extractor_code.cache_clear()


def test_the_cache_entry_gives_what_parsing_gives(cache: Path) -> None:
    first = extractor_code()
    entries = list(cache.glob("extractor-*"))
    assert len(entries) == 1 and entries[0].read_text().strip() == first
    assert not list(cache.glob("*.part"))
    extractor_code.cache_clear()
    entries[0].write_text("0123456789abcdef\n")  # read back, not parsed again
    assert extractor_code() == "0123456789abcdef"


def test_a_damaged_entry_is_parsed_again(cache: Path) -> None:
    first = extractor_code()
    extractor_code.cache_clear()
    entry = next(cache.glob("extractor-*"))
    entry.write_bytes(b"\xff not a fingerprint")
    assert extractor_code() == first
    assert entry.read_text().strip() == first  # and written anew


def test_an_unwritable_cache_only_means_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    extractor_code.cache_clear()
    try:
        assert extractor_code() == code_fingerprint(_sources())
    finally:
        extractor_code.cache_clear()


def test_an_edited_module_is_a_new_entry(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "pm_fingerprint_probe.py"
    module.write_text(CODE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(fingerprint, "EXTRACTION_MODULES", ("pm_fingerprint_probe",))
    first = extractor_code()
    extractor_code.cache_clear()
    module.write_text(CODE.replace("'b'", "'c'"))
    assert extractor_code() == code_fingerprint([CODE.replace("'b'", "'c'")]) != first
    assert len(list(cache.glob("extractor-*"))) == 2


def test_extraction_key_depends_on_the_settings() -> None:
    assert extraction_key("#policy", None, None) != extraction_key(None, None, None)
    assert extraction_key(None, None, "GBK") == extraction_key(None, None, "gbk")


def _sources() -> list[str]:
    import importlib.util

    out = []
    for name in fingerprint.EXTRACTION_MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        out.append(Path(spec.origin).read_text(encoding="utf-8"))
    return out
