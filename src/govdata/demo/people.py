"""The population of 示例市 and the public-security household registry (``gaj.hj_rk``) built from it.

People are generated a chunk at a time, column by column, from one seeded ``random.Random``; ID
numbers are unique across chunks (``used`` holds their first 17 digits). The registry rows carry the
planted registry defects; ``People.clean`` lists the people untouched by them, from whom the other
departments draw (so cross-department joins work except where a defect is planted on purpose).
Raises nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from govdata.demo import vocab
from govdata.demo.defects import (
    DefectLog,
    count,
    other_date_format,
    other_day,
    other_gender,
    pick,
    wrong_check_char,
)
from govdata.govern.standards import id_check_char

TODAY = dt.date(2025, 6, 30)  # the demo's "now": fixed, so output never depends on the clock
_DECADES = ((1930, 1), (1940, 3), (1950, 8), (1960, 14), (1970, 14), (1980, 16), (1990, 15), (2000, 12))
_DECADES += ((2010, 12), (2020, 5))
_MARITAL, _MARITAL_CUM = ("10", "20", "30", "40"), (15, 90, 95, 100)
_HOUSEHOLD_SIZES, _HOUSEHOLD_CUM = (1, 2, 3, 4, 5), (20, 50, 80, 95, 100)
CITY_BORN = 0.85
_ADULTS = (dt.date(1955, 1, 1).toordinal(), dt.date(2000, 12, 31).toordinal())


@dataclass
class People:
    """One chunk of people; index ``i`` is the same person in every list."""

    rkid: list[str]
    sfzh: list[str]  # the true 18-digit number
    xm: list[str]
    surname_len: list[int]
    xb: list[str]  # GB/T 2261.1: 1 male, 2 female
    birth: list[dt.date]
    address: list[str]
    phone: list[str]
    clean: list[int] = field(default_factory=list)
    registry: dict[str, list[Any]] = field(default_factory=dict)  # hj_rk rows, defects planted

    def pool(self, gender: str | None, born_from: int, born_to: int) -> list[int]:
        """Clean people of ``gender`` (or any) born in the years ``born_from``..``born_to``."""
        return [
            i
            for i in self.clean
            if (gender is None or self.xb[i] == gender) and born_from <= self.birth[i].year <= born_to
        ]


def phone_numbers(rng: random.Random, n: int) -> list[str]:
    prefixes = rng.choices(vocab.MOBILE_PREFIXES, k=n)
    return [f"{p}{rng.randrange(100_000_000):08d}" for p in prefixes]


def street_address(rng: random.Random, district: str) -> str:
    """浙江省示例市<district><street>路<n>号<building>幢<unit>单元<room>室."""
    return (
        f"{vocab.PROVINCE_NAME}{vocab.CITY_NAME}{district}{rng.choice(vocab.STREETS)}路"
        f"{rng.randint(1, 999)}号{rng.randint(1, 30)}幢{rng.randint(1, 6)}单元"
        f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
    )


def given_names(rng: random.Random, genders: list[str], surnames: list[str]) -> list[str]:
    result = []
    for gender, surname in zip(genders, surnames, strict=True):
        chars = vocab.GIVEN_MALE if gender == "1" else vocab.GIVEN_FEMALE
        two = len(surname) == 1 and rng.random() < 0.75
        result.append(rng.choice(chars) + (rng.choice(chars) if two else ""))
    return result


def birth_dates(rng: random.Random, n: int) -> list[dt.date]:
    starts = [dt.date(year, 1, 1).toordinal() for year, _ in _DECADES]
    ends = [min(dt.date(year + 9, 12, 31), TODAY).toordinal() for year, _ in _DECADES]
    cum = [sum(w for _, w in _DECADES[: k + 1]) for k in range(len(_DECADES))]
    decades = rng.choices(range(len(_DECADES)), cum_weights=cum, k=n)
    return [dt.date.fromordinal(rng.randint(starts[d], ends[d])) for d in decades]


def id_numbers(rng: random.Random, births: list[dt.date], genders: list[str], used: set[int]) -> list[str]:
    """Unique valid 18-digit numbers; birthplace codes match the districts existing at birth."""
    result = []
    for born, gender in zip(births, genders, strict=True):
        if rng.random() < CITY_BORN:
            codes = vocab.DISTRICTS_SINCE_2021 if born.year >= 2021 else vocab.DISTRICTS_BEFORE_2021
        else:
            codes = vocab.ELSEWHERE
        region = rng.choice(codes)
        while True:
            seq = rng.randrange(500) * 2 + (1 if gender == "1" else 0)
            first17 = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{seq:03d}"
            number = int(first17)
            if number not in used:
                used.add(number)
                break
        result.append(first17 + id_check_char(first17))
    return result


def strangers(rng: random.Random, n: int, used: set[int]) -> tuple[list[str], list[str]]:
    """Names and valid, never-used ID numbers of ``n`` adults the household registry does not hold."""
    genders = ["1" if rng.random() < 0.6 else "2" for _ in range(n)]
    births = [dt.date.fromordinal(rng.randint(_ADULTS[0], _ADULTS[1])) for _ in range(n)]
    surnames = rng.choices(vocab.SURNAMES, cum_weights=vocab.SURNAME_CUM, k=n)
    names = [s + g for s, g in zip(surnames, given_names(rng, genders, surnames), strict=True)]
    return names, id_numbers(rng, births, genders, used)


def make_people(rng: random.Random, row_start: int, n: int, used: set[int], log: DefectLog) -> People:
    """``n`` people and their registry rows (keys from ``row_start``), with registry defects."""
    genders = ["1" if rng.random() < 0.51 else "2" for _ in range(n)]
    births = birth_dates(rng, n)
    ids = id_numbers(rng, births, genders, used)
    surnames = rng.choices(vocab.SURNAMES, cum_weights=vocab.SURNAME_CUM, k=n)
    names = [s + g for s, g in zip(surnames, given_names(rng, genders, surnames), strict=True)]
    addresses: list[str] = []
    households: list[str] = []
    districts = tuple(vocab.DISTRICTS.values())
    while len(addresses) < n:
        size = rng.choices(_HOUSEHOLD_SIZES, cum_weights=_HOUSEHOLD_CUM)[0]
        address = street_address(rng, rng.choice(districts))
        number = f"{vocab.CITY_CODE}{row_start + len(addresses):010d}"
        addresses.extend([address] * size)
        households.extend([number] * size)
    del addresses[n:], households[n:]
    people = People(
        rkid=[f"R{row_start + i:010d}" for i in range(n)],
        sfzh=ids,
        xm=names,
        surname_len=[len(s) for s in surnames],
        xb=genders,
        birth=births,
        address=addresses,
        phone=phone_numbers(rng, n),
    )
    registered = [max(b, dt.date(1992, 1, 1)) + dt.timedelta(days=rng.randint(0, 60)) for b in births]
    marital = [
        "10" if TODAY.year - b.year < 22 else rng.choices(_MARITAL, cum_weights=_MARITAL_CUM)[0]
        for b in births
    ]
    rows: dict[str, list[Any]] = {
        "rkid": list(people.rkid),
        "xm": list(names),
        "sfzh": list(ids),
        "xb": list(genders),
        "csrq": [b.isoformat() for b in births],
        "mz": rng.choices(vocab.ETHNICITIES, cum_weights=vocab.ETHNICITY_CUM, k=n),
        "hyzk": marital,
        "hjdz": list(addresses),
        "hh": households,
        "lxdh": list(people.phone),
        "djrq": [min(d, TODAY).isoformat() for d in registered],
    }
    _plant_registry_defects(rng, people, rows, row_start, log)
    people.registry = rows
    return people


def _plant_registry_defects(
    rng: random.Random, people: People, rows: dict[str, list[Any]], row_start: int, log: DefectLog
) -> None:
    n = len(people.sfzh)
    born_1900s = [i for i in range(n) if people.birth[i].year < 1985]
    id15 = sorted(rng.sample(born_1900s, min(count("id15", n), len(born_1900s))))
    taken = set(id15)
    kinds = (
        "bad_checksum",
        "duplicate",
        "null",
        "date_format",
        "gender_format",
        "birth_mismatch",
        "gender_mismatch",
    )
    picked = pick(rng, [i for i in range(n) if i not in taken], {k: count(k, n) for k in kinds})
    for i in id15:
        rows["sfzh"][i] = people.sfzh[i][:6] + people.sfzh[i][8:17]
    for i in picked["bad_checksum"]:
        rows["sfzh"][i] = wrong_check_char(rng, people.sfzh[i])
    for i in picked["null"]:
        rows["hjdz"][i] = None
    for i in picked["date_format"]:
        rows["csrq"][i] = other_date_format(rng, people.birth[i], "iso")
    for i in picked["gender_format"]:
        rows["xb"][i] = other_gender(rng, people.xb[i] == "1", "code")
    for i in picked["birth_mismatch"]:  # as the column writes dates, so only the ID contradicts it
        rows["csrq"][i] = other_day(rng, people.birth[i], TODAY).isoformat()
    for i in picked["gender_mismatch"]:
        rows["xb"][i] = "2" if people.xb[i] == "1" else "1"
    duplicates = picked["duplicate"]
    dup_keys = [f"R{row_start + n + j:010d}" for j in range(len(duplicates))]
    for key, i in zip(dup_keys, duplicates, strict=True):
        for column, values in rows.items():
            values.append(key if column == "rkid" else values[i])
        # registered again later, at another police station
        rows["djrq"][-1] = min(
            TODAY, dt.date.fromisoformat(rows["djrq"][i]) + dt.timedelta(days=400)
        ).isoformat()
    rk = people.rkid
    log.add("hj_rk", "sfzh", "id15", [rk[i] for i in id15])
    log.add("hj_rk", "sfzh", "bad_checksum", [rk[i] for i in picked["bad_checksum"]])
    log.add("hj_rk", "hjdz", "null", [rk[i] for i in picked["null"]])
    log.add("hj_rk", "csrq", "date_format", [rk[i] for i in picked["date_format"]])
    log.add("hj_rk", "xb", "gender_format", [rk[i] for i in picked["gender_format"]])
    log.add("hj_rk", "csrq", "birth_mismatch", [rk[i] for i in picked["birth_mismatch"]])
    log.add("hj_rk", "xb", "gender_mismatch", [rk[i] for i in picked["gender_mismatch"]])
    log.add("hj_rk", "sfzh", "duplicate", dup_keys, "hj_rk", "sfzh", [rk[i] for i in duplicates])
    touched = taken.union(*picked.values())
    people.clean = [i for i in range(n) if i not in touched]
