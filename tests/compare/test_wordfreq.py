"""jieba's dictionary read a first character at a time (monitor.compare.wordfreq) cuts every line
exactly as jieba with its whole dictionary does; a file of another dictionary, or a damaged one,
is written again."""

from __future__ import annotations

import os
from pathlib import Path

import jieba
import pytest

from monitor.compare import wordfreq
from monitor.document.normalize import canon

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXTRA = [
    "我们会与广告合作伙伴共享您的设备信息,用于向您推送个性化广告。",
    "Android ID、OAID 3.5% self-driving a+b #1 x_y 个人信息保护法(2021)",
    "",
    "  \t ",
    "𠀀𪚥 unknown ☃ characters",
]


@pytest.fixture(scope="module")
def whole() -> jieba.Tokenizer:
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


def corpus_lines() -> list[str]:
    lines = {canon(line) for p in sorted(CORPUS.glob("*.txt")) for line in p.read_text("utf-8").splitlines()}
    return sorted(lines | set(EXTRA))


def test_every_corpus_line_is_cut_as_with_the_whole_dictionary(
    tmp_path: Path, whole: jieba.Tokenizer
) -> None:
    lazy = wordfreq.tokenizer(jieba, tmp_path)
    lines = corpus_lines()
    assert len(lines) > 900
    for line in lines:
        assert lazy.cut(line) == whole.lcut(line, HMM=False), line
    # only the first characters met were read
    assert 0 < len(lazy.tk.FREQ) < len(whole.FREQ)
    assert lazy.tk.total == whole.total


def test_one_file_is_written_and_read_again(tmp_path: Path) -> None:
    first = wordfreq.tokenizer(jieba, tmp_path)
    (path,) = tmp_path.glob("policy-monitor-jieba-*.bin")
    stamp = path.stat().st_mtime_ns
    again = wordfreq.tokenizer(jieba, tmp_path)
    assert path.stat().st_mtime_ns == stamp  # read, not written again
    line = "个人信息的共享、转让和公开披露"
    assert again.cut(line) == first.cut(line)


@pytest.mark.parametrize(
    "damage",
    # each rebuild reads jieba's whole dictionary (≈1 s): one case in the quick suite
    [
        "garbage",
        pytest.param("truncate", marks=pytest.mark.slow),
        pytest.param("other-key", marks=pytest.mark.slow),
    ],
)
def test_a_damaged_or_foreign_file_is_written_again(tmp_path: Path, damage: str) -> None:
    wordfreq.tokenizer(jieba, tmp_path)
    (path,) = tmp_path.glob("policy-monitor-jieba-*.bin")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a dictionary")
    else:
        key, _ = wordfreq._dictionary_key(jieba, tmp_path)
        wordfreq.build(jieba, path, key + "|another")
    lazy = wordfreq.tokenizer(jieba, tmp_path)
    assert lazy.cut("个人信息") == ["个人信息"]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    assert os.stat(path).st_size == len(data)
