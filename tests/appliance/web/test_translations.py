"""The administrator's interface is fully translated into Russian and Uzbek (Latin script).

Catalogs live in appliance/web/translations; English is the source language. After changing
interface text, from the repository root:

    .venv/bin/pybabel extract -F appliance/web/babel.cfg -k lazy_gettext -k _l --no-location \
        --sort-output -o appliance/web/translations/messages.pot .
    .venv/bin/pybabel update -i appliance/web/translations/messages.pot -d appliance/web/translations \
        --no-fuzzy-matching
    (translate the new entries in ru and uz)
    .venv/bin/pybabel compile -d appliance/web/translations --statistics

``_l`` is how several modules import ``lazy_gettext``; without ``-k _l`` their text is not extracted.
"""
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
# Each catalogue and the extraction map of the text it covers: the administrator's pages, the kiosk.
CATALOGUES = {
    "admin": (ROOT / "appliance" / "web" / "translations", ROOT / "appliance" / "web" / "babel.cfg"),
    "kiosk": (ROOT / "kiosk_ui" / "translations", ROOT / "kiosk_ui" / "babel.cfg"),
}
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
LANGUAGES = ("ru", "uz")
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uz": "nplurals=2; plural=(n != 1);",
}
# Other tests and the people who use the box rely on these exact words.
REQUIRED = {
    "Journal": {"ru": "Журнал", "uz": "Jurnal"},
    "Today": {"ru": "Сегодня", "uz": "Bugun"},
    "Clients": {"ru": "Клиенты", "uz": "Mijozlar"},
    "Sign in": {"ru": "Войти", "uz": "Kirish"},
}
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
OKINA = "\u02bb"  # ʻ in oʻ, gʻ
TUTUQ = "\u02bc"  # ʼ, the glottal stop (maʼlumot)


def po_path(name: str, lang: str) -> Path:
    return CATALOGUES[name][0] / lang / "LC_MESSAGES" / "messages.po"


def load(name: str, lang: str):
    with po_path(name, lang).open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue_name(request):
    return request.param


@pytest.fixture(scope="module")
def catalogs(catalogue_name):
    return {lang: load(catalogue_name, lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def source_ids(catalogue_name):
    """Every (msgctxt, msgid) in the source as the extractor sees it; a plural msgid is (singular, plural)."""
    babel_cfg = CATALOGUES[catalogue_name][1]
    with babel_cfg.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(babel_cfg))
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        if isinstance(message, list):
            message = tuple(message)
        found.setdefault((context or None, message), filename)
    assert found, "the extractor found no text at all; is babel.cfg still right?"
    return found


def messages(catalog):
    return [m for m in catalog if m.id]


def forms(message) -> tuple:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def describe(key) -> str:
    context, msgid = key
    return (f"[{context}] " if context else "") + repr(msgid)


def placeholders(text: str) -> set:
    return {p for p in PLACEHOLDER.findall(text) if p != "%%"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_has_the_language_and_its_plural_forms(catalogs, lang):
    catalog = catalogs[lang]
    header = dict(catalog.mime_headers)
    assert str(catalog.locale) == lang
    assert header["Plural-Forms"] == PLURAL_FORMS[lang]
    assert "charset=utf-8" in header["Content-Type"].lower()
    assert not catalog.fuzzy


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_all_plural_forms_and_no_fuzzy(catalogs, lang):
    catalog = catalogs[lang]
    problems = []
    for m in messages(catalog):
        if "fuzzy" in m.flags:
            problems.append(f"fuzzy: {m.id!r}")
        texts = forms(m)
        if m.pluralizable and len(texts) != catalog.num_plurals:
            problems.append(f"{len(texts)} of {catalog.num_plurals} plural forms: {m.id!r}")
        if not all(t and t.strip() for t in texts):
            problems.append(f"empty: {m.id!r}")
    assert messages(catalog), "the catalog is empty"
    assert not problems, f"{lang}: " + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_kept_exactly(catalogs, lang):
    problems = []
    for m in messages(catalogs[lang]):
        ids = m.id if m.pluralizable else (m.id,)
        expected = set().union(*(placeholders(i) for i in ids))
        for text in forms(m):
            if placeholders(text) != expected:
                problems.append(f"{m.id!r}: {text!r} has {sorted(placeholders(text))}, expected {sorted(expected)}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_format_without_errors(catalogs, lang):
    sample = {"num": 3, "n": 2, "count": 4, "h": 1, "m": 5, "first": 1, "last": 50, "total": 55,
              "low": 1, "high": 9, "on": 2, "off": 2, "number": 1, "pages": 2}
    for m in messages(catalogs[lang]):
        if "python-format" not in m.flags:
            continue
        for text in forms(m):
            names = re.findall(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)", text)
            text % {name: sample.get(name, "x") for name in names}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_covers_all_text_in_the_source(catalogs, source_ids, catalogue_name, lang):
    catalog = catalogs[lang]
    have = {(m.context or None, tuple(m.id) if m.pluralizable else m.id) for m in messages(catalog)}
    missing = sorted((k for k in source_ids if k not in have), key=str)
    assert not missing, (
        f"{len(missing)} message(s) in the source are not in {po_path(catalogue_name, lang).relative_to(ROOT)}; "
        "extract, update and translate (see this module's docstring):\n"
        + "\n".join(f"  {describe(k)}  ({source_ids[k]})" for k in missing))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(catalogs, catalogue_name, lang):
    mo_file = po_path(catalogue_name, lang).with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file.relative_to(ROOT)} is missing: run pybabel compile"
    buffer = io.BytesIO()
    write_mo(buffer, catalogs[lang])
    buffer.seek(0)
    fresh = {m.id if not m.pluralizable else tuple(m.id): m.string for m in read_mo(buffer)}
    with mo_file.open("rb") as f:
        stored = {m.id if not m.pluralizable else tuple(m.id): m.string for m in read_mo(f)}
    stale = sorted((k for k in fresh.keys() | stored.keys() if fresh.get(k) != stored.get(k)), key=str)
    assert not stale, (f"{mo_file.relative_to(ROOT)} is out of date with the .po file "
                       "(run pybabel compile -d on its translations folder):\n" + "\n".join(f"  {k!r}" for k in stale))


@pytest.mark.parametrize("msgid", sorted(REQUIRED))
def test_required_words(msgid):
    for lang, word in REQUIRED[msgid].items():
        assert load("admin", lang).get(msgid).string == word


def test_uzbek_uses_the_modifier_letters_for_o_g_and_the_glottal_stop(catalogs):
    texts = [t for m in messages(catalogs["uz"]) for t in forms(m)]
    wrong = [t for t in texts if re.search(r"[oOgG]['\u2018\u2019`]", t)]
    assert not wrong, "write oʻ and gʻ with U+02BB:\n" + "\n".join(wrong)
    stray = [t for t in texts if re.search(r"['\u2018\u2019`]", t)]
    assert not stray, "write the tutuq belgisi with U+02BC (maʼlumot):\n" + "\n".join(stray)
    assert any(OKINA in t for t in texts)
    misplaced = [t for t in texts if re.search(r"[oOgG]" + TUTUQ, t)]
    assert not misplaced, "U+02BC after o/g; oʻ and gʻ take U+02BB:\n" + "\n".join(misplaced)
