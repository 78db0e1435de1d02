"""Demo catalogue: categories, services priced in whole UZS, two rooms, a laser, and masters' skills."""
import random
from dataclasses import dataclass, field
from decimal import Decimal

from appliance.services import catalogue
from appliance.services.context import Actor
from appliance.services.staff import set_skills
from appliance.storage.models.catalogue import Service

NAIL_ROOM = "nail_room"
COSMETOLOGY = "cosmetology"
LASER = "laser"
ROOMS = [("Кабинет маникюра и педикюра", NAIL_ROOM, 2), ("Кабинет косметолога", COSMETOLOGY, 1)]
EQUIPMENT = [("Диодный лазер", LASER)]

CATEGORIES = [  # key, name, parent key
    ("hair", "Парикмахерские услуги", None), ("nails", "Ногтевой сервис", None),
    ("cosmetology", "Косметология", None), ("laser", "Лазерная эпиляция", "cosmetology"),
    ("brows", "Брови, ресницы, макияж", None), ("massage", "Массаж", None),
]
_NAILS_ROOM = {"room": NAIL_ROOM, "buffer": 15}
_CABINET = {"room": COSMETOLOGY, "buffer": 10}
_LASER = {"room": COSMETOLOGY, "equipment": LASER, "buffer": 10}
# key, category, name, minutes, price, price_max, extras. Extras: buffer (clean-up minutes), room,
# equipment, offline (not bookable online), who (f: women, m: men, *: anyone), group (classes only).
SERVICES = [
    ("women_cut", "hair", "Женская стрижка", 60, 150_000, 300_000, {"buffer": 10}),
    ("men_cut", "hair", "Мужская стрижка", 45, 100_000, None, {"who": "m"}),
    ("kids_cut", "hair", "Детская стрижка (до 12 лет)", 30, 80_000, None, {"who": "*"}),
    ("styling", "hair", "Укладка", 45, 120_000, 200_000, {}),
    ("evening_hair", "hair", "Вечерняя причёска", 90, 250_000, 450_000, {}),
    ("one_tone", "hair", "Окрашивание в один тон", 120, 350_000, 600_000, {"buffer": 15}),
    ("balayage", "hair", "Сложное окрашивание (балаяж, AirTouch)", 240, 800_000, 1_500_000,
     {"buffer": 15, "offline": True}),
    ("toning", "hair", "Тонирование", 90, 300_000, None, {"buffer": 10}),
    ("keratin", "hair", "Кератиновое выпрямление", 180, 600_000, 900_000, {"buffer": 15, "offline": True}),
    ("olaplex", "hair", "Уход Olaplex", 45, 200_000, None, {}),
    ("manicure", "nails", "Маникюр без покрытия", 60, 80_000, None, {}),
    ("gel_manicure", "nails", "Маникюр с покрытием гель-лак", 90, 150_000, None, {"buffer": 10}),
    ("men_manicure", "nails", "Мужской маникюр", 45, 90_000, None, {"who": "m"}),
    ("extensions", "nails", "Наращивание ногтей", 150, 300_000, 400_000, {"buffer": 10}),
    ("extension_fix", "nails", "Коррекция наращивания", 120, 250_000, None, {"buffer": 10}),
    ("pedicure", "nails", "Аппаратный педикюр", 90, 180_000, None, {**_NAILS_ROOM, "who": "*"}),
    ("gel_pedicure", "nails", "Педикюр с покрытием гель-лак", 120, 230_000, None, _NAILS_ROOM),
    ("spa_pedicure", "nails", "SPA-педикюр", 105, 260_000, None, _NAILS_ROOM),
    ("consultation", "cosmetology", "Консультация косметолога", 30, 100_000, None, {"room": COSMETOLOGY, "who": "*"}),
    ("face_cleaning", "cosmetology", "Комбинированная чистка лица", 90, 350_000, None, {**_CABINET, "buffer": 15}),
    ("peeling", "cosmetology", "Химический пилинг", 45, 250_000, 450_000, _CABINET),
    ("care", "cosmetology", "Уходовая процедура по типу кожи", 60, 300_000, None, _CABINET),
    ("biorevital", "cosmetology", "Биоревитализация", 45, 900_000, 1_400_000, {**_CABINET, "offline": True}),
    ("laser_lip", "laser", "Лазерная эпиляция: верхняя губа", 15, 90_000, None, _LASER),
    ("laser_armpits", "laser", "Лазерная эпиляция: подмышечные впадины", 20, 150_000, None, _LASER),
    ("laser_bikini", "laser", "Лазерная эпиляция: глубокое бикини", 40, 300_000, None, _LASER),
    ("laser_shins", "laser", "Лазерная эпиляция: голени", 45, 350_000, None, _LASER),
    ("laser_legs", "laser", "Лазерная эпиляция: ноги полностью", 90, 700_000, None, _LASER),
    ("brow_fix", "brows", "Коррекция бровей", 30, 80_000, None, {}),
    ("brow_tint", "brows", "Коррекция и окрашивание бровей", 45, 120_000, None, {}),
    ("brow_lamination", "brows", "Долговременная укладка бровей", 60, 200_000, None, {"buffer": 10}),
    ("lash_lamination", "brows", "Ламинирование ресниц", 60, 250_000, None, {"buffer": 10}),
    ("lash_classic", "brows", "Наращивание ресниц: классика", 120, 250_000, None, {"buffer": 10}),
    ("lash_volume", "brows", "Наращивание ресниц: 2D-3D", 150, 300_000, 400_000, {"buffer": 10}),
    ("lash_removal", "brows", "Снятие наращенных ресниц", 20, 50_000, None, {}),
    ("day_makeup", "brows", "Дневной макияж", 60, 250_000, None, {}),
    ("wedding_makeup", "brows", "Свадебный макияж", 90, 500_000, 800_000, {"offline": True}),
    ("makeup_class", "brows", "Мастер-класс «Макияж для себя»", 120, 350_000, None,
     {"offline": True, "group": True}),
    ("back_massage", "massage", "Классический массаж спины", 40, 150_000, None, {"who": "*", "buffer": 10}),
    ("body_massage", "massage", "Общий массаж тела", 60, 300_000, None, {"who": "*", "buffer": 15}),
    ("anticellulite", "massage", "Антицеллюлитный массаж", 60, 250_000, None, {"buffer": 15}),
    ("lymph_drainage", "massage", "Лимфодренажный массаж", 60, 280_000, None, {"buffer": 15}),
    ("face_massage", "massage", "Массаж лица", 30, 150_000, None, {}),
]


@dataclass
class Catalogue:
    """The demo services by key, and what the journal needs to know about each."""

    services: dict = field(default_factory=dict)  # key -> Service
    who: dict = field(default_factory=dict)  # service id -> f, m or *
    group_only: set = field(default_factory=set)  # service ids booked as classes, never one to one


def create_catalogue(actor: Actor) -> Catalogue:
    """Create the rooms, the laser, the category tree and the services."""
    for name, room_type, capacity in ROOMS:
        catalogue.create_room(actor, {"name": name, "room_type": room_type, "capacity": capacity})
    for name, equipment_type in EQUIPMENT:
        catalogue.create_equipment(actor, {"name": name, "equipment_type": equipment_type})
    categories = {}
    for order, (key, name, parent) in enumerate(CATEGORIES):
        categories[key] = catalogue.create_category(actor, {
            "name": name, "sort_order": order, "parent_id": categories[parent].id if parent else None})
    result = Catalogue()
    for order, (key, category, name, minutes, price, price_max, extras) in enumerate(SERVICES):
        service = catalogue.create_service(actor, {
            "category_id": categories[category].id, "name": name, "duration_min": minutes,
            "price": Decimal(price), "price_max": Decimal(price_max) if price_max else None,
            "buffer_min": extras.get("buffer", 0), "room_type": extras.get("room"),
            "equipment_type": extras.get("equipment"), "bookable_online": not extras.get("offline"),
            "sort_order": order})
        result.services[key] = service
        result.who[service.id] = extras.get("who", "f")
        if extras.get("group"):
            result.group_only.add(service.id)
    return result


def _round_price(amount: float) -> Decimal:
    return Decimal(int(round(amount / 10_000)) * 10_000)  # salons price in tens of thousands of sums


def _own_terms(rng: random.Random, service: Service) -> dict:
    """A master's own price (a senior's premium) or own pace, for about a quarter of the skills."""
    skill = {"service_id": service.id}
    roll = rng.random()
    if roll < 0.15:
        premium = rng.choice((1.1, 1.2, 1.3))
        skill["price"] = _round_price(float(service.price) * premium)
        if service.price_max is not None:
            skill["price_max"] = _round_price(float(service.price_max) * premium)
    elif roll < 0.27 and service.duration_min >= 45:
        skill["duration_min"] = service.duration_min + rng.choice((-15, 15, 30))
    return skill


def assign_skills(actor: Actor, rng: random.Random, master_id: str, cat: Catalogue, categories: tuple,
                  must: tuple = (), never: tuple = ()) -> None:
    """Give a master the must-have services and most others of their categories."""
    by_key = {row[0]: row[1] for row in SERVICES}
    keys = [k for k in cat.services if k not in never
            and (k in must or (by_key[k] in categories and rng.random() < 0.8))]
    set_skills(actor, master_id, [_own_terms(rng, cat.services[k]) for k in keys])
