"""A print document rendered to ESC/POS bytes for one printer profile.

python-escpos's ``Dummy`` printer collects the commands (styles, barcodes,
QR codes, raster images in fragments, cuts); text is encoded here
(``hardware.printing.encoding``), never by python-escpos's magic encoder.

Every job starts with ESC @ (so whatever an interrupted earlier job left in
the printer's state is reset) and the code page is selected again right
after it and at the start of every text run, after the style commands:
ESC ! (size) also selects the font, and some firmware drops the code page
on a font change.
"""
import base64
import io

import qrcode

from escpos.printer import Dummy
from PIL import Image as PilImage

from appliance.domain.print_document import (
    Barcode, Columns, Cut, Document, Feed, Image, QrCode, Separator, Text, fit_columns, wrap,
)
from hardware.printing.encoding import encode, printable
from hardware.printing.profiles import PrinterProfile, escpos_profile_with_width

RESET = b"\x1b@"
# Raster images go in strips this high: cheap 58 mm printers have small receive buffers.
FRAGMENT_HEIGHT = 256
SIZE_STYLE = {"normal": {"normal_textsize": True}, "tall": {"double_height": True},
              "large": {"double_height": True, "double_width": True}}


def render(doc: Document, profile: PrinterProfile) -> bytes:
    """The ESC/POS bytes of ``doc`` on a printer with ``profile``."""
    printer = Dummy()
    printer.profile = escpos_profile_with_width(profile)
    printer._raw(RESET + profile.code_page.select())
    for block in doc.blocks:
        _RENDERERS[type(block)](printer, profile, block)
    return printer.output


def _text_run(printer, profile: PrinterProfile, line: str) -> None:
    printer._raw(profile.code_page.select() + encode(line, profile.code_page) + b"\n")


def _text(printer, profile: PrinterProfile, block: Text) -> None:
    printer.set(align=block.align, bold=block.bold, **SIZE_STYLE[block.size])
    width = profile.columns // 2 if block.size == "large" else profile.columns
    for paragraph in block.text.split("\n"):
        for line in wrap(printable(paragraph, profile.code_page), width):
            _text_run(printer, profile, line)


def _columns(printer, profile: PrinterProfile, block: Columns) -> None:
    printer.set(align="left", bold=block.bold, **SIZE_STYLE[block.size])
    page = profile.code_page
    # Fitted after ``printable``: a fallback ("..." for "…") may change a text's length.
    for line in fit_columns(printable(block.left, page), printable(block.right, page), profile.columns):
        _text_run(printer, profile, line)


def _separator(printer, profile: PrinterProfile, block: Separator) -> None:
    printer.set(align="left", bold=False, normal_textsize=True)
    _text_run(printer, profile, block.char * profile.columns)


def _barcode(printer, profile: PrinterProfile, block: Barcode) -> None:
    if profile.hardware_barcodes:
        # Called past python-escpos's barcode(), which prints a note to stdout on every call.
        code = block.data if block.symbology == "EAN13" else "{B" + block.data
        printer._hw_barcode(code, block.symbology, height=64, width=2 if block.symbology == "CODE128" else 3,
                            pos="BELOW", font="A", align_ct=True, function_type="B")
    else:
        bc = "ean13" if block.symbology == "EAN13" else "code128"
        printer._sw_barcode(bc, block.data, impl="bitImageRaster", module_height=8, module_width=0.25,
                            text_distance=3, font_size=9, center=True)
    printer._raw(b"\n")


def _qr(printer, profile: PrinterProfile, block: QrCode) -> None:
    printer.set(align="center")
    if profile.native_qr:
        printer.qr(block.data, size=block.size, native=True)
    else:
        # Drawn here rather than by printer.qr(native=False), whose text("\n") goes through
        # python-escpos's magic encoder and switches the code page behind our back.
        code = qrcode.QRCode(box_size=max(1, min(block.size, profile.dots // 60)), border=2,
                             error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(block.data)
        code.make(fit=True)
        picture = code.make_image().get_image().convert("1")
        printer.image(picture, center=True, fragment_height=FRAGMENT_HEIGHT)
    printer._raw(b"\n")


def _image(printer, profile: PrinterProfile, block: Image) -> None:
    picture = PilImage.open(io.BytesIO(base64.b64decode(block.png)))
    if picture.width > profile.dots:
        picture = picture.resize((profile.dots, max(1, picture.height * profile.dots // picture.width)))
    printer.image(picture, center=True, fragment_height=FRAGMENT_HEIGHT)


def _feed(printer, profile: PrinterProfile, block: Feed) -> None:
    printer._raw(b"\n" * block.lines)


def _cut(printer, profile: PrinterProfile, block: Cut) -> None:
    if profile.cutter:
        printer.cut(mode="PART" if block.partial else "FULL")
    else:
        printer._raw(b"\n" * 4)  # past the tear bar


_RENDERERS = {Text: _text, Columns: _columns, Separator: _separator, Barcode: _barcode, QrCode: _qr,
              Image: _image, Feed: _feed, Cut: _cut}
