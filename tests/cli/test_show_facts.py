"""`policy-monitor show FILE --facts`: the inventory as a privacy label, and as JSON."""

from __future__ import annotations

import json

import pytest

from monitor.cli.main import main
from tests.helpers.corpus import CORPUS


def test_text_label_lists_the_operator_its_channels_and_recipients(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", str(CORPUS / "jd-express.txt"), "--facts"]) == 0
    out = capsys.readouterr().out
    assert "运营者 (controller)" in out and "北京京邦达贸易有限公司" in out
    assert "联系方式 (contact)" in out and "950616" in out
    assert "共享、委托与SDK (recipients)" in out


def test_json_inventory_has_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(CORPUS / "liqun.txt"), "--facts", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["facts"] and all(
        set(f) == {"category", "kind", "value", "attrs", "paths", "sentence"} for f in data["facts"]
    )
    contact = {f["value"] for f in data["facts"] if f["category"] == "contact"}
    assert not contact & {"收货地址", "手机号码"}  # what users provide is no channel of the operator
