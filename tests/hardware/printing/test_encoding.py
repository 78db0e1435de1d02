"""Russian Cyrillic and Uzbek Latin reach the paper intact under the CP1251 and the CP866 profiles."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.printing.encoding import OKINA, TUTUQ, choose_code_page, encode, normalise_apostrophes, printable
from hardware.printing.escpos_render import render
from hardware.printing.profiles import PrinterConfigError, code_pages_of, load_profile
from appliance.domain.print_document import Text, document
from tests.infra.escpos_printer import decode

RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
UZBEK = "abdefghijklmnopqrstuvxyzABDEFGHIJKLMNOPQRSTUVXYZ" + "oʻgʻOʻGʻ"
APOSTROPHES = "\u02bb\u2018\u2019\u02bc`'"
ALPHABET = RUSSIAN + UZBEK + APOSTROPHES + "0123456789 .,:;-+()/№%"
# (profile, ESC t number it must select, code page)
PROFILES = [("TM-T88V", 46, "CP1251"), ("POS-5890", 73, "CP1251"), ("TM-T88IV", 17, "CP866"),
            ("ZJ-5870", 17, "CP866")]


def page_of(profile: str):
    return load_profile(profile, 58 if profile in ("POS-5890", "ZJ-5870") else 80).code_page


@pytest.mark.parametrize("variant", list(APOSTROPHES))
def test_every_form_of_the_uzbek_apostrophe_prints_as_the_pages_one_glyph(variant):
    word = f"O{variant}zbekiston g{variant}isht"
    assert normalise_apostrophes(word) == f"O{OKINA}zbekiston g{OKINA}isht"
    assert encode(word, page_of("TM-T88V")) == b"O\x91zbekiston g\x91isht"
    assert encode(word, page_of("TM-T88IV")) == b"O'zbekiston g'isht"


def test_the_glottal_stop_is_told_from_the_letters_mark():
    assert normalise_apostrophes("ma'lumot o'g'il") == f"ma{TUTUQ}lumot o{OKINA}g{OKINA}il"
    assert encode("maʼlumot", page_of("TM-T88V")) == b"ma\x92lumot"


@pytest.mark.parametrize("profile,number,name", PROFILES)
def test_the_profile_decides_the_page_and_its_number(profile, number, name):
    page = page_of(profile)
    assert (page.name, page.number) == (name, number)
    assert page.select() == b"\x1bt" + bytes([number])


def test_a_page_can_be_forced_and_a_profile_without_cyrillic_is_refused():
    assert load_profile("TM-T88V", 80, "CP866").code_page.number == 17
    assert choose_code_page({"CP866": 17, "CP1251": 46}).name == "CP1251"
    with pytest.raises(PrinterConfigError):
        load_profile("simple", 80)
    with pytest.raises(PrinterConfigError):
        load_profile("TM-T88IV", 80, "CP1251")
    assert code_pages_of("POS-5890")["CP866"] == 17  # listed twice (17, 59): the standard number


@pytest.mark.parametrize("profile,number,name", PROFILES)
@given(text=st.text(alphabet=ALPHABET, max_size=60))
def test_any_russian_or_uzbek_text_round_trips_through_the_printer(profile, number, name, text):
    page = page_of(profile)
    # A job selects the page first (the decoder, like a printer after ESC @, starts in page 0).
    printed = "".join(decode(page.select() + encode(text, page), profile).lines)
    if name == "CP1251":  # lossless: ‘ and ’ stand for ʻ and ʼ
        assert printed.replace("\u2018", OKINA).replace("\u2019", TUTUQ) == normalise_apostrophes(text)
    else:  # CP866 has no curly quotes: every apostrophe is printed as '
        assert printed == normalise_apostrophes(text).replace(OKINA, "'").replace(TUTUQ, "'")


@given(text=st.text(max_size=40))
def test_no_text_can_smuggle_a_command_to_the_printer(text):
    page = page_of("TM-T88V")
    data = encode(text, page)
    assert not any(byte < 0x20 or byte == 0x7F for byte in data)
    assert len(printable(text, page)) >= len(text) - sum(1 for c in text if ord(c) > 0xFFFF)


def test_text_in_a_job_is_read_back_in_the_selected_page_even_after_a_reset():
    job = render(document(Text("Привет, Oʻzbekiston")), load_profile("TM-T88V"))
    shown = decode(job, "TM-T88V")
    assert shown.resets == 1 and shown.code_pages and set(shown.code_pages) == {46}
    assert shown.lines == ["Привет, O‘zbekiston"]
    # Without ESC t after ESC @ the printer would be back in PC437: the decoder shows that too.
    assert decode(b"\x1b@" + "Привет".encode("cp1251") + b"\n", "TM-T88V").lines != ["Привет"]


def test_characters_the_page_lacks_get_a_near_equivalent():
    cp866 = page_of("TM-T88IV")
    assert printable("«Қалб» — 5…", cp866) == '"Калб" - 5...'
    assert printable("Café ₽ ×2", page_of("TM-T88V")) == "Cafe р. x2"
