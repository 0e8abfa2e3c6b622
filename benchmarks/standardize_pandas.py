"""The same standardization spec in pandas — what a bureau would otherwise script — for
``benchmarks.standardize``. Runs in any interpreter with pandas and pyarrow (no govdata import):
``python benchmarks/standardize_pandas.py '{"files": [...], "codes": {...}, "out": "..."}'``.
Prints one JSON line: seconds, rows in and out, unparseable values per column, peak RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import pandas as pd

_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_DATE = (
    r"^(?P<y>[0-9]{4})(?:(?P<m1>[0-9]{2})(?P<d1>[0-9]{2})|\s*[-/.]\s*(?P<m2>[0-9]{1,2})\s*[-/.]\s*(?P<d2>[0-9]{1,2})"
    r"(?:[ T].*)?|\s*年\s*(?P<m3>[0-9]{1,2})\s*月\s*(?P<d3>[0-9]{1,2})\s*日?)$"
)


def stripped(s: pd.Series) -> pd.Series:
    return s.str.translate(_HALF).str.strip()


def id_number_18(s: pd.Series) -> pd.Series:
    v = stripped(s).str.upper()
    old = v.str.fullmatch(r"[0-9]{15}").fillna(False).astype(bool)
    b = v[old]
    total = sum(b.str[i].astype("int64") * _W[i] for i in range(6))
    total = total + sum(b.str[j].astype("int64") * _W[j + 2] for j in range(6, 15))
    check = (total % 11).map(dict(enumerate("10X98765432")))
    v = v.copy()
    v[old] = b.str[:6] + "19" + b.str[6:] + check
    return v.where(v != "")


def date(s: pd.Series) -> pd.Series:
    p = stripped(s).str.extract(_DATE)
    m = p["m1"].fillna(p["m2"]).fillna(p["m3"])
    d = p["d1"].fillna(p["d2"]).fillna(p["d3"])
    day = pd.to_datetime(p["y"] + "-" + m + "-" + d, format="%Y-%m-%d", errors="coerce")
    return day.dt.strftime("%Y%m%d").where(day.notna())


def phone(s: pd.Series) -> pd.Series:
    t = stripped(s)
    n = s.str.translate(_HALF).str.replace(r"[\s-]", "", regex=True)
    ok = n.str.fullmatch(r"(?:\+?86)?1[3-9][0-9]{9}").fillna(False).astype(bool)
    return n.str[-11:].where(ok, t.where(t != ""))


def person_name(s: pd.Series) -> pd.Series:
    c = s.str.translate(_HALF).str.replace(r"\s+", " ", regex=True).str.strip()
    latin = c.str.contains(r"[A-Za-z]", regex=True).fillna(False).astype(bool)
    return c.where(latin, c.str.replace(" ", "", regex=False)).where(c != "")


def main() -> None:
    args = json.loads(sys.argv[1])
    started = time.perf_counter()
    raw = pd.concat([pd.read_parquet(f, engine="pyarrow") for f in args["files"]], ignore_index=True)
    codes = args["codes"]
    out = pd.DataFrame(
        {
            "sfzh": id_number_18(raw["sfzh"]),
            "xm": person_name(raw["xm"]),
            "xb": stripped(raw["xb"]).str.lower().map(codes),
            "csrq": date(raw["csrq"]),
            "sjhm": phone(raw["sjhm"]),
            "_source_row": raw["_source_row"],
        }
    )
    keyed = out[out["sfzh"].notna()].sort_values("_source_row").drop_duplicates("sfzh", keep="last")
    result = pd.concat([keyed, out[out["sfzh"].isna()]])
    kept = raw.loc[result.index]  # the unparseable values among the rows written
    bad = {
        c: int((result[c].isna() & stripped(kept[c]).fillna("").ne("")).sum())
        for c in ("sfzh", "xm", "xb", "csrq", "sjhm")
    }
    result.to_parquet(args["out"], engine="pyarrow", index=False)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "rows": len(raw), "rows_out": len(result), "unparseable": bad, "rss_mb": rss}
        )
    )


if __name__ == "__main__":
    main()
