"""Source data of the demo salon: names, phone prefixes and the short texts clients and bookings carry.

Plain lists only; appliance.services.demo_clients draws from them with a
seeded random generator. Uzbek names are in the official Latin script, where
oʻ and gʻ are written with U+02BB (ʻ) and the glottal stop with U+02BC (ʼ).
"""

RUSSIAN_FEMALE_NAMES = [
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина", "Юлия",
    "Анастасия", "Дарья", "Ксения", "Виктория", "Алина", "Полина", "Марина", "Людмила", "Валерия", "Кристина",
    "Евгения", "Вероника", "София", "Алёна", "Надежда", "Галина", "Лариса", "Диана", "Яна", "Оксана",
    "Маргарита", "Элина", "Арина", "Варвара", "Любовь", "Инна",
]
RUSSIAN_MALE_NAMES = [
    "Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Максим", "Иван", "Михаил", "Артём", "Никита",
    "Евгений", "Владимир", "Роман", "Павел", "Игорь", "Константин", "Денис", "Олег", "Кирилл", "Виктор",
]
# Masculine forms; the feminine ones are derived (Смирнов -> Смирнова, Вишневский -> Вишневская).
RUSSIAN_SURNAMES = [
    "Смирнов", "Иванов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов", "Петров",
    "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов",
    "Воробьёв", "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров",
    "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Алексеев",
    "Степанов", "Яковлев", "Сорокин", "Сергеев", "Романов", "Захаров", "Борисов", "Королёв", "Герасимов",
    "Пономарёв", "Григорьев", "Вишневский", "Жуковский", "Ким", "Пак", "Цой", "Шевчук", "Бондаренко",
]
# Fathers' names for patronymics (Александр -> Александровна / Александрович).
RUSSIAN_FATHER_NAMES = [
    "Александр", "Сергей", "Владимир", "Андрей", "Алексей", "Михаил", "Николай", "Иван", "Виктор", "Юрий",
    "Олег", "Павел", "Борис", "Геннадий", "Анатолий", "Владислав",
]

UZBEK_FEMALE_NAMES = [
    "Oʻgʻiloy", "Gʻuncha", "Oʻlmasoy", "Gulnoza", "Dilnoza", "Shahnoza", "Mohinur", "Feruza", "Nigora",
    "Sevara", "Zilola", "Madina", "Nodira", "Mohira", "Yulduz", "Munisa", "Kamola", "Barno", "Dildora",
    "Laylo", "Hilola", "Nargiza", "Saodat", "Shahlo", "Umida", "Zarina", "Charos", "Malika", "Sitora",
    "Ozoda", "Robiya", "Durdona", "Gulchehra", "Maftuna", "Maʼmura", "Oygul", "Nilufar", "Sabina",
    "Dilfuza", "Oʻgʻilxon", "Gʻunchaoy", "Xurshida", "Muqaddas", "Shoira",
]
UZBEK_MALE_NAMES = [
    "Gʻulom", "Oʻtkir", "Bekzod", "Jasur", "Sardor", "Akmal", "Rustam", "Shoxrux", "Doniyor", "Otabek",
    "Sanjar", "Ulugʻbek", "Gʻayrat", "Oybek", "Temur", "Bobur", "Farrux", "Sherzod", "Jamshid", "Aziz",
    "Oʻktam", "Saʼdulla", "Islom", "Behruz",
]
# Masculine forms; the feminine ones add -a (Karimov -> Karimova, Yoʻldoshev -> Yoʻldosheva).
UZBEK_SURNAMES = [
    "Karimov", "Rahimov", "Yusupov", "Toshmatov", "Ergashev", "Qodirov", "Gʻofurov", "Oʻrinboyev",
    "Xolmatov", "Sobirov", "Abdullayev", "Nazarov", "Mirzayev", "Saidov", "Tursunov", "Olimov", "Usmonov",
    "Joʻrayev", "Qosimov", "Haydarov", "Ismoilov", "Fayzullayev", "Musayev", "Hamidov", "Boboyev",
    "Salimov", "Sultonov", "Rasulov", "Yoʻldoshev", "Gʻaniyev", "Oʻroqov", "Normatov", "Xudoyberdiyev",
    "Aliyev", "Ahmedov", "Zokirov", "Jalolov", "Shukurov",
]

# Mobile operator codes after +998 (Beeline, Ucell, Mobiuz, Uzmobile, Humans, Perfectum).
UZ_MOBILE_CODES = ["90", "91", "93", "94", "95", "97", "99", "88", "33"]
# Russian mobile codes after +7 (MTS, MegaFon, Beeline, Tele2): clients visiting from Russia.
RU_MOBILE_CODES = [
    "903", "905", "906", "909", "910", "912", "915", "916", "917", "919", "920", "925", "926", "929",
    "950", "951", "952", "960", "964", "977", "980", "985", "987", "999",
]
# Reserved example domains (RFC 2606): a demo must never mail a real person.
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

# Where a client heard of the salon, with relative weights.
CLIENT_SOURCES = [("instagram", 30), ("friend", 25), ("walk-in", 15), ("2gis", 12), ("telegram", 10),
                  ("google", 5), ("yandex-maps", 3)]
CLIENT_TAGS = [("VIP", 6), ("Блогер", 2), ("Корпоративный клиент", 3), ("Предпочитает утро", 5),
               ("Только наличные", 3), ("Семейный абонемент", 3)]
CLIENT_NOTES = [
    "Любит зелёный чай без сахара", "Просит не разговаривать во время процедуры", "Приходит с ребёнком",
    "Предпочитает мастера-женщину", "Чувствительная кожа головы", "Всегда опаздывает на 10 минут",
    "Просит напоминать накануне в Telegram", "Паркуется во дворе, просит пропуск",
]
CLIENT_ALLERGIES = [
    "Аллергия на латекс", "Непереносимость лидокаина", "Реакция на аммиачные красители",
    "Аллергия на цитрусовые масла", "Чувствительность к акрилатам",
]

BOOKING_COMMENTS = [
    "Просила записать к окну", "Придёт с подругой", "Хочет обсудить новый цвет", "Перезвонить за час",
    "Первый визит, пришла по рекомендации", "Принесёт фото с референсом", "Оплата картой Humo",
    "Оплата переводом в Click",
]
CANCEL_REASONS = [
    "Клиент перенёс на другую неделю", "Заболела", "Не успевает с работы", "Уехала из города",
    "Отменила через Telegram без объяснений", "Мастер заболел, клиент не захотел переноса",
]
NO_SHOW_REASONS = [
    "Не пришла, телефон выключен", "Не пришёл, не отвечает на звонки", "Забыла о записи",
    "Не дозвонились для подтверждения, не пришла",
]

# Latin spelling of Cyrillic letters, only to make plausible demo email addresses.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
