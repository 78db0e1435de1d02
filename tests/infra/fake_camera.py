"""Chromium's fake camera plays a Y4M file in a loop: this writes one whose picture is a QR code.

Chromium opens the file whenever a page starts the camera, so a test writes the picture it wants
shown just before the page asks for the camera.
"""
from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT = 640, 480


def _frame_luma(text: str | None) -> bytes:
    """A white 640x480 picture, with the QR code of ``text`` in its middle when given (8-bit luma)."""
    picture = Image.new("L", (WIDTH, HEIGHT), 255)
    if text:
        code = qrcode.make(text, border=2).get_image().convert("L")
        side = 300
        picture.paste(code.resize((side, side), Image.NEAREST), ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    return picture.tobytes()


def write_y4m(path: Path, text: str | None, frames: int = 5) -> Path:
    """A short grey-scale Y4M video (4:2:0, neutral colour) showing the QR code of ``text``, or nothing."""
    luma = _frame_luma(text)
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    with open(path, "wb") as fh:
        fh.write(header)
        for _ in range(frames):
            fh.write(b"FRAME\n" + luma + chroma + chroma)
    return path
