"""Text for ESC/POS printers: Russian Cyrillic and Uzbek Latin in a code page the printer has.

python-escpos's own "magic" encoder picks a code page per character: Russian
comes out in CP866, but Uzbek oʻ/gʻ typed with U+02BB or U+2018 is printed as
'?' or makes it switch code pages in the middle of a word, and it does not
send the code page again after ESC @ or a font change. So the box encodes
every text run itself, in one code page chosen per printer and selected
(ESC t n) at the start of every job and of every text run:

- Windows-1251 (``CP1251``) when the printer's profile lists it: it has the
  whole Russian alphabet, Ўў, and the curly quotes ‘ (0x91) and ’ (0x92),
  so oʻ and gʻ print with a proper turned comma and the tutuq (maʼlumot) with ’.
- CP866 otherwise (every Cyrillic ESC/POS printer has it): it has no curly
  quotes, so oʻ gʻ and the tutuq print with a plain apostrophe.

People type the Uzbek apostrophe in half a dozen ways (U+02BB, U+2018,
U+2019, U+02BC, a backtick, an ASCII apostrophe); after o/O/g/G every form is
read as the letter's mark (U+02BB), elsewhere as the tutuq (U+02BC). Control
characters never reach the printer: a client's name must not be able to
send commands.
"""
import unicodedata
from dataclasses import dataclass

OKINA = "\u02bb"  # ʻ: the mark of oʻ and gʻ
TUTUQ = "\u02bc"  # ʼ: the glottal stop, maʼlumot
APOSTROPHES = frozenset("\u02bb\u2018\u2019\u02bc`'\u00b4\u02b9\u02bd\u2032")
MARKED_LETTERS = frozenset("oOgG")

# Characters a code page may lack, and what prints instead (tried only when the page lacks them).
FALLBACKS = {
    "\u2014": "-", "\u2013": "-", "\u2212": "-", "\u2026": "...", "\u00ab": '"', "\u00bb": '"',
    "\u201e": '"', "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\u00d7": "x", "\u20bd": "р.", "\u2116": "N", "\u2022": "*",
    # Uzbek and Kazakh Cyrillic letters that neither page has: the nearest Russian letter.
    "қ": "к", "Қ": "К", "ғ": "г", "Ғ": "Г", "ҳ": "х", "Ҳ": "Х", "ң": "н", "Ң": "Н",
    "ү": "у", "Ү": "У", "ұ": "у", "Ұ": "У", "ә": "а", "Ә": "А", "ө": "о", "Ө": "О", "і": "и", "І": "И",
    "ў": "у", "Ў": "У",
}
_APOSTROPHE_GLYPHS = {"CP1251": {OKINA: "\u2018", TUTUQ: "\u2019"}, "CP866": {OKINA: "'", TUTUQ: "'"}}


@dataclass(frozen=True)
class CodePage:
    """A code page as one printer numbers it: ESC t ``number`` selects it."""

    name: str  # CP1251 or CP866
    number: int
    codec: str  # Python's codec of the same table

    def select(self) -> bytes:
        """The ESC t n command that selects this page."""
        return b"\x1bt" + bytes([self.number])


SUPPORTED = {"CP1251": "cp1251", "CP866": "cp866"}
PREFERENCE = ("CP1251", "CP866")


class NoCyrillicCodePage(ValueError):
    """The printer's profile lists no code page with Cyrillic letters."""


def choose_code_page(available: dict[str, int], wanted: str = "auto") -> CodePage:
    """The page to use from a profile's ``{name: number}``: ``wanted``, or CP1251 before CP866."""
    names = PREFERENCE if wanted == "auto" else (wanted,)
    for name in names:
        if name in SUPPORTED and name in available:
            return CodePage(name, available[name], SUPPORTED[name])
    raise NoCyrillicCodePage(f"the profile has none of {', '.join(names)}")


def normalise_apostrophes(text: str) -> str:
    """Every form of the Uzbek apostrophe as U+02BB after o/g (oʻ, gʻ) and as U+02BC elsewhere."""
    out = []
    for index, char in enumerate(text):
        if char in APOSTROPHES:
            char = OKINA if index and text[index - 1] in MARKED_LETTERS else TUTUQ
        out.append(char)
    return "".join(out)


def printable(text: str, page: CodePage) -> str:
    """``text`` as the printer will show it: only characters ``page`` has, one line per run.

    Apostrophes become the page's glyph for them, missing characters their
    fallback (or the letter without its accent, else '?'), and control
    characters a space.
    """
    glyphs = _APOSTROPHE_GLYPHS.get(page.name, {OKINA: "'", TUTUQ: "'"})
    out = []
    for char in normalise_apostrophes(text):
        char = glyphs.get(char, char)
        if unicodedata.category(char)[0] == "C":
            out.append(" ")
        elif _fits(char, page):
            out.append(char)
        else:
            out.append(_substitute(char, page))
    return "".join(out)


def encode(text: str, page: CodePage) -> bytes:
    """The bytes of ``text`` in ``page``, after ``printable``."""
    return printable(text, page).encode(page.codec)


def _fits(char: str, page: CodePage) -> bool:
    try:
        char.encode(page.codec)
    except UnicodeEncodeError:
        return False
    return True


def _substitute(char: str, page: CodePage) -> str:
    fallback = FALLBACKS.get(char)
    if fallback is not None and all(_fits(c, page) for c in fallback):
        return fallback
    bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if bare and bare != char and all(_fits(c, page) and ord(c) >= 32 for c in bare):
        return bare
    return "?"
