"""The store: raw captures, rebuilding documents from stored versions, and naming versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from monitor.errors import UserError
from monitor.store.db import Store
from monitor.store.queries import load_version_document, resolve_version, version_document, versions
from monitor.store.raw import RawStore, sha256
from monitor.store.tables import OperatorRow, VersionRow
from monitor.watch.run import check
from tests.helpers.checks import html, two_versions, watch
from tests.helpers.corpus import corpus_text
from tests.helpers.fetch import FAST
from tests.helpers.policy_server import Page, PolicyServer


def test_raw_captures_are_content_addressed_and_compressed(tmp_path: Path) -> None:
    raw = RawStore(tmp_path)
    data = corpus_text("liqun.txt").encode()
    digest = raw.put(data)
    assert digest == sha256(data) and raw.put(data) == digest
    path = raw.path(digest)
    assert path.parent.name == digest[:2] and path.stat().st_size < 0.7 * len(data)
    assert raw.get(digest) == data
    assert not list(tmp_path.rglob(".tmp-*"))
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(UserError):
        raw.get(digest)
    with pytest.raises(UserError, match="missing"):
        raw.get("0" * 64)


def test_a_stored_version_rebuilds_the_same_document(store: Store, policy_server: PolicyServer) -> None:
    for name in ["jd-express", "liqun", "onewo"]:
        policy_server.pages[f"/{name}"] = Page(html(corpus_text(f"{name}.txt"), "gbk"))
    wl = watch(policy_server, "jd-express", "liqun", "onewo", selector=None)
    check(store, wl, (), FAST)
    with store.session() as s:
        for v in s.exec(select(VersionRow)):
            doc = version_document(s, v)
            assert doc.sha256 == v.sha256
            assert doc.title == v.title and doc.updated == v.updated
            assert sum(1 for _ in doc.clauses()) == v.clauses


def test_versions_are_named_by_number_date_hash_and_alias(store: Store, policy_server: PolicyServer) -> None:
    two_versions(store, policy_server)
    with store.session() as s:
        op = s.get(OperatorRow, "jd")
        assert op is not None
        v1, v2 = versions(s, "jd")
        today = v2.first_seen.strftime("%Y-%m-%d")
        for spec, expected in [
            (None, v2),
            ("latest", v2),
            ("current", v2),
            ("previous", v1),
            ("1", v1),
            ("v2", v2),
            ("-1", v2),
            ("-2", v1),
            (v1.sha256[:10], v1),
            (today, v2),
        ]:
            assert resolve_version(s, op, spec).id == expected.id, spec
        for spec in ["3", "0", "-3", "1999-01-01", "ffffffffff", "nonsense"]:
            with pytest.raises(
                UserError, match=r"unknown version .* of jd \(versions: 1 \(.*\), 2 \(.*\); or latest"
            ):
                resolve_version(s, op, spec)
    doc = load_version_document(store, "jd", "1")
    assert doc.source == "jd@1"
    with pytest.raises(UserError, match=r"unknown operator 'nope' \(known: jd\)"):
        load_version_document(store, "nope")
