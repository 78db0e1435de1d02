"""A printed document as plain blocks, the same for every printer (receipts, reports, labels).

A document says *what* is printed, never *how*: the renderer of a printer
(``hardware.printing.escpos_render``) fits it to that printer's width, code
page and features. Documents are stored in the print queue as JSON, so a job
can be printed again months later on another printer.

JSON form: ``{"version": 1, "copy_mark": "КОПИЯ", "blocks": [{"type": ..., ...}, ...]}``
(``copy_mark``, optional, is the word a re-print is marked with) with block types

- ``text``: ``text``, ``align`` (left | center | right), ``bold``, ``size`` (normal | tall | large)
- ``columns``: ``left``, ``right``, ``bold``, ``size`` (normal | tall) — "left ...... right" across the paper
- ``separator``: ``char`` (one character, repeated across the paper)
- ``barcode``: ``symbology`` (EAN13 | CODE128), ``data``
- ``qr``: ``data``, ``size`` (module size 1-16)
- ``image``: ``png`` (base64 of a PNG, at most the paper's width in dots)
- ``feed``: ``lines``
- ``cut``: ``partial``
"""
from dataclasses import asdict, dataclass, field, fields
from typing import Union

FORMAT_VERSION = 1
ALIGNS = ("left", "center", "right")
SIZES = ("normal", "tall", "large")  # tall: double height; large: double height and width
SYMBOLOGIES = ("EAN13", "CODE128")


class DocumentError(ValueError):
    """A block or a document that cannot be printed as given."""


@dataclass(frozen=True)
class Text:
    """One paragraph of text; long text wraps at word boundaries."""

    text: str
    align: str = "left"
    bold: bool = False
    size: str = "normal"


@dataclass(frozen=True)
class Columns:
    """A left text and a right text on one line, the left one wrapping if both do not fit."""

    left: str
    right: str
    bold: bool = False
    size: str = "normal"  # or tall (double height keeps the line's width)


@dataclass(frozen=True)
class Separator:
    """A line of one repeated character across the paper."""

    char: str = "-"


@dataclass(frozen=True)
class Barcode:
    """A one-dimensional barcode with its human-readable text below."""

    symbology: str
    data: str


@dataclass(frozen=True)
class QrCode:
    """A QR code of ``data``."""

    data: str
    size: int = 6


@dataclass(frozen=True)
class Image:
    """A raster image: base64 of a PNG."""

    png: str


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Cut the paper here (printers without a cutter feed so it can be torn off)."""

    partial: bool = False


Block = Union[Text, Columns, Separator, Barcode, QrCode, Image, Feed, Cut]
BLOCK_TYPES = {"text": Text, "columns": Columns, "separator": Separator, "barcode": Barcode, "qr": QrCode,
               "image": Image, "feed": Feed, "cut": Cut}
_TYPE_OF = {cls: name for name, cls in BLOCK_TYPES.items()}


@dataclass(frozen=True)
class Document:
    """The blocks of one print job, in order."""

    blocks: tuple = field(default_factory=tuple)
    copy_mark: str = ""  # e.g. "КОПИЯ": printed on a re-print of this document; empty for none

    def to_json(self) -> dict:
        """The document as plain JSON data (what the print queue stores)."""
        data = {"version": FORMAT_VERSION,
                "blocks": [{"type": _TYPE_OF[type(b)], **asdict(b)} for b in self.blocks]}
        if self.copy_mark:
            data["copy_mark"] = self.copy_mark
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        """Read a document written by ``to_json``; DocumentError on anything else."""
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise DocumentError("not a print document of version 1")
        blocks = []
        for number, raw in enumerate(data.get("blocks") or []):
            kind = BLOCK_TYPES.get(raw.get("type")) if isinstance(raw, dict) else None
            if kind is None:
                raise DocumentError(f"block {number}: unknown type")
            names = {f.name for f in fields(kind)}
            try:
                block = kind(**{k: v for k, v in raw.items() if k in names})
            except TypeError as exc:
                raise DocumentError(f"block {number}: {exc}") from None
            blocks.append(validate_block(block))
        return cls(tuple(blocks), str(data.get("copy_mark") or ""))


def document(*blocks: Block, copy_mark: str = "") -> Document:
    """A document of ``blocks``, each checked (DocumentError names the first bad one)."""
    return Document(tuple(validate_block(b) for b in blocks), copy_mark)


def as_copy(doc: Document) -> Document:
    """``doc`` marked as a re-print: its copy mark at the top and above the closing feed and cut.

    A document without a copy mark (a test page, a label) is returned as it is.
    """
    if not doc.copy_mark:
        return doc
    mark = Text(f"*** {doc.copy_mark} ***", align="center", bold=True, size="tall")
    end = len(doc.blocks)
    while end and isinstance(doc.blocks[end - 1], (Feed, Cut)):
        end -= 1
    return Document((mark, *doc.blocks[:end], mark, *doc.blocks[end:]), doc.copy_mark)


def validate_block(block: Block) -> Block:
    """Return ``block`` if it can be printed; DocumentError says why not."""
    if isinstance(block, Text):
        if block.align not in ALIGNS or block.size not in SIZES:
            raise DocumentError(f"text: align must be one of {ALIGNS}, size one of {SIZES}")
    elif isinstance(block, Columns):
        if block.size not in ("normal", "tall"):
            raise DocumentError("columns: size must be normal or tall")
    elif isinstance(block, Separator):
        if len(block.char) != 1:
            raise DocumentError("separator: one character")
    elif isinstance(block, Barcode):
        _check_barcode(block.symbology, block.data)
    elif isinstance(block, QrCode):
        if not block.data or len(block.data) > 700 or not 1 <= block.size <= 16:
            raise DocumentError("qr: 1-700 characters of data, size 1-16")
    elif isinstance(block, Feed):
        if not 0 <= block.lines <= 20:
            raise DocumentError("feed: 0-20 lines")
    return block


def ean13_check_digit(first12: str) -> str:
    """The 13th digit of an EAN-13 code (weights 1, 3, 1, 3 ... over the first twelve)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def _check_barcode(symbology: str, data: str) -> None:
    if symbology == "EAN13":
        if not (data.isascii() and data.isdigit() and len(data) == 13):
            raise DocumentError("EAN13: thirteen digits")
        if ean13_check_digit(data[:12]) != data[12]:
            raise DocumentError("EAN13: wrong check digit")
    elif symbology == "CODE128":
        if not 1 <= len(data) <= 60 or not all(32 <= ord(c) < 127 for c in data):
            raise DocumentError("CODE128: 1-60 printable ASCII characters")
    else:
        raise DocumentError(f"barcode: symbology must be one of {SYMBOLOGIES}")


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters, at spaces where possible."""
    if width < 1:
        raise ValueError("width must be at least 1")
    lines = []
    for paragraph in text.split("\n"):
        body = paragraph.lstrip(" ")
        line = " " * min(len(paragraph) - len(body), width - 1)  # kept: "  2 x 45 000" is indented
        has_word = False
        for word in body.split(" "):
            gap = " " if has_word else ""
            if len(line) + len(gap) + len(word) <= width:
                line, has_word = line + gap + word, True
                continue
            if has_word:
                lines.append(line)
                line = ""
            while len(line) + len(word) > width:  # a word longer than the line is cut, never run off the paper
                room = width - len(line)
                lines.append(line + word[:room])
                line, word = "", word[room:]
            line, has_word = line + word, True
        lines.append(line)
    return lines


def fit_columns(left: str, right: str, width: int) -> list[str]:
    """"left ..... right" in lines of exactly ``width`` characters.

    The right text (an amount) stays whole on the last line; the left text
    wraps above it when both do not fit. A right text wider than the line is
    wrapped on its own, right-aligned.
    """
    if len(right) >= width - 1:  # no room left for even one character of the left text beside it
        return [*(s.ljust(width) for s in wrap(left, width) if left),
                *(s.rjust(width) for s in wrap(right, width))]
    room = width - len(right) - 1  # at least one space between the two
    lines = wrap(left, room) if left else [""]
    head, last = lines[:-1], lines[-1]
    return [*(s.ljust(width) for s in head), last + " " * (width - len(last) - len(right)) + right]
