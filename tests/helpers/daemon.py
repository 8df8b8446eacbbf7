"""Helpers for the tests of ``policy-monitor run``: small policy pages, watchlists, and workers started
as real subprocesses whose JSON log lines (stderr, to a file) and database the tests read.

Every wait polls for a condition with a generous deadline: the tests never assert on speed."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from monitor.store.db import Store, open_store
from monitor.store.tables import AlertRow, CheckRow, OperatorRow, VersionRow
from tests.helpers.edits import to_html

ROOT = Path(__file__).resolve().parents[2]
EDIT = "2.3 为向您推送个性化广告,我们会与广告合作伙伴巨量引擎、腾讯广告共享您的设备信息和位置信息。"


def policy_text(i: int, edited: bool = False) -> str:
    """A short policy that reads like one (vet.py wants 300+ characters and the words)."""
    lines = [
        f"示例{i}号科技有限公司隐私政策",
        "更新日期:2024年5月1日",
        "一、我们如何收集和使用您的个人信息",
        f"1.1 为向您提供第{i}号服务,我们会收集您的手机号码、设备信息和订单信息。",
        "1.2 我们会采取加密、访问控制等措施保护您的个人信息安全,不会出售您的个人信息。",
        "二、我们如何共享您的个人信息",
        "2.1 未经您的单独同意,我们不会向其他公司、组织和个人共享您的个人信息。",
        "2.2 为完成支付,我们会与支付机构共享必要的订单信息。",
        "三、您的权利",
        "3.1 您可以访问、更正、删除您的个人信息,或撤回您的授权同意。",
        "3.2 我们将在十五个工作日内答复您的请求。",
        "四、如何联系我们",
        "4.1 如您对本隐私政策或个人信息保护有任何疑问,请发送邮件至 privacy@example.com 与我们联系。",
    ]
    if edited:
        lines.insert(8, EDIT)
    return "\n".join(lines)


def policy_page(i: int, edited: bool = False) -> bytes:
    return to_html(policy_text(i, edited)).encode("utf-8")


def watchlist_yaml(
    urls: dict[str, str],
    *,
    interval: str = "3s",
    extra: str = "",
    fetch: str = "fetch: {per_host_delay: 0, retries: 0, timeout: 5s}",
) -> str:
    lines = [
        fetch,
        "defaults:",
        f"  interval: {interval}",
        "  trigger: {changes: all}",
        "alerting: {attempts: 3, backoff: 1s}",
    ]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("operators:")
    for op_id, url in urls.items():
        lines += [f"  - id: {op_id}", f"    name: 运营者{op_id}", f"    url: {url}"]
    return "\n".join(lines) + "\n"


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 60.0, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


@dataclass
class Worker:
    """One ``policy-monitor run`` subprocess. Logs as JSON to ``<dir>/<name>.log``."""

    name: str
    cwd: Path
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.cwd / f"{self.name}.log"

    def start(self) -> Worker:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env}
        cmd = [sys.executable, "-m", "monitor", *self.args]
        with open(self.log_path, "ab") as err:
            self.proc = subprocess.Popen(
                cmd, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def events(self, event: str | None = None) -> list[dict[str, Any]]:
        out = []
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        for line in text.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and (event is None or item.get("event") == event):
                out.append(item)
        return out

    def checks(self, operator: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.events("check") if operator is None or e.get("operator") == operator]

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def wait_started(self, timeout: float = 60.0) -> dict[str, Any]:
        def started() -> dict[str, Any] | None:
            assert self.proc is not None
            exited = self.proc.poll() is not None
            found = self.events("started")
            if found:
                return found[-1]
            if exited:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_text()}")
            return None

        return wait_for(f"{self.name} to start", started, timeout)

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 60.0) -> int:
        assert self.proc is not None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} did not exit within {timeout:g} s:\n{self.log_text()}"
            ) from None

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM and wait: the exit status."""
        self.signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self) -> None:
        """For cleanup: SIGKILL if it still runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def run_args(watchlist: Path, db: str, *extra: str) -> list[str]:
    return [
        "--watchlist",
        str(watchlist),
        "--db",
        db,
        "run",
        "--log-format",
        "json",
        "--poll",
        "0.2",
        "--grace",
        "20",
        *extra,
    ]


# ---------------------------------------------------------------------------------------------
# reading the database


class Db:
    def __init__(self, url: str, raw: Path) -> None:
        self.store: Store = open_store(url, raw=raw)

    def close(self) -> None:
        self.store.dispose()

    def check_times(self, operators: Iterable[str] | None = None) -> dict[str, list[datetime]]:
        """operator → start times of its recorded checks, in order."""
        stmt = select(CheckRow.operator_id, CheckRow.started_at).where(CheckRow.trigger == "check")
        if operators is not None:
            stmt = stmt.where(col(CheckRow.operator_id).in_(list(operators)))
        out: dict[str, list[datetime]] = {}
        with self.store.session() as s:
            for op_id, at in s.exec(stmt.order_by(col(CheckRow.started_at))):
                out.setdefault(op_id, []).append(at)
        return out

    def checks(self, operator: str) -> int:
        return len(self.check_times([operator]).get(operator, []))

    def versions(self, operator: str) -> int:
        with self.store.session() as s:
            return len(s.exec(select(VersionRow.id).where(VersionRow.operator_id == operator)).all())

    def alerts(self, operator: str | None = None) -> list[AlertRow]:
        stmt = select(AlertRow)
        if operator is not None:
            stmt = stmt.where(AlertRow.operator_id == operator)
        with self.store.session() as s:
            return list(s.exec(stmt.order_by(col(AlertRow.created_at))))

    def operator(self, op_id: str) -> OperatorRow | None:
        with self.store.session() as s:
            return s.get(OperatorRow, op_id)

    def operators(self) -> dict[str, OperatorRow]:
        with self.store.session() as s:
            return {op.id: op for op in s.exec(select(OperatorRow))}

    def leased(self) -> list[str]:
        with self.store.session() as s:
            return list(s.exec(select(OperatorRow.id).where(col(OperatorRow.lease_owner).is_not(None))))


def gaps(times: list[datetime]) -> list[float]:
    return [(b - a).total_seconds() for a, b in itertools.pairwise(times)]


def alert_files(root: Path, operator: str) -> list[Path]:
    d = root / operator
    return sorted(d.glob("*.json")) if d.is_dir() else []
