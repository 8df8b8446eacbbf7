"""jieba's dictionary read a first character at a time: the same words, without loading all of it.

``jieba.initialize()`` unmarshals the whole prefix dictionary (some 500,000 entries, 0.4 to 1.5 s
and ≈80 MB) before the first word is cut. Cutting a sentence looks up only substrings that start
at one of its characters (``Tokenizer.get_DAG`` and ``Tokenizer.calc``), so a tokenizer whose
dictionary holds every entry that starts with each character of the sentence cuts it exactly as
the whole dictionary does. :func:`tokenizer` gives such a ``jieba.Tokenizer``; :meth:`Lazy.cut`
loads the entries of a line's characters before cutting it.

The dictionary is kept by first character in one file beside jieba's own cache (the same
directory, ``jieba.dt.tmp_dir`` or the system's temporary directory): an index of offsets, then one
marshalled ``dict`` per first character. It is written once, from the whole dictionary, by the first
process that needs it (atomically; a file of another jieba or dictionary, another owner or any
damage is rebuilt). It holds jieba's dictionary only, nothing of the comparison.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import mmap
import os
import struct
import tempfile
import threading
from pathlib import Path
from typing import Any

MAGIC = b"policy-monitor jieba by first character 1\n"
_HEAD = struct.Struct("<Q")  # the length of the marshalled index that follows the magic


def _dictionary_key(jieba: Any, folder: Path | None = None) -> tuple[str, Path]:
    """What the file depends on (jieba's version, its dictionary file) and where it lives."""
    dt = jieba.dt
    source = Path(dt.dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME))
    st = source.stat()
    key = f"{jieba.__version__}|{source}|{st.st_size}|{st.st_mtime_ns}"
    folder = folder or Path(dt.tmp_dir or tempfile.gettempdir())
    name = f"policy-monitor-jieba-{hashlib.sha256(key.encode()).hexdigest()[:16]}.bin"
    return key, folder / name


def build(jieba: Any, path: Path, key: str) -> None:
    """Write the dictionary by first character to ``path`` (from jieba's whole dictionary)."""
    dt = jieba.Tokenizer(jieba.dt.dictionary)
    dt.tmp_dir = jieba.dt.tmp_dir
    dt.initialize()
    parts: dict[str, dict[str, int]] = {}
    for word, freq in dt.FREQ.items():
        parts.setdefault(word[0], {})[word] = freq
    blobs: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    offset = 0
    for ch, words in parts.items():
        blob = marshal.dumps(words)
        index[ch] = (offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    head = marshal.dumps((key, dt.total, index))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + _HEAD.pack(len(head)) + head)
            for blob in blobs:
                f.write(blob)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Lazy:
    """A jieba tokenizer over the dictionary file; entries are loaded per first character."""

    def __init__(self, jieba: Any, path: Path, key: str) -> None:
        with path.open("rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():
                raise ValueError(f"{path}: another user's file")
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        start = len(MAGIC) + _HEAD.size
        if self.map[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a dictionary file")
        (size,) = _HEAD.unpack(self.map[len(MAGIC) : start])
        stored, total, index = marshal.loads(self.map[start : start + size])
        if stored != key:
            raise ValueError(f"{path}: another dictionary")
        self.base = start + size
        last = max((o + n for o, n in index.values()), default=0)
        if self.base + last != len(self.map):
            raise ValueError(f"{path}: cut short")
        self.index: dict[str, tuple[int, int]] = index
        self.loaded: set[str] = set()
        self.lock = threading.Lock()
        self.tk = jieba.Tokenizer(jieba.dt.dictionary)
        self.tk.FREQ, self.tk.total, self.tk.initialized = {}, total, True

    def load(self, text: str) -> None:
        """Make sure every entry starting with a character of ``text`` is in the dictionary."""
        missing = {ch for ch in text if ch not in self.loaded}
        if not missing:
            return
        with self.lock:
            freq = self.tk.FREQ
            for ch in missing:
                at = self.index.get(ch)
                if at is not None:
                    freq.update(marshal.loads(self.map[self.base + at[0] : self.base + at[0] + at[1]]))
                self.loaded.add(ch)

    def cut(self, line: str) -> list[str]:
        """``jieba.lcut(line, HMM=False)``, word for word."""
        self.load(line)
        return list(self.tk.cut(line, HMM=False))


def tokenizer(jieba: Any, folder: Path | None = None) -> Lazy:
    """The lazy tokenizer for jieba's default dictionary, writing its file first when needed (in
    ``folder``, by default jieba's)."""
    key, path = _dictionary_key(jieba, folder)
    try:
        return Lazy(jieba, path, key)
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        build(jieba, path, key)
        return Lazy(jieba, path, key)
