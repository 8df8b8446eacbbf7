"""The quick path's batches (monitor.watch.quick.Batcher), with a recorder that only notes the batches
it was given: checks that come together go together, checks that come while a batch is being
recorded go in the next one, and every check gets its own report or its own error."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from monitor.watch.fetch import FetchResult
from monitor.watch.quick import Batcher, record_quick
from monitor.watch.target import CheckReport, Held, LeaseLostError, Target


def target(n: int) -> Target:
    return Target(f"op{n}", "x", f"http://127.0.0.1/{n}", held=Held(1, "0" * 64, failure_alerted=False))


def not_modified(n: int) -> FetchResult:
    return FetchResult("not_modified", target(n).url, http_status=304)


class Recorder:
    """Stands for the record thread: notes each batch, takes ``seconds`` to record it."""

    def __init__(self, seconds: float = 0.0, fail: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.seconds, self.fail = seconds, fail

    async def run(self, fn: Any, store: Any, items: list[Any]) -> list[CheckReport | LeaseLostError]:
        assert fn is record_quick
        self.batches.append([t.operator_id for t, _, _ in items])
        await asyncio.sleep(self.seconds)
        if self.fail == "all":
            raise RuntimeError("the record thread died")
        return [
            LeaseLostError(t.operator_id)
            if t.operator_id == self.fail
            else CheckReport(t.operator_id, v.outcome)
            for t, _, v in items
        ]


def test_checks_that_come_together_go_together() -> None:
    rec = Recorder()

    async def go() -> list[CheckReport]:
        batcher = Batcher(None, rec.run, linger=0.05)  # type: ignore[arg-type]
        futures = [batcher.offer(target(n), not_modified(n)) for n in range(5)]
        return list(await asyncio.gather(*futures))  # type: ignore[arg-type]

    reports = asyncio.run(go())
    assert [r.operator_id for r in reports] == [f"op{n}" for n in range(5)]
    assert rec.batches == [[f"op{n}" for n in range(5)]]


def test_checks_that_come_during_a_batch_go_in_the_next() -> None:
    rec = Recorder(seconds=0.2)

    async def go() -> None:
        batcher = Batcher(None, rec.run, linger=0.01)  # type: ignore[arg-type]
        first = batcher.offer(target(0), not_modified(0))
        await asyncio.sleep(0.05)  # the first batch is being recorded
        later = [batcher.offer(target(n), not_modified(n)) for n in (1, 2, 3)]
        await asyncio.gather(first, *later)  # type: ignore[arg-type]

    asyncio.run(go())
    assert rec.batches == [["op0"], ["op1", "op2", "op3"]]


def test_a_batch_is_at_most_size_checks() -> None:
    rec = Recorder()

    async def go() -> None:
        batcher = Batcher(None, rec.run, size=2, linger=0.01)  # type: ignore[arg-type]
        await asyncio.gather(*(batcher.offer(target(n), not_modified(n)) for n in range(5)))  # type: ignore[arg-type]

    asyncio.run(go())
    assert rec.batches == [["op0", "op1"], ["op2", "op3"], ["op4"]]


@pytest.mark.parametrize(("fail", "errors"), [("op1", ["op1"]), ("all", ["op0", "op1", "op2"])])
def test_each_check_gets_its_own_error(fail: str, errors: list[str]) -> None:
    rec = Recorder(fail=fail)

    async def go() -> list[Any]:
        batcher = Batcher(None, rec.run)  # type: ignore[arg-type]
        futures = [batcher.offer(target(n), not_modified(n)) for n in range(3)]
        return list(await asyncio.gather(*futures, return_exceptions=True))  # type: ignore[arg-type]

    results = asyncio.run(go())
    assert [f"op{n}" for n, r in enumerate(results) if isinstance(r, Exception)] == errors


def test_a_check_with_something_new_is_not_offered() -> None:
    async def go() -> object:
        return Batcher(None, Recorder().run).offer(  # type: ignore[arg-type]
            target(0), FetchResult("failed", target(0).url, reason="timeout")
        )

    assert asyncio.run(go()) is None
