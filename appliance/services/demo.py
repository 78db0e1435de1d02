"""The demo salon behind `salon-box demo`: a Tashkent salon with staff, catalogue, clients and a live journal.

Everything is drawn from one seeded random generator, so a seed always gives
the same salon (the journal is placed around the moment of loading).
Passwords are the exception: they come from ``secrets`` at load time, are
returned once and stored only as hashes.
"""
import random
import secrets
from datetime import date, datetime, time, timedelta

from appliance.domain.wallclock import local_to_utc
from appliance.services import salon as salon_service
from appliance.services import schedules
from appliance.services.context import Actor, SalonContext
from appliance.services.demo_bookings import SLOT, Journal, fill_journal, load_skills
from appliance.services.demo_catalogue import Catalogue, assign_skills, create_catalogue
from appliance.services.demo_clients import create_demo_clients, person_name, unique_phone
from appliance.services.errors import Conflict
from appliance.services.group_events import create_event, sign_up
from appliance.services.series import create_series
from appliance.services.staff import create_staff
from appliance.storage.database import write_transaction
from appliance.storage.models.base import utc_now
from appliance.storage.models.catalogue import Equipment, Salon, Staff

SALON = {"name": "Lola Beauty (демо)", "timezone": "Asia/Tashkent", "currency": "UZS", "country": "UZ",
         "address": "Ташкент, Мирабадский район, ул. Афросиаб, 7", "phone": "+998 71 200 45 67",
         "opening_hours": [[["09:00", "21:00"]]] * 7}
OFFICE = [("owner", "owner", "Владелец"), ("manager", "manager", "Управляющая"),
          ("admin", "administrator", "Администратор")]
# Position, skill categories, must-have and never-given services, and the schedule:
# a weekly template with days off (0 = Monday) or a 2/2 shift cycle shifted by some days.
MASTERS = [
    ("Парикмахер-стилист", ("hair",), ("women_cut", "men_cut", "kids_cut", "styling"), ("balayage", "keratin"),
     {"kind": "weekly", "hours": ("09:00", "18:00"), "lunch": ("13:00", "14:00"), "off": (5, 6)}),
    ("Колорист", ("hair",), ("one_tone", "balayage", "toning", "keratin"), ("men_cut", "kids_cut"),
     {"kind": "cycle", "hours": ("10:00", "21:00"), "lunch": ("15:00", "15:30"), "shift": 0}),
    ("Мастер маникюра и педикюра", ("nails",), ("gel_manicure", "pedicure", "men_manicure"), (),
     {"kind": "cycle", "hours": ("09:00", "21:00"), "lunch": None, "shift": 2}),
    ("Мастер ногтевого сервиса", ("nails",), ("manicure", "gel_manicure", "gel_pedicure"), ("men_manicure",),
     {"kind": "weekly", "hours": ("10:00", "19:00"), "lunch": ("14:00", "14:30"), "off": (0, 6)}),
    ("Врач-косметолог", ("cosmetology", "laser", "massage"),
     ("consultation", "laser_armpits", "laser_legs", "back_massage"), (),
     {"kind": "weekly", "hours": ("10:00", "19:00"), "lunch": ("14:00", "15:00"), "off": (5, 6)}),
    ("Бровист-визажист", ("brows",), ("brow_fix", "lash_classic", "makeup_class"), (),
     {"kind": "cycle", "hours": ("09:00", "20:00"), "lunch": None, "shift": 1}),
]
COLORS = ["#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#9b5de5", "#00a6a6"]


def new_password() -> str:
    """A fresh random password that passes the policy (letters mixed with digits and a dash)."""
    return f"{secrets.token_urlsafe(9)}-{secrets.randbelow(900) + 100}"


def _free_username(base: str) -> str:
    # A user added with `salon-box add-user` before the demo keeps its name.
    name, number = base, 1
    while Staff.select().where(Staff.username == name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def _add_person(actor: Actor, rng: random.Random, phones: set, passwords: dict, data: dict) -> Staff:
    first, last, _ = person_name(rng, True, rng.random() < 0.6)
    username, password = _free_username(data.pop("username")), new_password()
    staff = create_staff(actor, {**data, "first_name": first, "last_name": last, "username": username,
                                 "password": password, "phone": unique_phone(rng, phones, False)[0]})
    passwords[username] = password
    return staff


def _pattern_days(spec: dict) -> list:
    start, end = spec["hours"]
    day = [[start, spec["lunch"][0]], [spec["lunch"][1], end]] if spec["lunch"] else [[start, end]]
    if spec["kind"] == "weekly":
        return [[] if weekday in spec["off"] else day for weekday in range(7)]
    return [day, day, [], []]  # 2/2: two days on, two days off


def _create_staff(actor: Actor, rng: random.Random, cat: Catalogue, passwords: dict, today: date) -> list[Staff]:
    """Office staff who sign in, then the six masters with skills and schedules; returns the masters."""
    phones = set()
    for username, role, position in OFFICE:
        _add_person(actor, rng, phones, passwords, {"username": username, "role": role, "position": position})
    masters = []
    since = today - timedelta(days=60)
    for index, (position, categories, must, never, spec) in enumerate(MASTERS):
        master = _add_person(actor, rng, phones, passwords, {
            "username": f"master{index + 1}", "role": "master", "position": position, "bookable": True,
            "color": COLORS[index], "sort_order": index})
        assign_skills(actor, rng, master.id, cat, categories, must, never)
        pattern = {"kind": spec["kind"], "days": _pattern_days(spec), "valid_from": since,
                   "name": "5/2" if spec["kind"] == "weekly" else "2/2"}
        if spec["kind"] == "cycle":
            pattern["anchor"] = since + timedelta(days=spec["shift"])
        schedules.create_pattern(actor, master.id, pattern)
        masters.append(master)
    return masters


def _working_day(master_id: str, first: date, ctx: SalonContext) -> list[tuple[datetime, datetime]]:
    """The UTC working spans of the master's first working day on or after ``first``."""
    spans = schedules.working_spans([master_id], first, first + timedelta(days=14), ctx)[master_id]
    day = spans[0][0].astimezone(ctx.tz).date()
    return [(s, e) for s, e in spans if s.astimezone(ctx.tz).date() == day]


def _at(day: date, hour: int, minute: int, ctx: SalonContext) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)), ctx.tz)


def _time_off(actor: Actor, masters: list[Staff], today: date, ctx: SalonContext) -> None:
    """A vacation, a short day, a training block and the laser's maintenance."""
    schedules.create_absence(actor, masters[3].id, {"date_from": today + timedelta(days=3),
                                                    "date_to": today + timedelta(days=12),
                                                    "reason": "vacation", "note": "Ежегодный отпуск"})
    schedules.set_day(actor, masters[0].id, today + timedelta(days=2), [["09:00", "14:00"]],
                      note="Короткий день: семейные обстоятельства")
    start = _working_day(masters[1].id, today + timedelta(days=1), ctx)[-1][0] + timedelta(hours=2)
    schedules.create_block(actor, {"staff_id": masters[1].id, "starts_at": start,
                                   "ends_at": start + timedelta(minutes=90),
                                   "reason": "Обучение: новые техники окрашивания"})
    laser = Equipment.select().order_by(Equipment.name).first()
    day = today + timedelta(days=1)
    schedules.create_block(actor, {"equipment_id": laser.id, "starts_at": _at(day, 10, 0, ctx),
                                   "ends_at": _at(day, 12, 0, ctx), "reason": "Плановое обслуживание лазера"})


def _makeup_class(journal: Journal, master: Staff, cat: Catalogue, today: date) -> None:
    """A two-hour group class at the end of the brow master's working day, with six attendees."""
    end = _working_day(master.id, today + timedelta(days=2), journal.ctx)[-1][1]
    event = create_event(journal.actor, {
        "service_id": cat.services["makeup_class"].id, "master_id": master.id, "duration_min": 120,
        "starts_at": end - timedelta(minutes=120), "capacity": 8, "title": "Мастер-класс «Макияж для себя»"})
    for _ in range(6):
        client = journal.pick_client("f", end.astimezone(journal.ctx.tz).date())
        if client is not None:
            sign_up(journal.actor, event.id, client[0])


def _massage_course(journal: Journal, master: Staff, cat: Catalogue, today: date) -> None:
    """Four weekly massages at the end of the cosmetologist's day, booked as one recurring series."""
    massage = cat.services["back_massage"]
    minutes = dict((s.id, m) for s, m in journal.skills[master.id])[massage.id]
    end = _working_day(master.id, today + timedelta(days=1), journal.ctx)[-1][1]
    start = end - SLOT * -(-minutes // 15)  # the last slot of the day the massage fits in
    client = journal.pick_client(None, start.astimezone(journal.ctx.tz).date())
    if client is None:
        return
    data = {"client_id": client[0], "starts_at": start, "source": "phone", "comment": "Курс из 4 сеансов",
            "items": [{"service_id": massage.id, "master_id": master.id}]}
    try:
        create_series(journal.actor, data, every=1, unit="week", count=4, skip_conflicts=True)
    except Conflict:
        pass  # every week taken: the demo simply has no series


def _devices(actor: Actor, printer_file: str | None) -> None:
    """A kiosk to pair from the Kiosks page, and a receipt "printer" that writes its bytes to a file."""
    from appliance.services import auth, printers

    auth.enrol_device(actor, "Вход")
    if printer_file:
        printers.create_printer(actor, {"name": "Касса (демо: файл)", "role": "receipt", "connection": "file",
                                        "address": printer_file, "profile": "TM-T88V", "paper_width_mm": 80,
                                        "code_page": "auto"})


def load_demo(seed: int = 2026, printer_file: str | None = None) -> dict[str, str] | None:
    """Fill an empty box with the demo salon; returns {username: password}, or None if a salon exists.

    ``printer_file``: an absolute path where the demo's receipt printer writes each job's ESC/POS bytes.

    All or nothing: it runs in one write transaction, so a failure leaves the
    box as it was and a concurrent run cannot load a second salon.
    """
    rng = random.Random(seed)
    actor = Actor.system()
    with write_transaction():
        if Salon.select().exists():
            return None
        salon_service.set_up(actor, SALON)
        ctx = SalonContext.load()
        now = utc_now()
        today = now.astimezone(ctx.tz).date()
        passwords = {}
        cat = create_catalogue(actor)
        masters = _create_staff(actor, rng, cat, passwords, today)
        _time_off(actor, masters, today, ctx)
        journal = Journal(actor, rng, ctx, now, cat, create_demo_clients(actor, rng, today))
        load_skills(journal, [m.id for m in masters])
        _makeup_class(journal, masters[5], cat, today)
        _massage_course(journal, masters[4], cat, today)
        fill_journal(journal)
        _devices(actor, printer_file)
    return passwords
