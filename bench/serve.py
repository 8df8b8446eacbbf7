"""The web view on a big store: dashboard, timeline and diff latency, and feed requests per second.

    .venv/bin/python bench/serve.py                          # 1,000 operators × 20 versions
    .venv/bin/python bench/serve.py --operators 100 --requests 50    # a quick look

The store (SQLite, ``bench/out/serve-<N>x<V>.db``, reused when it already holds that many versions)
is filled through the store's own write path (``store.writes.write_version``, the one ``check``
uses) with synthetic versions of a short policy: each version changes the policy's date and a
sentence; every fourth adds a recipient (a material change). Each operator has a check per version;
one in 50 is failing. One more operator holds two real versions of tests/corpus/jd-express.txt
(177 clauses) for the diff of a full-size policy.

Requests go over HTTP to a real ``policy-monitor serve`` subprocess, one at a time (and 4 at a time
for the feed). Latency is per request as the client sees it: median and 95th percentile.

1. dashboard   a random page of 50 operators; a search; a category filter (and a page of it)
2. timeline    a random operator's newest 20 versions
3. diff        a random pair of one operator's versions, first view (computed) and again (the 30
               comparisons viewed last are cached);
               the full-size pair the same way
4. feed        /feeds/changes.atom (50 newest material changes of all operators): requests/s, also
               when the reader sends If-None-Match (304), and with 4 clients at once
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = [
    "示例科技有限公司隐私政策",
    "更新日期:2024年5月{day}日",
    "一、我们如何收集和使用您的个人信息",
    "1.1 为向您提供服务,我们会收集您的手机号码、设备信息和订单信息。",
    "1.2 我们会采取加密、访问控制等措施保护您的个人信息安全,不会出售您的个人信息。{tweak}",
    "二、我们如何共享您的个人信息",
    "2.1 未经您的单独同意,我们不会向其他公司、组织和个人共享您的个人信息。",
    "2.2 为完成支付,我们会与支付机构共享必要的订单信息。",
    "{shares}",
    "三、您的权利",
    "3.1 您可以访问、更正、删除您的个人信息,或撤回您的授权同意。",
    "3.2 我们将在十五个工作日内答复您的请求。",
    "四、如何联系我们",
    "4.1 如您对本隐私政策或个人信息保护有任何疑问,请发送邮件至 privacy@example.com 与我们联系。",
]
PARTNERS = ["巨量引擎", "腾讯广告", "百度推广", "阿里妈妈", "快手磁力"]


def version_text(k: int) -> str:
    """Version k (0-based): a new date and wording each time; a new recipient every fourth."""
    shares = [
        f"2.{3 + j} 为推送个性化广告,我们会与{PARTNERS[j]}共享您的设备信息。" for j in range((k + 3) // 4)
    ]
    tweak = "我们" + "会" * (k % 5 + 1) + "定期审查这些措施。"
    return "\n".join(BASE).format(day=k + 1, tweak=tweak, shares="\n".join(shares) or "2.3 无其他共享。")


def candidate(text: str, source: str) -> object:
    from monitor.document.extract import extract
    from monitor.document.parse import parse_extracted
    from monitor.model import Candidate
    from monitor.store.raw import sha256

    body = text.encode("utf-8")
    ex = extract(body, media_type="text", source=source)
    return Candidate(
        doc=parse_extracted(ex, source),
        lines=ex.lines,
        media_type="text",
        encoding=ex.encoding,
        html_title=None,
        raw_sha256=sha256(body),
    )


def fill(db: str, operators: int, versions: int) -> None:
    from monitor.compare.comparison import compare
    from monitor.store.db import open_store
    from monitor.store.tables import CheckRow, OperatorRow
    from monitor.store.writes import write_version
    from tests.helpers.corpus import corpus_text
    from tests.helpers.edits import insert_line_after

    cands = [candidate(version_text(k), "bench") for k in range(versions)]
    cmps = [None] + [compare(cands[k - 1].doc, cands[k].doc) for k in range(1, versions)]  # type: ignore[attr-defined]
    jd = corpus_text("jd-express.txt")
    real = [
        candidate(jd, "bench"),
        candidate(insert_line_after(jd, "4.2.1 业务共享", "(0)" + version_text(9).split("\n")[9]), "bench"),
    ]
    store = open_store(db)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    jobs = [(f"op-{i:04d}", cands, cmps) for i in range(operators)]
    jobs.append(("zz-jd-real", real, [None, compare(real[0].doc, real[1].doc)]))  # type: ignore[attr-defined]
    for n, (op_id, cs, ms) in enumerate(jobs):
        with store.session() as s:
            failing = n % 50 == 0
            op = OperatorRow(id=op_id, name=f"运营者{n}号", url=f"https://example.com/{op_id}/privacy")
            s.add(op)
            s.flush()
            prev = None
            for k, (cand, cmp) in enumerate(zip(cs, ms, strict=True)):
                seen = t0 + timedelta(days=7 * k, seconds=n)
                w = write_version(
                    s,
                    op_id,
                    cand,  # type: ignore[arg-type]
                    seen=seen,
                    extraction="bench",
                    capture_id=None,
                    origin="check",
                    source=op.url,
                    compare_from=(prev, lambda cmp=cmp: cmp) if prev is not None else None,
                )
                prev = w.version.id
                s.add(
                    CheckRow(
                        operator_id=op_id,
                        started_at=seen,
                        observed_at=seen,
                        outcome="changed",
                        http_status=200,
                        version_id=prev,
                        comparison_id=w.comparison.id if w.comparison else None,
                    )
                )
            op.current_version_id = prev
            op.last_check_at = t0 + timedelta(days=7 * len(cs))
            op.last_outcome = "failed" if failing else "unchanged"
            op.last_reason = "HTTP 503 Service Unavailable" if failing else None
            op.failures = 3 if failing else 0
            s.add(op)
            s.commit()
        if n % 100 == 99:
            print(f"  filled {n + 1} operators ({time.perf_counter() - started:.0f} s)", flush=True)
    store.dispose()


def filled(db: str, operators: int, versions: int) -> bool:
    from sqlmodel import func, select

    from monitor.store.db import open_store
    from monitor.store.tables import VersionRow

    store = open_store(db)
    try:
        with store.session() as s:
            return int(s.exec(select(func.count()).select_from(VersionRow)).one()) == operators * versions + 2
    finally:
        store.dispose()


def digests(db: str, op_id: str) -> list[str]:
    from monitor.store.db import open_store
    from monitor.store.queries import versions

    store = open_store(db)
    try:
        with store.session() as s:
            return [v.sha256[:12] for v in versions(s, op_id)]
    finally:
        store.dispose()


def timed(client: httpx.Client, urls: list[str], headers: dict[str, str] | None = None) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        r = client.get(url, headers=headers)
        out.append(time.perf_counter() - t)
        assert r.status_code in (200, 304), (url, r.status_code, r.text[:200])
    return out


def show(label: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"{label:<44} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms")


def rate(label: str, seconds: float, n: int) -> None:
    print(f"{label:<44} n={n:<4} {n / seconds:7.0f} requests/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--operators", type=int, default=1000)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--requests", type=int, default=200, help="requests per latency measurement")
    ap.add_argument("--port", type=int, default=8097)
    args = ap.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"serve-{args.operators}x{args.versions}.db"
    db = f"sqlite:///{path}"
    if path.exists() and filled(db, args.operators, args.versions):
        print(f"store: {path} (reused)")
    else:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        print(f"store: filling {path}: {args.operators} operators × {args.versions} versions")
        t = time.perf_counter()
        fill(db, args.operators, args.versions)
        print(f"  filled in {time.perf_counter() - t:.0f} s, {path.stat().st_size / 1e6:.0f} MB")
    base = f"http://127.0.0.1:{args.port}"
    env = {k: v for k, v in os.environ.items() if k != "POLICY_MONITOR_TOKEN"}
    cmd = [sys.executable, "-m", "monitor", "--db", db, "serve", "--port", str(args.port)]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    rng = random.Random(7)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(300):
                try:
                    client.get("/feeds/changes.atom")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            n = args.requests
            pages = -(-(args.operators + 1) // 50)
            plain = [f"/?page={rng.randint(1, pages)}" for _ in range(n)]
            search = [f"/?q={rng.randint(0, args.operators - 1)}" for _ in range(n)]
            cats = ["recipients", "processing", "contact"]
            category = [f"/?category={rng.choice(cats)}&page={rng.randint(1, pages // 2)}" for _ in range(n)]
            timed(client, plain[:10])  # warm-up: the first comparison loads jieba's dictionary
            shas = digests(db, "op-0001")
            timed(client, [f"/operators/op-0001/diff/{shas[0]}..{shas[-1]}"])
            show("dashboard, a page of 50", timed(client, plain))
            show("dashboard, search (?q=)", timed(client, search))
            show("dashboard, category filter", timed(client, category))
            ops = [f"op-{rng.randint(0, args.operators - 1):04d}" for _ in range(n)]
            show("timeline (20 versions a page)", timed(client, [f"/operators/{o}" for o in ops]))
            pairs = []
            for o in ops[: max(n // 2, 10)]:
                shas = digests(db, o)
                i, j = sorted(rng.sample(range(len(shas)), 2))
                pairs.append(f"/operators/{o}/diff/{shas[i]}..{shas[j]}")
            show("diff, first view (computed)", timed(client, pairs))
            show("diff, again (cached: the last 30 asked)", timed(client, pairs[-30:]))
            shas = digests(db, "zz-jd-real")
            real = f"/operators/zz-jd-real/diff/{shas[0]}..{shas[1]}"
            show("diff of a 177-clause policy, first view", timed(client, [real]))
            show("diff of a 177-clause policy, again", timed(client, [real] * 20))
            feed = "/feeds/changes.atom"
            m = n * 2
            t = time.perf_counter()
            timed(client, [feed] * m)
            rate("feed, 50 entries", time.perf_counter() - t, m)
            etag = client.get(feed).headers["etag"]
            t = time.perf_counter()
            timed(client, [feed] * m, headers={"If-None-Match": etag})
            rate("feed, If-None-Match → 304", time.perf_counter() - t, m)

            def one(_: int) -> None:
                with httpx.Client(base_url=base, timeout=60) as c:
                    timed(c, [feed] * (m // 4))

            t = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(one, range(4)))
            rate("feed, 4 clients at once", time.perf_counter() - t, (m // 4) * 4)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
