"""Vetting a PDF body before it is read: its type by signature, and a PDF cut short refused."""

from __future__ import annotations

import pytest

from monitor.watch.reading import vet_body

WHOLE = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("body", "content_type", "media_type", "reason"),
    [
        (WHOLE, "application/pdf", "pdf", None),
        (WHOLE, "application/octet-stream", "pdf", None),
        (WHOLE, "text/plain", "pdf", None),
        (WHOLE, None, "pdf", None),
        (WHOLE[:30], "application/pdf", "pdf", "truncated PDF: it ends without %%EOF (30 bytes)"),
        (WHOLE, "image/png", "pdf", "unexpected content type image/png"),
        (
            b"<html><body>error</body></html>",
            "application/pdf",
            "html",
            "unexpected content type application/pdf",
        ),
    ],
)
def test_pdf_bodies_are_vetted(
    body: bytes, content_type: str | None, media_type: str, reason: str | None
) -> None:
    assert vet_body(body, content_type) == (media_type, reason)
