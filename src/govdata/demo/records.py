"""Records that departments send as files: mzj marriages (``hy_djxx``, CSV), wjw birth certificates
(``cs_yxzm``, Excel) and mzj subsistence-allowance recipients (``db_dx``, JSON).

Spouses, parents and recipients are registry people, so the files join with ``gaj.hj_rk`` except
where a defect is planted. Each function returns the table's columns (``None`` = empty cell / missing
key) for one people chunk. Raises nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from govdata.demo import vocab
from govdata.demo.agencies import random_date, years_after
from govdata.demo.defects import (
    DefectLog,
    count,
    format_date,
    misspell,
    other_date_format,
    other_day,
    other_gender,
    pick,
    wrong_check_char,
)
from govdata.demo.people import TODAY, People

_REMARKS = ("", "", "", "", "补领结婚证", "涉外婚姻", "再婚", "")
_ALLOWANCE_NOTES = ("因病致贫", "重度残疾", "单亲家庭", "高龄独居", "失业无收入")
ALLOWANCE_PER_PERSON = 1190.0  # monthly standard, 元 per household member


def marriages(
    rng: random.Random, people: People, row_start: int, log: DefectLog
) -> tuple[dict[str, Any], list[str]]:
    """hy_djxx rows (one per 50 people) and the keys whose 备注 hides a phone or ID number."""
    men = people.pool("1", 1960, 2002)
    women = people.pool("2", 1962, 2004)
    m = min(len(people.sfzh) // 50, len(men), len(women))
    husbands, wives = rng.sample(men, m), rng.sample(women, m)
    keys = [f"J{vocab.CITY_CODE}{row_start + j + 1:08d}" for j in range(m)]
    dates = []
    for h, w in zip(husbands, wives, strict=True):
        lo = max(dt.date(2015, 1, 1), years_after(people.birth[h], 22), years_after(people.birth[w], 20))
        dates.append(random_date(rng, lo, TODAY))
    offices = [
        f"{vocab.CITY_NAME}{d}民政局婚姻登记处" for d in rng.choices(list(vocab.DISTRICTS.values()), k=m)
    ]
    remarks: list[str | None] = []
    hidden: list[str] = []
    for j, h in enumerate(husbands):
        roll = rng.random()
        if roll < 0.03:
            remarks.append(f"联系电话{people.phone[h]}，请通知本人领证")
        elif roll < 0.05 and people.birth[h].year < 1982:  # 15-digit cards were issued until 1999
            old = people.sfzh[h][:6] + people.sfzh[h][8:17]
            remarks.append(f"男方原证件号{old}，已换发新证")
        else:
            remarks.append(rng.choice(_REMARKS) or None)
            continue
        hidden.append(keys[j])
    rows: dict[str, Any] = {
        "登记编号": keys,
        "男方姓名": [people.xm[i] for i in husbands],
        "男方身份证号": [people.sfzh[i] for i in husbands],
        "女方姓名": [people.xm[i] for i in wives],
        "女方身份证号": [people.sfzh[i] for i in wives],
        "登记日期": [d.isoformat() for d in dates],
        "登记机关": offices,
        "备注": remarks,
    }
    picked = pick(rng, range(m), {k: count(k, m) for k in ("date_format", "spelling", "bad_checksum")})
    for j in picked["date_format"]:
        rows["登记日期"][j] = other_date_format(rng, dates[j], "iso")
    for j in picked["spelling"]:
        rows["男方姓名"][j] = misspell(rng, rows["男方姓名"][j], people.surname_len[husbands[j]])
    for j in picked["bad_checksum"]:
        rows["女方身份证号"][j] = wrong_check_char(rng, rows["女方身份证号"][j])
    log.add("hy_djxx", "登记日期", "date_format", [keys[j] for j in picked["date_format"]])
    refs = [people.rkid[husbands[j]] for j in picked["spelling"]]
    log.add("hy_djxx", "男方姓名", "spelling", [keys[j] for j in picked["spelling"]], "hj_rk", "xm", refs)
    log.add("hy_djxx", "女方身份证号", "bad_checksum", [keys[j] for j in picked["bad_checksum"]])
    return rows, hidden


def births(rng: random.Random, people: People, row_start: int, log: DefectLog) -> dict[str, Any]:
    """cs_yxzm rows (one per 100 people); 新生儿/出生日期 holds dates, defects hold text."""
    mothers = people.pool("2", 1982, 2003)
    fathers = people.pool("1", 1978, 2001)
    m = min(len(people.sfzh) // 100, len(mothers), len(fathers))
    mums, dads = rng.sample(mothers, m), rng.sample(fathers, m)
    keys = [f"Q{330_000_000 + row_start + j:09d}" for j in range(m)]
    born = [random_date(rng, dt.date(2023, 1, 1), TODAY - dt.timedelta(days=20)) for _ in range(m)]
    boys = [rng.random() < 0.52 for _ in range(m)]
    names = []
    for dad, boy in zip(dads, boys, strict=True):
        chars = vocab.GIVEN_MALE if boy else vocab.GIVEN_FEMALE
        two = people.surname_len[dad] == 1 and rng.random() < 0.8  # names of 2–3 characters
        given = rng.choice(chars) + (rng.choice(chars) if two else "")
        names.append(people.xm[dad][: people.surname_len[dad]] + given)
    rows: dict[str, Any] = {
        "序号": [row_start + j + 1 for j in range(m)],
        "出生医学证明编号": keys,
        "新生儿/姓名": names,
        "新生儿/性别": ["男" if b else "女" for b in boys],
        "新生儿/出生日期": list(born),
        "母亲/姓名": [people.xm[i] for i in mums],
        "母亲/身份证号": [people.sfzh[i] for i in mums],
        "父亲/姓名": [people.xm[i] for i in dads],
        "父亲/身份证号": [people.sfzh[i] for i in dads],
        "出生医院": rng.choices(vocab.HOSPITALS, k=m),
        "签发日期": [d + dt.timedelta(days=rng.randint(1, 20)) for d in born],
    }
    picked = pick(rng, range(m), {k: count(k, m) for k in ("gender_format", "date_format", "spelling")})
    for j in picked["gender_format"]:
        rows["新生儿/性别"][j] = other_gender(rng, boys[j], "zh")
    for j in picked["date_format"]:
        rows["新生儿/出生日期"][j] = format_date(born[j], rng.choice(("cn", "compact", "slash")))
    for j in picked["spelling"]:
        rows["母亲/姓名"][j] = misspell(rng, rows["母亲/姓名"][j], people.surname_len[mums[j]])
    log.add("cs_yxzm", "新生儿/性别", "gender_format", [keys[j] for j in picked["gender_format"]])
    log.add("cs_yxzm", "新生儿/出生日期", "date_format", [keys[j] for j in picked["date_format"]])
    refs = [people.rkid[mums[j]] for j in picked["spelling"]]
    log.add("cs_yxzm", "母亲/姓名", "spelling", [keys[j] for j in picked["spelling"]], "hj_rk", "xm", refs)
    return rows


def allowances(rng: random.Random, people: People, row_start: int, log: DefectLog) -> dict[str, Any]:
    """db_dx rows (one per 50 people); ``None`` becomes a missing key in the JSON file."""
    m = len(people.sfzh) // 50
    members = rng.sample(people.clean, min(m, len(people.clean)))
    m = len(members)
    keys = [f"DB{vocab.CITY_CODE}{row_start + j:08d}" for j in range(m)]
    household = [rng.randint(1, 5) for _ in range(m)]
    rows: dict[str, Any] = {
        "dbzh": keys,
        "sfzh": [people.sfzh[i] for i in members],
        "xm": [people.xm[i] for i in members],
        "xb": [people.xb[i] for i in members],
        "csrq": [format_date(people.birth[i], "compact") for i in members],
        "jtrk": household,
        "bzje": [round(ALLOWANCE_PER_PERSON * n * rng.uniform(0.6, 1.0), 2) for n in household],
        "jzdz": [people.address[i] for i in members],
        "lxdh": [people.phone[i] if rng.random() < 0.95 else None for i in members],
        "bz": [rng.choice(_ALLOWANCE_NOTES) if rng.random() < 0.1 else None for _ in range(m)],
    }
    picked = pick(rng, range(m), {k: count(k, m) for k in ("null", "birth_mismatch")})
    for j in picked["null"]:
        rows["csrq"][j] = None
    for j in picked["birth_mismatch"]:
        rows["csrq"][j] = format_date(other_day(rng, people.birth[members[j]], TODAY), "compact")
    log.add("db_dx", "csrq", "null", [keys[j] for j in picked["null"]])
    log.add("db_dx", "csrq", "birth_mismatch", [keys[j] for j in picked["birth_mismatch"]])
    return rows
