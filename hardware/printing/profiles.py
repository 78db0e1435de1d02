"""What one printer model can do, from python-escpos's capability database (escpos-printer-db).

A profile name ("TM-T88V", "POS-5890", "default", ...) gives the code-page
numbers for ESC t, the printable width, and whether barcodes and QR codes
are drawn by the printer or must be sent as raster images.
"""
import copy
from dataclasses import dataclass

from escpos import capabilities

from hardware.printing.encoding import CodePage, NoCyrillicCodePage, choose_code_page

# Characters per line of font A and printable dots, by paper width, when the profile does not say.
PAPER_COLUMNS = {58: 32, 80: 48}
PAPER_DOTS = {58: 384, 80: 576}


class PrinterConfigError(ValueError):
    """A printer set up with a profile or a code page that cannot work."""


@dataclass(frozen=True)
class PrinterProfile:
    """The facts about one printer the renderer needs."""

    name: str  # the python-escpos profile
    columns: int  # characters per line in the normal font
    dots: int  # printable width in dots
    code_page: CodePage
    hardware_barcodes: bool  # GS k; otherwise barcodes go as images
    native_qr: bool  # GS ( k; otherwise QR codes go as images
    cutter: bool


def profile_names() -> list[str]:
    """Every model python-escpos knows, for the printer form."""
    return sorted(capabilities.CAPABILITIES["profiles"])


def code_pages_of(name: str) -> dict[str, int]:
    """``{code page name: ESC t number}`` of a profile (the lowest number where it lists one twice)."""
    pages: dict[str, int] = {}
    for number, page in escpos_profile(name).profile_data["codePages"].items():
        pages[page] = min(int(number), pages.get(page, 256))
    return pages


def escpos_profile(name: str):
    """python-escpos's profile object; PrinterConfigError for a name it does not know."""
    if name not in capabilities.CAPABILITIES["profiles"]:
        raise PrinterConfigError(f"unknown printer profile {name!r}")
    return capabilities.get_profile(name)


def load_profile(name: str, paper_mm: int = 80, code_page: str = "auto") -> PrinterProfile:
    """The profile of model ``name`` on paper ``paper_mm`` wide, with its code page chosen.

    The model's own width (from the profile) wins over the paper width: an
    80 mm Epson TM-T88V prints 42 characters, not 48. Profiles that do not
    know their width (such as "default") take it from the paper.
    """
    if paper_mm not in PAPER_COLUMNS:
        raise PrinterConfigError("paper width must be 58 or 80 mm")
    data = escpos_profile(name).profile_data
    try:
        page = choose_code_page(code_pages_of(name), code_page)
    except NoCyrillicCodePage as exc:
        raise PrinterConfigError(str(exc)) from None
    pixels = data["media"]["width"].get("pixels")
    known = isinstance(pixels, int)
    font_a = data["fonts"].get("0", {}).get("columns")
    features = data["features"]
    return PrinterProfile(
        name=name,
        columns=font_a if known and isinstance(font_a, int) else PAPER_COLUMNS[paper_mm],
        dots=pixels if known else PAPER_DOTS[paper_mm],
        code_page=page,
        hardware_barcodes=bool(features.get("barcodeB")),
        native_qr=bool(features.get("qrCode")),
        cutter=bool(features.get("paperFullCut") or features.get("paperPartCut")),
    )


def escpos_profile_with_width(profile: PrinterProfile):
    """A python-escpos profile object whose media width is known (for centring and image checks).

    A copy of the profile data: the database's own dictionaries are shared
    by every printer object.
    """
    escpos = escpos_profile(profile.name)
    data = copy.deepcopy(escpos.profile_data)
    data["media"]["width"]["pixels"] = profile.dots
    escpos.profile_data = data
    return escpos
