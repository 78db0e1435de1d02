"""The head-office pages are fully translated into Russian and Uzbek (Latin script) (PL5).

Catalogs live in cloud/web/translations; English is the source language. After changing
interface text, from the repository root:

    .venv/bin/pybabel extract -F cloud/web/babel.cfg -k lazy_gettext -k _l --no-location \
        --sort-output -o cloud/web/translations/messages.pot .
    .venv/bin/pybabel update -i cloud/web/translations/messages.pot -d cloud/web/translations \
        --no-fuzzy-matching
    (translate the new entries in ru and uz)
    .venv/bin/pybabel compile -d cloud/web/translations --statistics
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
TRANSLATIONS = ROOT / "cloud" / "web" / "translations"
BABEL_CFG = ROOT / "cloud" / "web" / "babel.cfg"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
LANGUAGES = ("ru", "uz")
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "uz": "nplurals=2; plural=(n != 1);",
}
# Other tests and the people who use the pages rely on these exact words.
REQUIRED = {
    "Fleet of boxes": {"ru": "Серверы салонов", "uz": "Salon serverlari"},
    "Sign in": {"ru": "Войти", "uz": "Kirish"},
    "Salon box": None,  # the box's word, never the cloud's: its catalog must not drift into this one
}
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
OKINA, TUTUQ = "\u02bb", "\u02bc"  # oʻ, gʻ and the glottal stop (maʼlumot)


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def catalogs():
    result = {}
    for lang in LANGUAGES:
        with po_path(lang).open("rb") as f:
            result[lang] = read_po(f, locale=lang)
    return result


@pytest.fixture(scope="module")
def source_ids():
    """Every (msgctxt, msgid) of cloud/ as the extractor sees it."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    found = {}
    for filename, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.setdefault((context or None, tuple(message) if isinstance(message, list) else message), filename)
    assert found, "the extractor found no text at all; is babel.cfg still right?"
    assert all(name.startswith("cloud/") for name in found.values())
    return found


def messages(catalog):
    return [m for m in catalog if m.id]


def forms(message) -> tuple:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def placeholders(text: str) -> set:
    return {p for p in PLACEHOLDER.findall(text) if p != "%%"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_its_plural_forms_and_placeholders(catalogs, lang):
    catalog = catalogs[lang]
    assert dict(catalog.mime_headers)["Plural-Forms"] == PLURAL_FORMS[lang] and not catalog.fuzzy
    problems = []
    for m in messages(catalog):
        texts = forms(m)
        if "fuzzy" in m.flags or not all(t and t.strip() for t in texts):
            problems.append(f"untranslated or fuzzy: {m.id!r}")
        if m.pluralizable and len(texts) != catalog.num_plurals:
            problems.append(f"{len(texts)} of {catalog.num_plurals} plural forms: {m.id!r}")
        expected = set().union(*(placeholders(i) for i in (m.id if m.pluralizable else (m.id,))))
        problems += [f"placeholders of {m.id!r}: {t!r}" for t in texts if placeholders(t) != expected]
    assert messages(catalog) and not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_covers_all_text_in_the_source(catalogs, source_ids, lang):
    have = {(m.context or None, tuple(m.id) if m.pluralizable else m.id) for m in messages(catalogs[lang])}
    missing = sorted((k for k in source_ids if k not in have), key=str)
    assert not missing, "extract, update and translate (see this module's docstring):\n" + "\n".join(
        f"  {k[1]!r} ({source_ids[k]})" for k in missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(catalogs, lang):
    mo_file = po_path(lang).with_suffix(".mo")
    buffer = io.BytesIO()
    write_mo(buffer, catalogs[lang])
    buffer.seek(0)
    fresh = {m.id if not m.pluralizable else tuple(m.id): m.string for m in read_mo(buffer)}
    with mo_file.open("rb") as f:
        stored = {m.id if not m.pluralizable else tuple(m.id): m.string for m in read_mo(f)}
    assert fresh == stored, f"{mo_file.relative_to(ROOT)} is stale: run pybabel compile -d cloud/web/translations"


def test_required_words(catalogs):
    for msgid, words in REQUIRED.items():
        for lang in LANGUAGES:
            if words is None:
                assert catalogs[lang].get(msgid) is None
            else:
                assert catalogs[lang].get(msgid).string == words[lang]


def test_uzbek_uses_the_modifier_letters_for_o_g_and_the_glottal_stop(catalogs):
    texts = [t for m in messages(catalogs["uz"]) for t in forms(m)]
    assert not [t for t in texts if re.search(r"['\u2018\u2019`]", t)], "write oʻ/gʻ with U+02BB, ʼ with U+02BC"
    assert not [t for t in texts if re.search(r"[oOgG]" + TUTUQ, t)], "oʻ and gʻ take U+02BB"
    assert any(OKINA in t for t in texts) and any(TUTUQ in t for t in texts)


def test_pages_and_styles_load_nothing_from_outside():
    web = ROOT / "cloud" / "web"
    external_html = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
    external_css = re.compile(r"""(?:url\(\s*["']?(?:https?:)?//|@import)""", re.I)
    assert [p.name for p in web.rglob("*.html") if external_html.search(p.read_text())] == []
    assert [p.name for p in web.rglob("*.css") if external_css.search(p.read_text())] == []
    assert list(web.rglob("*.js")) == []  # the pages need no script at all
