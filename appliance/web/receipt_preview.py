"""A print document shown on a page as the paper would show it: fixed-width lines, bold where printed bold."""
from dataclasses import dataclass

from appliance.domain.print_document import Barcode, Columns, Document, Feed, QrCode, Separator, Text, fit_columns, wrap

WIDTH = 42  # characters on 80 mm paper in the normal font


@dataclass(frozen=True)
class PreviewLine:
    """One line of the paper."""

    text: str
    bold: bool = False


def preview(document: Document, width: int = WIDTH) -> list[PreviewLine]:
    """The document's text blocks as lines of ``width``; codes are shown by their data, cuts end it."""
    lines: list[PreviewLine] = []
    for block in document.blocks:
        if isinstance(block, Text):
            align = {"center": str.center, "right": str.rjust}.get(block.align, str.ljust)
            lines += [PreviewLine(align(t, width), block.bold) for t in wrap(block.text, width)]
        elif isinstance(block, Columns):
            lines += [PreviewLine(t, block.bold) for t in fit_columns(block.left, block.right, width)]
        elif isinstance(block, Separator):
            lines.append(PreviewLine(block.char * width))
        elif isinstance(block, (QrCode, Barcode)):
            lines.append(PreviewLine(f"[{block.data}]".center(width)))
        elif isinstance(block, Feed):
            lines += [PreviewLine("")] * block.lines
    return lines
