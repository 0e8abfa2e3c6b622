"""Sensor readings: jtj road-traffic detectors (``jt_llsj``, every 5 minutes) and sthjj air-quality
stations (``kq_jcsj``, hourly). Row counts scale with the population.

Both are generators yielding column batches of at most ``batch`` rows, so the large scale never holds
a whole table in memory; the air series is a per-station random walk carried across batches.
Raises nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import Any

from govdata.demo import vocab
from govdata.demo.defects import DefectLog, count, pick

START = dt.datetime(2025, 6, 1)
SENSORS = 20
# Relative traffic by hour of day: night lull, morning and evening peaks.
_HOURLY = (0.15, 0.1, 0.08, 0.08, 0.12, 0.3, 0.7, 1.3, 1.5, 1.0, 0.85, 0.9)
_HOURLY += (0.95, 0.9, 0.9, 0.95, 1.1, 1.45, 1.4, 1.0, 0.8, 0.6, 0.4, 0.25)
# GB 3095-2012 / HJ 633-2012 breakpoints: concentration → IAQI.
_IAQI = (0, 50, 100, 150, 200, 300, 400, 500)
_PM25 = (0, 35, 75, 115, 150, 250, 350, 500)
_PM10 = (0, 50, 150, 250, 350, 420, 500, 600)


def iaqi(value: float, breakpoints: tuple[int, ...]) -> int:
    for k in range(1, len(breakpoints)):
        if value <= breakpoints[k]:
            lo, hi = breakpoints[k - 1], breakpoints[k]
            return math.ceil(_IAQI[k - 1] + (_IAQI[k] - _IAQI[k - 1]) * (value - lo) / (hi - lo))
    return 500


def traffic_rows(people: int) -> int:
    return (people // 5) // SENSORS * SENSORS


def air_rows(people: int) -> int:
    return max(people // 20, len(vocab.STATIONS) * 24) // len(vocab.STATIONS) * len(vocab.STATIONS)


def traffic(
    rng: random.Random, people: int, log: DefectLog, batch: int = 100_000
) -> Iterator[dict[str, Any]]:
    """jt_llsj batches: 20 detectors × 5-minute steps; ``pjsd`` empty where a detector dropped out."""
    total = traffic_rows(people)
    sensors = [
        (f"JT{vocab.CITY_CODE}{k + 1:04d}", vocab.ROADS[k], vocab.DIRECTIONS[k % 4]) for k in range(SENSORS)
    ]
    volume = [rng.randint(30, 120) for _ in range(SENSORS)]
    free_speed = [rng.randint(45, 70) for _ in range(SENSORS)]
    per_batch = max(batch // SENSORS, 1) * SENSORS
    for first in range(0, total, per_batch):
        n = min(per_batch, total - first)
        rows: dict[str, list[Any]] = {
            c: [] for c in ("jlid", "sbbh", "dlmc", "fx", "cjsj", "cll", "pjsd", "zyl")
        }
        for r in range(first, first + n):
            step, k = divmod(r, SENSORS)
            ts = START + dt.timedelta(minutes=5 * step)
            cars = int(volume[k] * _HOURLY[ts.hour] * rng.uniform(0.8, 1.2))
            rows["jlid"].append(r + 1)
            rows["sbbh"].append(sensors[k][0])
            rows["dlmc"].append(sensors[k][1])
            rows["fx"].append(sensors[k][2])
            rows["cjsj"].append(ts.strftime("%Y-%m-%d %H:%M:%S"))
            rows["cll"].append(cars)
            rows["pjsd"].append(round(max(5.0, free_speed[k] - 0.2 * cars + rng.gauss(0, 3)), 1))
            rows["zyl"].append(round(min(100.0, cars * 0.35 + rng.uniform(0, 3)), 1))
        picked = pick(rng, range(n), {"null": count("null", n)})
        for j in picked["null"]:
            rows["pjsd"][j] = None
        log.add("jt_llsj", "pjsd", "null", [rows["jlid"][j] for j in picked["null"]])
        yield rows


def air(rng: random.Random, people: int, log: DefectLog, batch: int = 100_000) -> Iterator[dict[str, Any]]:
    """kq_jcsj batches: hourly readings of each station; ``pm25`` empty where the analyser failed."""
    stations = len(vocab.STATIONS)
    total = air_rows(people)
    level = [rng.uniform(20, 45) for _ in range(stations)]
    per_batch = max(batch // stations, 1) * stations
    columns = ("jlid", "zdbh", "zdmc", "jcsj", "aqi", "pm25", "pm10", "so2", "no2", "o3", "co", "sywrw")
    for first in range(0, total, per_batch):
        n = min(per_batch, total - first)
        rows: dict[str, list[Any]] = {c: [] for c in columns}
        for r in range(first, first + n):
            step, k = divmod(r, stations)
            ts = START + dt.timedelta(hours=step)
            level[k] = max(3.0, level[k] * 0.9 + 3.5 + rng.gauss(0, 5))
            pm25 = round(level[k], 1)
            pm10 = round(pm25 * rng.uniform(1.3, 1.8), 1)
            sun = max(0.0, math.sin(math.pi * (ts.hour - 6) / 14)) if 6 <= ts.hour <= 20 else 0.0
            i25, i10 = iaqi(pm25, _PM25), iaqi(pm10, _PM10)
            aqi = max(i25, i10)
            rows["jlid"].append(r + 1)
            rows["zdbh"].append(f"{vocab.CITY_CODE}A{k + 1:02d}")
            rows["zdmc"].append(vocab.STATIONS[k])
            rows["jcsj"].append(ts.strftime("%Y-%m-%d %H:%M:%S"))
            rows["aqi"].append(aqi)
            rows["pm25"].append(pm25)
            rows["pm10"].append(pm10)
            rows["so2"].append(round(rng.uniform(3, 12), 1))
            rows["no2"].append(round(rng.uniform(15, 35) + 25 * (1 - sun), 1))
            rows["o3"].append(round(30 + 130 * sun + rng.uniform(-10, 10), 1))
            rows["co"].append(round(rng.uniform(0.4, 1.1), 2))
            rows["sywrw"].append(None if aqi <= 50 else ("PM2.5" if i25 >= i10 else "PM10"))
        picked = pick(rng, range(n), {"null": count("null", n)})
        for j in picked["null"]:
            rows["pm25"][j] = None
        log.add("kq_jcsj", "pm25", "null", [rows["jlid"][j] for j in picked["null"]])
        yield rows
