"""The web view's stable addresses (``policy-monitor serve``), which alerts link to.

A comparison is named by the SHA-256 prefixes of its two versions, not by their numbers: an imported
older version renumbers the ones after it, a digest never changes. ``monitor.web`` serves these paths.
"""

from __future__ import annotations

from urllib.parse import quote

DIGEST = 12  # hex digits of a version's SHA-256 in a URL


def operator_path(operator_id: str) -> str:
    return f"/operators/{quote(operator_id)}"


def version_path(operator_id: str, sha256: str) -> str:
    return f"{operator_path(operator_id)}/versions/{sha256[:DIGEST]}"


def diff_path(operator_id: str, from_sha256: str, to_sha256: str) -> str:
    """The comparison of two versions: ``/operators/jd/diff/5daa8a38e1f0..465f579d2c3b``."""
    return f"{operator_path(operator_id)}/diff/{from_sha256[:DIGEST]}..{to_sha256[:DIGEST]}"


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path
