"""What a reader process needs, imported once by the fork server of :mod:`monitor.watch.readers`
(its workers are forks of it): the reading and comparing modules, and a first comparison of two
small documents, which compiles the lexicon's expressions and fills the caches every comparison
uses. Importing this module has that effect; nothing else imports it."""

from __future__ import annotations

from monitor.compare.comparison import compare
from monitor.compare.summarised import summarise
from monitor.store.stored_doc import read_version  # noqa: F401  (an edited page reads the version held)
from monitor.watch.edited import read_and_compare  # noqa: F401
from monitor.watch.reading import read_body

_OLD = "隐私政策\n一、我们收集的信息\n我们收集您的手机号码,用于注册。\n二、联系我们\n邮箱:a@example.com\n"
_NEW = _OLD.replace("手机号码", "手机号码和位置信息").replace("a@example.com", "b@example.com")


def _warm() -> None:
    old = read_body(_OLD.encode(), "text/plain; charset=utf-8", None, "http://127.0.0.1/", None, None, None)
    new = read_body(_NEW.encode(), "text/plain; charset=utf-8", None, "http://127.0.0.1/", None, None, None)
    if not isinstance(old, str) and not isinstance(new, str):
        summarise(compare(old.doc, new.doc))


_warm()
