"""Words and number formats of printed documents, in the salon's language.

Printed paper is read by clients, not by the signed-in user, so it follows
the salon's language (ru, uz Latin, en) and not the interface locale; the
words are plain data here because layouts are pure functions with no Flask.
Uzbek is written with U+02BB in oʻ and gʻ, as in the interface; the printer's
encoder maps it to what the printer's code page has.
"""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from appliance.domain.money import CURRENCY_EXPONENT, MoneyError, round_money

LANGUAGES = ("ru", "uz", "en")

WORDS = {
    "receipt": {"ru": "Чек", "uz": "Chek", "en": "Receipt"},
    "return_receipt": {"ru": "Чек возврата", "uz": "Qaytarish cheki", "en": "Return receipt"},
    "for_receipt": {"ru": "к чеку", "uz": "chekka", "en": "for receipt"},
    "copy": {"ru": "КОПИЯ", "uz": "NUSXA", "en": "COPY"},
    "cashier": {"ru": "Кассир", "uz": "Kassir", "en": "Cashier"},
    "client": {"ru": "Клиент", "uz": "Mijoz", "en": "Client"},
    "subtotal": {"ru": "Сумма", "uz": "Summa", "en": "Subtotal"},
    "discount": {"ru": "Скидка", "uz": "Chegirma", "en": "Discount"},
    "total": {"ru": "ИТОГО", "uz": "JAMI", "en": "TOTAL"},
    "refund_total": {"ru": "ВОЗВРАТ", "uz": "QAYTARILDI", "en": "REFUNDED"},
    "tips": {"ru": "Чаевые", "uz": "Choychaqa", "en": "Tips"},
    "to_pay": {"ru": "К оплате", "uz": "Toʻlash uchun", "en": "To pay"},
    "received": {"ru": "Получено", "uz": "Olindi", "en": "Received"},
    "change": {"ru": "Сдача", "uz": "Qaytim", "en": "Change"},
    "payments": {"ru": "Оплата", "uz": "Toʻlov", "en": "Payment"},
    "thanks": {"ru": "Спасибо! Ждём вас снова", "uz": "Rahmat! Yana kutamiz", "en": "Thank you! See you again"},
    "x_report": {"ru": "X-отчёт", "uz": "X-hisobot", "en": "X report"},
    "z_report": {"ru": "Z-отчёт (закрытие смены)", "uz": "Z-hisobot (smena yopilishi)",
                 "en": "Z report (shift closed)"},
    "shift": {"ru": "Смена", "uz": "Smena", "en": "Shift"},
    "opened": {"ru": "Открыта", "uz": "Ochildi", "en": "Opened"},
    "closed": {"ru": "Закрыта", "uz": "Yopildi", "en": "Closed"},
    "printed": {"ru": "Напечатан", "uz": "Chop etildi", "en": "Printed"},
    "sales": {"ru": "Продажи", "uz": "Sotuvlar", "en": "Sales"},
    "returns": {"ru": "Возвраты", "uz": "Qaytarishlar", "en": "Returns"},
    "count": {"ru": "Количество", "uz": "Soni", "en": "Count"},
    "opening_cash": {"ru": "Наличные на начало", "uz": "Boshlangʻich naqd", "en": "Opening cash"},
    "cash_in": {"ru": "Внесение", "uz": "Kiritildi", "en": "Cash in"},
    "cash_out": {"ru": "Изъятие", "uz": "Olib qoʻyildi", "en": "Cash out"},
    "cash_in_drawer": {"ru": "Наличные в кассе", "uz": "Kassadagi naqd", "en": "Cash in drawer"},
    "visit": {"ru": "Ваш визит", "uz": "Tashrifingiz", "en": "Your visit"},
    "master": {"ru": "Мастер", "uz": "Usta", "en": "Master"},
    "booking_code": {"ru": "Код записи", "uz": "Yozilish kodi", "en": "Booking code"},
    "test_page": {"ru": "Пробная страница", "uz": "Sinov sahifasi", "en": "Test page"},
    "method.cash": {"ru": "Наличные", "uz": "Naqd", "en": "Cash"},
    "method.card": {"ru": "Карта", "uz": "Karta", "en": "Card"},
    "method.transfer": {"ru": "Перевод", "uz": "Oʻtkazma", "en": "Transfer"},
    "method.certificate": {"ru": "Сертификат", "uz": "Sertifikat", "en": "Gift certificate"},
    "method.bonus": {"ru": "Бонусы", "uz": "Bonuslar", "en": "Bonus points"},
}


def word(key: str, lang: str) -> str:
    """The printed word for ``key`` in ``lang`` (English when the language is not known)."""
    entry = WORDS[key]
    return entry.get(lang, entry["en"])


def method_name(method: str, lang: str) -> str:
    """A payment method's printed name; a method the table does not know is printed as given."""
    entry = WORDS.get(f"method.{method}")
    return entry.get(lang, entry["en"]) if entry else method


def amount_text(amount: Decimal, currency: str) -> str:
    """An amount for paper: thousands grouped with a space, the currency's own decimals.

    UZS is printed in whole sums, RUB with kopecks ("1 234.50"). An amount
    finer than the currency allows is refused (MoneyError), never rounded:
    a receipt must show what was charged.
    """
    if amount != round_money(amount, currency):
        raise MoneyError(f"{amount} is finer than {currency} allows")
    digits = CURRENCY_EXPONENT[currency]
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.{digits}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + (f".{fraction}" if digits else "")


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros: 1, 2, 0.5, 1.25."""
    return f"{quantity.normalize():f}"


def moment_text(instant: datetime, timezone: str) -> str:
    """An instant as the salon's wall-clock, ``dd.mm.yyyy HH:MM``; naive datetimes are refused."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given for a printed time")
    return instant.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")
