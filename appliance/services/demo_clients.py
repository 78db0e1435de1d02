"""Demo clients: cards with Russian and Uzbek names, unique valid phones and the usual optional details."""
import random
from datetime import date, datetime, time, timedelta, timezone

from appliance.domain.phones import PhoneError, normalise_phone
from appliance.services import demo_names as names
from appliance.services.clients import create_client
from appliance.services.context import Actor

CLIENT_COUNT = 300
FEMALE_SHARE = 0.82  # most clients of a beauty salon are women
UZBEK_SHARE = 0.55  # Tashkent: Uzbek names in Latin, the rest Russian in Cyrillic
FROM_RUSSIA_SHARE = 0.25  # of Russian-named clients, those still on a +7 number
FEMALE, MALE = "f", "m"


def feminine_surname(surname: str, uzbek: bool) -> str:
    """The wife's or daughter's form of a masculine surname (Karimov -> Karimova, Вишневский -> Вишневская)."""
    if uzbek:
        return surname + "a"  # Latin a
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"  # Cyrillic а
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname  # Ким, Шевчук, Бондаренко do not change


def patronymic(father: str, female: bool) -> str:
    """A Russian patronymic from the father's name (Сергей -> Сергеевна, Юрий -> Юрьевич)."""
    if father.endswith("ий"):
        stem = father[:-2] + "ьев"
    elif father.endswith("й"):
        stem = father[:-1] + "ев"
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


def person_name(rng: random.Random, female: bool, uzbek: bool) -> tuple[str, str, str]:
    """First, last and middle name of a Russian (Cyrillic) or Uzbek (Latin) woman or man."""
    if uzbek:
        first = rng.choice(names.UZBEK_FEMALE_NAMES if female else names.UZBEK_MALE_NAMES)
        last = rng.choice(names.UZBEK_SURNAMES)
        return first, feminine_surname(last, True) if female else last, ""
    first = rng.choice(names.RUSSIAN_FEMALE_NAMES if female else names.RUSSIAN_MALE_NAMES)
    last = rng.choice(names.RUSSIAN_SURNAMES)
    # Older clients are often written down with a patronymic, younger ones seldom.
    middle = patronymic(rng.choice(names.RUSSIAN_FATHER_NAMES), female) if rng.random() < 0.3 else ""
    return first, feminine_surname(last, False) if female else last, middle


def unique_phone(rng: random.Random, used: set, russian: bool) -> tuple[str, str]:
    """A valid mobile number not in ``used``: (as a receptionist might type it, E.164). Adds it to ``used``."""
    while True:
        digits = f"{rng.randrange(10 ** 7):07d}"
        if russian:
            code = rng.choice(names.RU_MOBILE_CODES)
            typed = f"+7 {code} {digits[:3]}-{digits[3:5]}-{digits[5:]}"
        else:
            code = rng.choice(names.UZ_MOBILE_CODES)
            # Local numbers are typed both with and without the country code.
            local = f"{code} {digits[:3]} {digits[3:5]} {digits[5:]}"
            typed = local if rng.random() < 0.4 else f"+998 {local}"
        try:
            e164 = normalise_phone(typed, "UZ")
        except PhoneError:
            continue  # a prefix the numbering plan no longer allows: draw again
        if e164 not in used:
            used.add(e164)
            return typed, e164


def _latin(text: str) -> str:
    text = text.lower().replace("ʻ", "").replace("ʼ", "")
    return "".join(names.CYRILLIC_TO_LATIN.get(ch, ch) for ch in text)


def _email(rng: random.Random, first: str, last: str) -> str:
    local = rng.choice([f"{_latin(first)}.{_latin(last)}", f"{_latin(first)}{rng.randint(80, 99)}",
                        f"{_latin(first)[0]}{_latin(last)}"])
    return f"{local}@{rng.choice(names.EMAIL_DOMAINS)}"


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _extras(rng: random.Random, card: dict, female: bool) -> None:
    """The optional details a real client base has for some cards only."""
    if rng.random() < 0.85:
        card["gender"] = "female" if female else "male"
    if rng.random() < 0.6:
        card["birthday"] = date(1962, 1, 1) + timedelta(days=rng.randrange(45 * 365))
    if rng.random() < 0.35:
        card["email"] = _email(rng, card["first_name"], card["last_name"])
    if rng.random() < 0.8:
        card["source"] = _weighted(rng, names.CLIENT_SOURCES)
    # Demo phone numbers are random and may belong to real people: no demo
    # client ever consents to messages, so no reminder can reach a stranger.
    card["consents"] = {"sms": False, "telegram": False, "calls": False, "whatsapp": False, "email": False}
    card["tags"] = [tag for tag, percent in names.CLIENT_TAGS if rng.random() * 100 < percent]
    if rng.random() < 0.05:
        card["allergies"] = rng.choice(names.CLIENT_ALLERGIES)
    if rng.random() < 0.08:
        card["notes"] = rng.choice(names.CLIENT_NOTES)


def _history(rng: random.Random, card: dict, today: date) -> None:
    """Visits from before the box, as an import from the salon's old system would bring them."""
    # Everyone joined before the demo journal starts, so no visit predates its card.
    joined = today - timedelta(days=rng.randint(8, 1000))
    card["joined_on"] = joined
    room = (today - timedelta(days=8) - joined).days
    if room < 30 or rng.random() < 0.35:
        return
    last = joined + timedelta(days=rng.randint(0, room))
    # Midday in Tashkent; the exact hour of an old visit does not matter.
    at = [datetime.combine(d, time(7, 0), tzinfo=timezone.utc) for d in (joined, last)]
    card.update(visit_count=1 if last == joined else rng.randint(2, 24), first_visit_at=at[0], last_visit_at=at[1])


def client_cards(rng: random.Random, today: date, count: int = CLIENT_COUNT) -> list[tuple[dict, str]]:
    """``count`` client cards for create_client, each with its holder's sex (f/m) for picking services."""
    used_phones, cards = set(), []
    for index in range(count):
        female, uzbek = rng.random() < FEMALE_SHARE, rng.random() < UZBEK_SHARE
        first, last, middle = person_name(rng, female, uzbek)
        russian_number = not uzbek and rng.random() < FROM_RUSSIA_SHARE
        typed, _ = unique_phone(rng, used_phones, russian_number)
        card = {"first_name": first, "last_name": last, "middle_name": middle, "phone": typed}
        if rng.random() < 0.03:
            card["extra_phones"] = [unique_phone(rng, used_phones, False)[0]]
        if rng.random() < 0.2:
            card["card_number"] = str(10001 + index)  # loyalty cards are numbered in order of issue
        _extras(rng, card, female)
        _history(rng, card, today)
        cards.append((card, FEMALE if female else MALE))
    return cards


def create_demo_clients(actor: Actor, rng: random.Random, today: date) -> list[tuple[str, str]]:
    """Create the demo client base; returns (client id, sex) pairs in creation order."""
    return [(create_client(actor, card).id, sex) for card, sex in client_cards(rng, today)]
