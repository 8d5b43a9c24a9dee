"""Ages, dates and times of day: what one line of a saved page says about when.

Covers: reading a line, or the words a reader has cut from one, as an age in minutes (``2 hrs
ago``, ``gisteren``, ``vor 5 Minuten``, ``il y a 3 heures``, ``před 3 minutami``), an absolute
date (``24 July 2015`` -> ``2015-07-24``), a time of day (``21:03``, ``Today at 9:05 AM``) or
a day without its year (``ma 6 okt, 22:14``); the words such stamps start and end with, for
the readers' glances. Ages and dates in English, Dutch, German, French, Spanish, Portuguese,
Italian, Swedish, Danish, Norwegian, Czech, Slovak and Polish, and ages in more (Russian
``3 часа назад``, Ukrainian, Turkish, Finnish, Hungarian ``2 órája``, Romanian, Greek,
Arabic ``منذ ٣ ساعات``, Vietnamese, Indonesian, Korean, Chinese ``3小时前``, Japanese
``3時間前``). Does not cover: a stamp glued inside a headline's line or beside a source
(words.py), pairing stamps with headlines (pages.py, html.py, blocks.py).

``parse_age("3 uur geleden") -> 180``, ``parse_date("Aug 20, 2019") -> "2019-08-20"``,
``is_clock("21:03") -> True``, ``is_stamp("Ajax wint") -> False``
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as date_type
from functools import lru_cache

from .text import fold

MINUTE, HOUR, DAY = 1, 60, 1440
WEEK, MONTH, YEAR = 7 * DAY, 30 * DAY, 365 * DAY

_UNITS = {
    MINUTE: "m min mins minute minutes minuut minuten minuty minut minutou minutami mn "
    "minuto minutos minuti minuter minutter minút minútami minútou minúty minutę "
    "минуту минуты минут мин хвилину хвилини хвилин хв dakika minuuttia minuutti perc percet "
    "λεπτό λεπτά phút menit minit 분 分钟 分鐘 分 دقيقة دقائق",
    HOUR: "h hr hrs hour hours u uur std stunde stunden heure heures hod hodina hodinou "
    "hodinami hodiny hodin hora horas ora ore timme timmar time timer hodín godzina godziny "
    "godzin godzinę godz час часа часов ч годину години годин saat tuntia tunti óra órával oră "
    "ώρα ώρες giờ jam 시간 小时 小時 時間 ساعة ساعات",
    DAY: "d day days dag dagen tag tage tagen jour jours den dnem dny dní dni día días dia "
    "dias giorno giorni dagar dage dager deň dňami dňom dzień день дня дней дні днів gün "
    "päivää päivä nap nappal zi zile μέρα μέρες ημέρα ημέρες ngày hari 일 天 日 يوم أيام",
    WEEK: "w wk wks week weeks weken woche wochen semaine semaines týden týdnem týdny týdnů "
    "semana semanas settimana settimane vecka veckor uge uger uke uker týždeň týždne "
    "týždňami tydzień tygodnie tygodni tyg неделю недели недель тиждень тижні тижнів hafta "
    "viikkoa viikko hét héttel săptămână săptămâni εβδομάδα εβδομάδες tuần minggu 주 周 週 "
    "週間 星期 أسبوع أسابيع",
    MONTH: "mo mos month months maand maanden monat monate monaten mois měsíc měsícem měsíce "
    "měsíci měsíců mes meses mês mese mesi månad månader måned måneder mesiac mesiace "
    "mesiacmi miesiąc miesiące miesięcy mies месяц месяца месяцев місяць місяці місяців ay "
    "kuukautta kuukausi hónap hónappal lună luni μήνα μήνες tháng bulan 개월 个月 個月 ヶ月 "
    "か月 カ月 شهر أشهر شهور",
    YEAR: "y yr yrs year years jaar jaren jahr jahre jahren an ans rok rokem roky lety let "
    "año años ano anos anno anni år rokmi lata lat год года лет рік роки років yıl vuotta "  # noqa: RUF001
    "vuosi év évvel ani χρόνο χρόνια năm tahun 년 年 سنة سنوات عام أعوام",
}
# Case-folded, as the words of a line are compared: Greek "ώρες" folds to "ώρεσ".
UNIT_MINUTES = {
    word.casefold(): minutes for minutes, words in _UNITS.items() for word in words.split()
}

# "an hour ago", "vor einer Stunde", "il y a une heure": the number one as a word.
_ONE = frozenset(
    (
        "a", "an", "one", "een", "één", "ein", "eine", "einer", "einem", "un", "une", "jednou",
        "una", "uma", "uno", "un'", "en", "ett", "et", "jedną", "bir", "o", "μία", "μια",
        "ένα", "một", "satu", "egy",
    )
)  # fmt: skip
# Words before an age that say it is one: "Updated: 5 hours ago", "Aktualizováno před ...".
_AGE_PREFIXES = frozenset(
    (
        "updated", "last updated", "published", "posted", "bijgewerkt", "geplaatst", "gepubliceerd",
        "aktualisiert", "veröffentlicht", "mis à jour", "publié", "modifié", "aktualizováno",
        "publikováno", "about", "over", "almost", "ongeveer", "etwa", "environ",
        "actualizado", "atualizado", "aggiornato", "uppdaterad", "opdateret", "oppdatert",
    )
)  # fmt: skip
# What may follow an age on its line: "52m ago in" (a section name follows), "·", "|".
_AGE_SUFFIXES = frozenset(("in", "op", "im", "dans", "v", "·", "•", "|", "-", "\u2013"))
# What may stand before an age, parting it from what comes before: "Title · 2h"; the marks
# that part a line's pieces, as a word of their own.
SEPARATORS = frozenset(("·", "•", "|", "-", "\u2013", "\u2014"))
# "2 hrs ago", "2 uur geleden", "2 ore fa", "2 timmar sedan", "2 timer siden", "2 godziny
# temu", "2 horas atrás"
# "3 часа назад", "3 години тому", "3 saat önce", "3 tuntia sitten", "3 órával ezelőtt",
# "3 giờ trước", "3 jam yang lalu", "3시간 전", "3小时前" ("3 hours ago")
_AGO_AFTER = frozenset(
    (
        "ago", "geleden", "fa", "sedan", "siden", "temu", "atrás", "atras", "назад", "тому",
        "önce", "sitten", "ezelőtt", "trước", "lalu", "전", "前",
    )
)  # fmt: skip
# "vor 2 Stunden", "il y a 2 h", "před 2 hodinami", "hace 2 horas", "há 2 horas", "pred 2
# hodinami"; Czech and Slovak also "před hodinou": an hour ago
_AGO_BEFORE = (
    ("vor",), ("il", "y", "a"), ("před",), ("hace",), ("há",), ("ha",), ("pred",), ("acum",),
    ("πριν", "από"), ("πριν",), ("منذ",), ("قبل",),
)  # fmt: skip
# Hungarian says "ago" in the unit's own ending ("25 perce", "2 órája", "3 napja"): each
# such unit and the plain one it is read as, with "ezelőtt" (ago) after it.
_AGO_UNITS = {
    "perce": "perc", "órája": "óra", "napja": "nap", "hete": "hét", "hónapja": "hónap",
    "éve": "év",
}  # fmt: skip
# Arabic says one and two in the unit's own form: "منذ ساعة" (an hour ago), "منذ ساعتين" (two
# hours ago), after "منذ" or "قبل"; "منذ قليل" (a little while ago) is taken as a few minutes.
_ARABIC_ONE_TWO = {
    "دقيقة": 1, "دقيقتين": 2, "ساعة": HOUR, "ساعتين": 2 * HOUR, "يوم": DAY, "يومين": 2 * DAY,
    "أسبوع": WEEK, "أسبوعين": 2 * WEEK, "شهر": MONTH, "شهرين": 2 * MONTH, "سنة": YEAR,
    "عام": YEAR, "عامين": 2 * YEAR, "قليل": 3,
}  # fmt: skip
_BARE_UNIT_BEFORE = (("před",), ("pred",))
_AGE_WORDS = {
    "just now": 0, "zojuist": 0, "gerade eben": 0, "soeben": 0, "à l'instant": 0,
    "à l\u2019instant": 0, "právě teď": 0,
    "yesterday": DAY, "gisteren": DAY, "gestern": DAY, "hier": DAY, "včera": DAY,
    "eergisteren": 2 * DAY, "vorgestern": 2 * DAY, "avant-hier": 2 * DAY, "předevčírem": 2 * DAY,
    "ahora mismo": 0, "agora mesmo": 0, "proprio ora": 0, "nyss": 0, "just nu": 0, "teraz": 0,
    # "A few" is taken as three: "a few minutes ago", "een paar minuten geleden".
    "moments ago": 0, "a moment ago": 0, "seconds ago": 0, "a few seconds ago": 0,
    "a few minutes ago": 3, "few minutes ago": 3, "een paar seconden geleden": 0,
    "enkele seconden geleden": 0, "een paar minuten geleden": 3, "enkele minuten geleden": 3,
    "vor wenigen sekunden": 0, "vor wenigen minuten": 3, "vor ein paar minuten": 3,
    "il y a quelques secondes": 0, "il y a quelques minutes": 3, "hace unos segundos": 0,
    "hace unos minutos": 3, "há poucos minutos": 3, "pochi minuti fa": 3,
    "ayer": DAY, "ontem": DAY, "ieri": DAY, "igår": DAY, "i går": DAY, "wczoraj": DAY,
    "anteayer": 2 * DAY, "anteontem": 2 * DAY, "l'altro ieri": 2 * DAY, "i förrgår": 2 * DAY,
    "i forgårs": 2 * DAY, "przedwczoraj": 2 * DAY, "minutę temu": 1, "godzinę temu": HOUR,
    "tydzień temu": WEEK, "miesiąc temu": MONTH, "rok temu": YEAR,
    "только что": 0, "вчера": DAY, "позавчера": 2 * DAY, "минуту назад": 1, "час назад": HOUR,
    "неделю назад": WEEK, "месяц назад": MONTH, "год назад": YEAR, "щойно": 0, "учора": DAY,
    "вчора": DAY, "хвилину тому": 1, "годину тому": HOUR, "тиждень тому": WEEK,
    "місяць тому": MONTH, "рік тому": YEAR, "az önce": 0, "dün": DAY, "juuri nyt": 0,
    "eilen": DAY, "tegnap": DAY, "χθες": DAY, "vừa xong": 0, "hôm qua": DAY,
    "baru saja": 0, "kemarin": DAY, "방금": 0, "방금 전": 0, "어제": DAY, "刚刚": 0, "刚才": 0,
    "sebulan yang lalu": MONTH, "setahun yang lalu": YEAR,
    "昨天": DAY, "前天": 2 * DAY, "剛剛": 0, "昨日": DAY, "一昨日": 2 * DAY,
    "pár perce": 3, "néhány perce": 3, "tegnapelőtt": 2 * DAY, "أمس": DAY,
    **{f"{ago} {unit}": n for ago in ("منذ", "قبل") for unit, n in _ARABIC_ONE_TWO.items()},
}  # fmt: skip
_AGE_WORDS = {phrase.casefold(): minutes for phrase, minutes in _AGE_WORDS.items()}

_MONTHS = {
    1: "january jan januari januar jänner janvier janv ledna leden enero janeiro gennaio stycznia",
    2: "february feb febr februari februar février févr fevrier února únor febrero fevereiro "
    "febbraio lutego",
    3: "march mar maart mrt märz mär mars března březen marzo marco marca marts",
    4: "april apr avril avr dubna duben abril aprile kwietnia",
    5: "may mei mai května květen mayo maio maggio maj maja",
    6: "june jun juni juin června červen junio junho giugno czerwca",
    7: "july jul juli juillet juil července červenec julio julho luglio lipca",
    8: "august aug augustus août aout srpna srpen agosto augusti sierpnia",
    9: "september sep sept septembre září septiembre setiembre setembro settembre wrzesnia",
    10: "october oct okt oktober octobre října říjen octubre outubro ottobre pazdziernika",
    11: "november nov novembre listopadu listopad noviembre novembro listopada",
    12: "december dec dez dezember décembre déc decembre prosince prosinec diciembre dezembro "
    "dicembre grudnia desember",
}
# Each month's words as written and without accents, as they are compared folded ("März",
# "října" -> "marz", "rijna").
MONTHS = {
    form: month
    for month, words in _MONTHS.items()
    for word in words.split()
    for form in (word, "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii()))
}
_WEEKDAYS = frozenset(
    (
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "maandag", "dinsdag",
        "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "ma", "di", "wo", "do", "vr",
        "za", "zo", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
        "mo", "mi", "fr", "sa", "so", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
        "dimanche", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
        "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "lunedì",
        "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica", "måndag", "tisdag",
        "onsdag", "torsdag", "fredag", "lördag", "söndag",
    )
)  # fmt: skip
_TIME_ZONES = frozenset(("utc", "gmt", "cet", "cest", "bst", "est", "edt", "pst", "pdt"))
# The words of a time after a date: "om 14:05", "um 20:11 Uhr", "at 3:46 PM".
_TIME_WORDS = frozenset(
    ("at", "om", "um", "à", "-", "\u2013", "|", "am", "pm", "a.m.", "p.m.", "uhr", "uur")
)
# "Today at 9:05 AM", "vandaag 09:12", "heute, 10:45 Uhr": a time of day, no age.
_TODAY = frozenset(("today", "vandaag", "heute", "aujourd'hui", "aujourd\u2019hui", "dnes"))
# What marks a number as a time of day, not a duration ("9:05 PM", "21.03 uur", "10:45 Uhr").
_CLOCK_MARKS = frozenset(("am", "pm", "a.m.", "p.m.", "uhr", "uur", "u", "h"))
_CLOCK_WORDS = _CLOCK_MARKS | {"at", "om", "um", "à", "v", "-", "\u2013", "|"} | _TIME_ZONES
_DIGIT = re.compile(r"\d")  # searched in C: most lines have no digit, and so no stamp
# The words a stamp without a digit ends or starts with: "an hour ago", "vor einer Stunde",
# "gisteren", "just now", "Updated yesterday".
STAMP_LAST_WORDS = frozenset(
    {phrase.split()[-1] for phrase in _AGE_WORDS} | _AGO_AFTER | set(UNIT_MINUTES) | set(_AGO_UNITS)
)
STAMP_FIRST_WORDS = frozenset(
    {phrase.split()[0] for phrase in (*_AGE_WORDS, *_AGE_PREFIXES)}
    | {before[0] for before in _AGO_BEFORE}
    | _ONE
    | SEPARATORS
    | _TODAY
)
# The first words of any stamp that starts with no digit: ages, and dates month first.
STAMP_FIRST_ANY = STAMP_FIRST_WORDS | set(MONTHS) | _WEEKDAYS

# A time of day alone: "21:03", "9:05".
_BARE_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# An hour, or an hour and minutes, with a mark glued on: "5", "21.03", "21h03", "9pm".
_CLOCK_NUMBER = re.compile(r"\d{1,2}(?:[.h]\d{2})?(?:am|pm|u|h)?")


def parse_age(line: str) -> int | None:
    """A line that is only a relative age, in minutes; None when it is not one.

    ``"2 hrs ago" -> 120``, ``"1 dag geleden" -> 1440``, ``"vor einer Stunde" -> 60``,
    ``"il y a 3 jours" -> 4320``, ``"Updated: 5 hours 31 min ago" -> 331``, ``"52m" -> 52``,
    ``"gisteren" -> 1440``, ``"28 min" -> None`` (a duration), ``"Verstappen wint" -> None``.
    An age said in full may have a count after it, its icon lost in copying: ``"vor 42
    Minuten 34" -> 42``.
    """
    text = _unbracket(" ".join(line.split()))
    if not text or len(text) > 60:
        return None
    age = _parse_age(text)
    if age is None and _DIGIT.search(text):
        head, _, last = text.rpartition(" ")
        if last.isdecimal() and len(last) <= 5 and _in_full(head, int(last)):
            return _parse_age(head)
    return age


def parse_short_age(text: str) -> int | None:
    """The age of a stamp that the page marks as one (an HTML ``<time>``, or an element whose
    class names a time), which may be a number and a unit alone, as portals write them:
    ``"12 min" -> 12``, ``"1 uur" -> 60``, ``"2 u" -> 120``, ``"3 Std." -> 180``; else as
    :func:`parse_age` reads it. Alone, such a line may be a duration ("28 min" of video)."""
    age = parse_age(text)
    if age is not None:
        return age
    words = text.casefold().split()
    return _amount(words) if len(words) == 2 and words[0].isdecimal() else None


def _in_full(text: str, count: int) -> bool:
    """Whether an age is said in full, with its word for "ago" ("vor 42 Minuten", "2 hours
    ago"), so that a number after it is no part of it: not "2h" or "2 uur", and not "il y a
    2 h" before a number of minutes ("il y a 2 h 30": two and a half hours)."""
    words = text.casefold().split()
    if len(words) < 2 or (UNIT_MINUTES.get(words[-1]) == HOUR and count < 60):
        return False
    return (
        words[-1] in _AGO_AFTER
        or words[-1] in _AGO_UNITS
        or any(tuple(words[: len(b)]) == b for b in _AGO_BEFORE)
    )


def _unbracket(text: str) -> str:
    """A stamp without the brackets some pages put around it: ``"(2 hours ago)"``."""
    if text[:1] in "([" and text[-1:] in ")]":
        return text[1:-1].strip()
    return text


@lru_cache(maxsize=65536)
def _parse_age(text: str) -> int | None:
    words = _strip_prefix(text.casefold().replace(":", " ").replace(",", " ").split())
    if words and words[-1] in _AGE_SUFFIXES and len(words) > 1:
        words = words[:-1]
    if not words:
        return None
    phrase = " ".join(words)
    if phrase in _AGE_WORDS:
        return _AGE_WORDS[phrase]
    day = _AGE_WORDS.get(words[0], 0)
    if day >= DAY and _clock(words[1:]):  # "Yesterday at 5:30 PM", "gisteren 21:03"
        return day
    if len(words[-1]) > 1 and words[-1].endswith("前"):  # "3小时前": 3 hours ago
        words = [*words[:-1], words[-1][:-1], "前"]
    if len(words) == 2 and words[1] in _AGO_UNITS:  # "2 órája": as "2 óra ezelőtt"
        words = [words[0], _AGO_UNITS[words[1]], "ezelőtt"]
    if words[-1] in _AGO_AFTER:
        if words[0] in ("för", "for") and words[-1] in ("sedan", "siden"):
            words = words[1:]  # "för 2 timmar sedan", "for 2 timer siden"
        if words[-2:] == ["yang", "lalu"]:
            words = words[:-1]  # "3 jam yang lalu"
        return _amount(words[:-1])
    for before in _AGO_BEFORE:
        if tuple(words[: len(before)]) == before:
            return _amount(words[len(before) :], bare_unit=before in _BARE_UNIT_BEFORE)
    if len(words) == 1 and words[0][-1:] in "mhdw":  # "52m", "1h"
        return _amount(words)
    return None


def _strip_prefix(words: list[str]) -> list[str]:
    """Words without a leading "Updated", "Aktualizováno", "mis à jour", "about", or a
    separator such as "·"."""
    if len(words) > 1 and words[0] in SEPARATORS:
        return _strip_prefix(words[1:])
    for size in (3, 2, 1):
        if len(words) > size and " ".join(words[:size]) in _AGE_PREFIXES:
            return _strip_prefix(words[size:])
    return words


def _amount(words: list[str], *, bare_unit: bool = False) -> int | None:
    """Minutes of ``["5", "hours", "31", "min"]`` (331), ``["an", "hour"]`` (60), ``["52m"]``."""
    tokens: list[str] = []
    for word in words:
        digits = len(word) - len(word.lstrip("0123456789"))
        if word.startswith(("un'", "un\u2019")):  # "un'ora fa": an hour ago
            tokens.extend(("un", word[3:]))
        elif 0 < digits < len(word):  # "52m", "5min": a number glued to its unit
            tokens.extend((word[:digits], word[digits:]))
        elif word == "de" and tokens and tokens[-1].isdecimal():
            continue  # "acum 35 de minute": Romanian puts "de" between 20 and up and a unit
        elif not tokens or word not in ("and", "en", "und", "et"):  # "en timme sedan": one
            tokens.append(word)
    if not tokens:
        return None
    total = 0
    k = 0
    while k < len(tokens):
        number, unit = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else ""
        if number.isdecimal() or number in _ONE:
            count = int(number) if number.isdecimal() else 1
            k += 2
        elif bare_unit and k == 0:  # "před hodinou": an hour ago
            count, unit = 1, number
            k += 1
        else:
            return None
        minutes = UNIT_MINUTES.get(unit.rstrip("."))
        if minutes is None or count > 1_000_000:
            return None
        total += count * minutes
    return total


def parse_date(line: str) -> str | None:
    """A line that is only a calendar date, as ISO 8601 (``YYYY-MM-DD``); None otherwise.

    ``"24 July 2015" -> "2015-07-24"``, ``"Aug 20, 2019" -> "2019-08-20"``,
    ``"14/01/2020" -> "2020-01-14"``, ``"3 maart 2024 om 14:05" -> "2024-03-03"``.
    """
    text = _unbracket(" ".join(line.split()))
    if not text or len(text) > 60 or not _DIGIT.search(text):
        return None
    return _parse_date(text)


def is_clock(line: str) -> bool:
    """True for a line that is only a time of day today, which gives no age: ``"Today at 9:05
    AM"``, ``"vandaag 09:12"``, ``"9:05 PM"``, ``"21.03 uur"``, ``"21:03"``. A bare one may
    be a video's length ("0:46") as well: either way it stands beside a headline, and it
    gives no age."""
    text = _short_stamp(line)
    return bool(text) and _is_clock(text)


def _short_stamp(line: str) -> str:
    """A line's text with its white space collapsed when it may be a time or a day (forty
    characters at most, with a digit); "" when it cannot be."""
    text = " ".join(line.split())
    return text if text and len(text) <= 40 and _DIGIT.search(text) else ""


@lru_cache(maxsize=65536)
def _is_clock(text: str) -> bool:
    if _BARE_CLOCK.fullmatch(text):
        hours, _, minutes = text.replace(".", ":").partition(":")
        return int(hours) < 24 and int(minutes) < 60
    words = _strip_prefix(text.casefold().replace(":", " ").replace(",", " ").split())
    if words and words[0] in _TODAY:
        return _clock(words[1:])
    return _clock(words) and any(
        word in _CLOCK_MARKS or word.endswith(("am", "pm")) for word in words
    )


def _clock(words: list[str]) -> bool:
    """A time of day, split at its colon: ``["at", "5", "30", "pm"]``, ``["21h03"]``."""
    numbers = 0
    for word in words:
        if _CLOCK_NUMBER.fullmatch(word):
            numbers += 1
        elif word not in _CLOCK_WORDS:
            return False
    return 1 <= numbers <= 2


def is_day(line: str) -> bool:
    """True for a line that is only a day of the year without its year, perhaps with its
    weekday and time, which gives no age and no date either: ``"14 mei"``, ``"ma 6 okt,
    22:14"``, ``"Oct 6"``, ``"Sat 4 Oct, 9:05 PM"``. Not a headline with a date in it ("Op 14
    mei gaat de brug dicht")."""
    text = _short_stamp(line)
    return bool(text) and _is_day(text)


@lru_cache(maxsize=65536)
def _is_day(text: str) -> bool:
    words = _strip_prefix(text.casefold().replace(",", " ").split())
    if words and words[0].rstrip(".") in _WEEKDAYS:
        words = words[1:]
    if len(words) < 2:
        return False
    day_word, month_word = words[0], words[1]
    if not _day(day_word):  # "Oct 6": month first
        day_word, month_word = month_word, day_word
    day = _day(day_word)
    month = MONTHS.get(fold(month_word).rstrip("."), 0)
    if not (day and month and day <= _DAYS_IN[month]):
        return False
    return all(_is_time(word) for word in words[2:])


_DAYS_IN = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def is_stamp(text: str) -> bool:
    """True for a line that is only an age, a date, a day or a time of day: ``"2 uur
    geleden"``, ``"24 July 2015"``, ``"14 mei"``, ``"Today at 9:05 AM"``."""
    return parse_age(text) is not None or bool(parse_date(text)) or is_clock(text) or is_day(text)


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> str | None:
    # "6 de diciembre de 2026", "6 di dicembre": the words between day, month and year go.
    words = [
        word
        for word in _strip_prefix(text.casefold().replace(",", " ").split())
        if word not in ("de", "del", "di")
    ]
    if words and words[0].rstrip(".,") in _WEEKDAYS:
        words = words[1:]
    found = _date_words(words)
    if found is None:
        return None
    year, month, day, used = found
    if not all(_is_time(word) for word in words[used:]):
        return None
    try:
        return date_type(year, month, day).isoformat() if 1900 <= year <= 2100 else None
    except ValueError:  # 31 February
        return None


def _date_words(words: list[str]) -> tuple[int, int, int, int] | None:
    """(year, month, day, words used) of a date at the start of ``words``."""
    if not words:
        return None
    first = words[0]
    for sep in "-/.":
        parts = first.split(sep)
        if len(parts) == 3 and all(p.isdecimal() for p in parts):
            a, b, c = parts[0], parts[1], parts[2].split("t")[0]
            if len(a) == 4:  # 2019-10-22
                return int(a), int(b), int(c), 1
            year = int(c) + (2000 if len(c) == 2 else 0)
            x, y = int(a), int(b)
            day, month = (y, x) if y > 12 >= x else (x, y)  # day first unless it cannot be
            return year, month, day, 1
    if "t" in first and first[:4].isdecimal():  # 2019-10-22T10:00:00Z
        return _date_words([first.split("t")[0]])
    if len(words) < 3:
        return None
    day_word, month_word, year_word = words[0], words[1], words[2]
    if not _day(day_word):  # "Aug 20, 2019": month first
        day_word, month_word = month_word, day_word
    day = _day(day_word)
    month = MONTHS.get(fold(month_word).rstrip("."), 0)
    if not day or not month or not (year_word.isdecimal() and len(year_word) == 4):
        return None
    return int(year_word), month, day, 3


def _day(word: str) -> int:
    """``"24"``, ``"24."``, ``"1st"``, ``"1er"`` -> the day; 0 when it is not one."""
    digits = word.rstrip(".")
    for ending in ("st", "nd", "rd", "th", "er", "e"):
        if digits.endswith(ending) and digits[: -len(ending)].isdecimal():
            digits = digits[: -len(ending)]
            break
    return int(digits) if digits.isdecimal() and len(digits) <= 2 else 0


def _is_time(word: str) -> bool:
    """A word of a time after a date: "14:05", "3:46", "pm", "at", "CET", "(UTC)"."""
    if word in _TIME_WORDS:
        return True
    if word[:1] == "(" and word[-1:] == ")":
        return word[1:-1] in _TIME_ZONES
    hours, sep, minutes = word.replace(".", ":").replace("h", ":").partition(":")
    if sep and hours.isdecimal() and minutes[:2].isdecimal():
        return True
    return word in _TIME_ZONES


def may_hold_stamp(line: str) -> bool:
    """False, at a glance, for most lines that hold no age, date or time: one needs a digit,
    or ends in a word an age ends with ("yesterday", "ago")."""
    if _DIGIT.search(line):
        return True
    last = line.rsplit(None, 1)[-1:] or [""]
    return last[0].casefold().strip("()[]") in STAMP_LAST_WORDS
