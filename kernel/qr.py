"""QR codes of links, as PNG pictures to show on a phone or print."""

from __future__ import annotations

import io

import qrcode  # type: ignore[import-untyped]
from qrcode.image.pure import PyPNGImage  # type: ignore[import-untyped]


def png(text: str) -> bytes:
    """`text` (a link) as a QR code in a PNG, in pure Python (pypng, no imaging library)."""
    picture = qrcode.make(text, image_factory=PyPNGImage, box_size=8, border=4)
    buffer = io.BytesIO()
    picture.save(buffer)
    return buffer.getvalue()
