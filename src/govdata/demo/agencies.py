"""Database tables of the departments that keep people as members: rsj social insurance
(``sb_cbry``) and scjgj enterprise registrations (``qy_jbxx``), drawn from the registry's people.

Each function takes one people chunk and returns the table's columns with its defects planted and
logged. Raises nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from govdata.demo import vocab
from govdata.demo.defects import DefectLog, count, misspell, pick, wrong_check_char
from govdata.demo.people import TODAY, People, strangers, street_address
from govdata.govern.standards.uscc import ALPHABET, org_check_char, uscc_check_char

_INSURANCE, _INSURANCE_CUM = ("110", "310", "390", "210", "410"), (40, 70, 85, 93, 100)
_INSURED_STATE, _INSURED_STATE_CUM = ("1", "2", "3"), (85, 95, 100)
_CAPITALS = (10, 30, 50, 100, 200, 300, 500, 1000, 2000, 5000)


def random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(lo.toordinal(), max(lo, hi).toordinal()))


def years_after(day: dt.date, years: int) -> dt.date:
    return dt.date(day.year + years, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)


def company_name(rng: random.Random) -> str:
    trade = rng.choice(vocab.GIVEN_MALE) + rng.choice(vocab.GIVEN_FEMALE)
    return f"{vocab.CITY_NAME}{trade}{rng.choice(vocab.COMPANY_INDUSTRIES)}有限公司"


def business_address(rng: random.Random, district: str) -> str:
    """浙江省示例市<district><street>路<n>号<building>幢<floor>层."""
    building = street_address(rng, district).split("幢")[0]
    return f"{building}幢{rng.randint(1, 28)}层"


def enterprise_uscc(serial: int, district: str) -> str:
    """A valid enterprise USCC (``91``) whose org-code body ``MA…`` is unique per ``serial``."""
    value = (serial * 7919 + 123_457) % 31**6  # 7919 is prime to 31: distinct serials, distinct codes
    digits = ""
    for _ in range(6):
        value, rest = divmod(value, 31)
        digits = ALPHABET[rest] + digits
    body = "MA" + digits
    first17 = "91" + district + body + org_check_char(body)
    return first17 + uscc_check_char(first17)


def insured(rng: random.Random, people: People, row_start: int, log: DefectLog) -> dict[str, Any]:
    """sb_cbry: about 70 % of working-age and retired adults, one row per insured person."""
    members = [i for i in people.pool(None, 1950, 2006) if rng.random() < 0.7]
    m = len(members)
    keys = [f"{vocab.CITY_CODE}{row_start + j:010d}" for j in range(m)]
    start = dt.date(1995, 1, 1)
    rows: dict[str, Any] = {
        "grbh": keys,
        "sfzh": [people.sfzh[i] for i in members],
        "xm": [people.xm[i] for i in members],
        "xb": [people.xb[i] for i in members],
        "xzlx": rng.choices(_INSURANCE, cum_weights=_INSURANCE_CUM, k=m),
        "cbrq": [
            random_date(rng, max(start, years_after(people.birth[i], 18)), TODAY).isoformat() for i in members
        ],
        "jfjs": [round(rng.uniform(4462, 24930), 2) for _ in range(m)],
        "cbzt": rng.choices(_INSURED_STATE, cum_weights=_INSURED_STATE_CUM, k=m),
        "dwmc": [company_name(rng) if rng.random() < 0.85 else None for _ in range(m)],
        "lxdh": [people.phone[i] for i in members],
    }
    kinds = ("bad_checksum", "null", "spelling", "gender_mismatch")
    picked = pick(rng, range(m), {k: count(k, m) for k in kinds})
    for j in picked["bad_checksum"]:
        rows["sfzh"][j] = wrong_check_char(rng, rows["sfzh"][j])
    for j in picked["gender_mismatch"]:
        rows["xb"][j] = "2" if rows["xb"][j] == "1" else "1"
    for j in picked["null"]:
        rows["jfjs"][j] = None
    for j in picked["spelling"]:
        rows["xm"][j] = misspell(rng, rows["xm"][j], people.surname_len[members[j]])
    log.add("sb_cbry", "sfzh", "bad_checksum", [keys[j] for j in picked["bad_checksum"]])
    log.add("sb_cbry", "jfjs", "null", [keys[j] for j in picked["null"]])
    log.add("sb_cbry", "xb", "gender_mismatch", [keys[j] for j in picked["gender_mismatch"]])
    spelled = picked["spelling"]
    refs = [people.rkid[members[j]] for j in spelled]
    log.add("sb_cbry", "xm", "spelling", [keys[j] for j in spelled], "hj_rk", "xm", refs)
    return rows


def enterprises(
    rng: random.Random, people: People, row_start: int, used: set[int], log: DefectLog
) -> dict[str, Any]:
    """qy_jbxx: one enterprise per 20 people; legal representatives are registry people, except the
    ``dangling`` ones: people with valid ID numbers (unique in ``used``) the registry never held."""
    m = len(people.sfzh) // 20
    adults = people.pool(None, 1950, 2000)
    reps = [rng.choice(adults) for _ in range(m)]
    districts = list(vocab.DISTRICTS.items())
    places = [rng.choice(districts) for _ in range(m)]
    founded = [
        random_date(rng, max(dt.date(1995, 1, 1), years_after(people.birth[i], 20)), TODAY) for i in reps
    ]
    rows: dict[str, Any] = {
        "qyid": [f"{vocab.CITY_CODE}{row_start + j:012d}" for j in range(m)],
        "shxydm": [enterprise_uscc(row_start + j, code) for j, (code, _) in enumerate(places)],
        "qymc": [company_name(rng) for _ in range(m)],
        "fddbr": [people.xm[i] for i in reps],
        "fddbrsfzh": [people.sfzh[i] for i in reps],
        "zczb": [float(rng.choice(_CAPITALS)) for _ in range(m)],
        "zs": [business_address(rng, name) for _, name in places],
        "clrq": [d.isoformat() for d in founded],
        "djzt": rng.choices(vocab.ENTERPRISE_STATES, cum_weights=vocab.ENTERPRISE_STATE_CUM, k=m),
    }
    keys = rows["qyid"]
    picked = pick(rng, range(m), {k: count(k, m) for k in ("bad_checksum", "null", "dangling")})
    for j in picked["bad_checksum"]:
        rows["shxydm"][j] = wrong_check_char(rng, rows["shxydm"][j], ALPHABET)
    for j in picked["null"]:
        rows["zs"][j] = None
    names, ids = strangers(rng, len(picked["dangling"]), used)
    for j, name, sfzh in zip(picked["dangling"], names, ids, strict=True):
        rows["fddbr"][j], rows["fddbrsfzh"][j] = name, sfzh
    log.add("qy_jbxx", "shxydm", "bad_checksum", [keys[j] for j in picked["bad_checksum"]])
    log.add("qy_jbxx", "zs", "null", [keys[j] for j in picked["null"]])
    dangling = [keys[j] for j in picked["dangling"]]
    log.add("qy_jbxx", "fddbrsfzh", "dangling", dangling, "hj_rk", "sfzh", None)
    return rows
