#!/usr/bin/env python3
"""Writes qartod_golden.json: QARTOD flags computed by the ioos_qc reference implementation.

QualityControllerGoldenTests streams each series through QualityController and compares the settled
flags with these. Regenerate (the output is committed, the tests never run Python):

    python3 -m venv /tmp/qc && /tmp/qc/bin/pip install 'ioos_qc==2.3.0'
    /tmp/qc/bin/python Tests/EnvMonCoreTests/Fixtures/make_qartod_golden.py

Thresholds use QCThresholds' names; each test runs only when its thresholds are set, as in
QualityController. Times are whole-second epoch times; NaN values are written as null.
"""

import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from ioos_qc import __version__ as ioos_qc_version
from ioos_qc import qartod

START = 1_751_328_000  # 2025-07-01T00:00:00Z
NAN = float("nan")

WATER_TEMP_1MIN = {
    "fail_span": [-2.0, 40.0],
    "suspect_span": [14.0, 34.0],
    "spike_suspect": 1.0,
    "spike_fail": 3.0,
    "rate_of_change_per_second": 2.0 / 600,
    "flat_line_tolerance": 0.005,
    "flat_line_suspect_seconds": 600.0,
    "flat_line_fail_seconds": 1200.0,
}


def regular_times(count, interval, skip=()):
    """`count` times `interval` seconds apart, leaving out the slots in `skip`."""
    times, slot = [], 0
    while len(times) < count:
        if slot not in skip:
            times.append(START + slot * interval)
        slot += 1
    return times


def case_spikes():
    values = [round(28.40 + 0.02 * math.sin(i / 3.0), 3) for i in range(40)]
    values[10] += 1.6  # suspect spike; neighbours see half of it and pass
    values[20] += 3.5  # fail spike; neighbours see 1.75 and are suspect
    values[30] -= 4.0  # negative fail spike
    values[39] += 2.0  # the last point: spike stays unknown, rate of change sees it
    return {
        "name": "water_temp_spikes_1min",
        "description": "Sea temperature every minute with up and down spikes, one on the last point.",
        "interval_seconds": 60,
        "times": regular_times(40, 60),
        "values": [round(v, 3) for v in values],
        "thresholds": WATER_TEMP_1MIN,
    }


def case_flat_line():
    values = [27.0, 27.2, 27.5, 27.3, 27.6, 27.1, 27.45, 27.3]
    values += [27.40] * 16  # stuck logger
    values += [27.401, 27.403, 27.399, 27.402, 27.400, 27.404]  # jitter below the tolerance
    values += [27.5, 27.7, 27.6, 27.9, 28.0, 28.2]
    values += [28.2] * 7  # exactly one window (6 intervals) plus one point
    values += [28.4, 28.3]
    return {
        "name": "water_temp_flat_line_10min",
        "description": "Sea temperature every 10 minutes stuck at one value, then jittering below the tolerance.",
        "interval_seconds": 600,
        "times": regular_times(len(values), 600),
        "values": values,
        "thresholds": {
            **WATER_TEMP_1MIN,
            "flat_line_tolerance": 0.01,
            "flat_line_suspect_seconds": 3600.0,
            "flat_line_fail_seconds": 7200.0,
        },
    }


def case_fast_rise():
    values = [28.0 + 0.05 * i for i in range(6)]
    values += [values[-1] + 0.5 * (i + 1) for i in range(8)]  # 0.5 °C/min: rate of change
    values += [values[-1] + 0.1 * (i + 1) for i in range(10)]  # 0.1 °C/min: fine
    values += [values[-1] - 1.2, values[-1] - 1.25, values[-1] - 1.3]  # step down
    return {
        "name": "water_temp_fast_rise_1min",
        "description": "Sea temperature rising 0.5 °C per minute into the suspect range, then a step down.",
        "interval_seconds": 60,
        "times": regular_times(len(values), 60),
        "values": [round(v, 3) for v in values],
        "thresholds": WATER_TEMP_1MIN,
    }


def case_out_of_range():
    values = [28.0, 34.0, 34.01, 40.0, 40.5, 33.0, -2.0, -2.1, 14.0, 13.9, NAN, 27.0, 27.1, NAN, NAN, 27.2]
    values += [27.2, 27.25, 27.3, 27.3]
    return {
        "name": "water_temp_out_of_range_1min",
        "description": "Values on and beyond the inclusive gross range bounds, and NaN (missing) values.",
        "interval_seconds": 60,
        "times": regular_times(len(values), 60),
        "values": values,
        "thresholds": WATER_TEMP_1MIN,
    }


def case_partial_config():
    values = [30.1, 30.3, 30.2, 34.9, 30.4, NAN, 30.5, 30.6, 36.5, 36.4, 30.7, 42.5, 30.8, 30.8, 30.8, 30.8]
    return {
        "name": "salinity_gross_range_and_spike_only_10min",
        "description": "Salinity every 10 minutes with only gross range and a suspect-only spike test configured.",
        "interval_seconds": 600,
        "times": regular_times(len(values), 600),
        "values": values,
        "thresholds": {
            "fail_span": [0.0, 42.0],
            "suspect_span": [5.0, 36.0],
            "spike_suspect": 2.0,
        },
    }


def case_long_random():
    rng = np.random.default_rng(20250701)
    count = 400
    minutes = np.arange(count)
    base = 6.0 + 1.5 * np.sin(2 * np.pi * minutes / 720.0)
    noisy = base + rng.normal(0.0, 0.012, count)
    values = list(np.round(noisy, 1))  # 0.1 mg/L resolution: short flat windows happen by chance
    for i in range(150, 200):  # a stuck sensor for 50 minutes
        values[i] = values[149]
    for i, jump in [(60, 2.0), (61, -0.2), (240, -5.0), (300, 1.2), (301, 1.1)]:
        values[i] = round(values[i] + jump, 2)
    for i in (90, 91, 175, 320):
        values[i] = NAN
    return {
        "name": "dissolved_oxygen_long_1min",
        "description": "400 minutes of DO at 0.1 mg/L resolution: chance flat windows, a 50-minute stuck "
        "sensor, spikes, NaN values and one missing sample (a 2-minute gap).",
        "interval_seconds": 60,
        "times": regular_times(count, 60, skip={250}),
        "values": [float(v) for v in values],
        "thresholds": {
            "fail_span": [0.0, 20.0],
            "suspect_span": [1.0, 15.0],
            "spike_suspect": 0.5,
            "spike_fail": 1.5,
            "rate_of_change_per_second": 3.0 / 600,
            "flat_line_tolerance": 0.05,
            "flat_line_suspect_seconds": 600.0,
            "flat_line_fail_seconds": 1800.0,
        },
    }


def run(case):
    th = case["thresholds"]
    values = np.array(case["values"], dtype=np.float64)
    times = np.array(case["times"], dtype="datetime64[s]")
    expected = {}
    if "fail_span" in th:
        expected["gross_range"] = qartod.gross_range_test(values, th["fail_span"], th.get("suspect_span"))
    if "spike_suspect" in th or "spike_fail" in th:
        expected["spike"] = qartod.spike_test(
            values, th.get("spike_suspect"), th.get("spike_fail"), method="average"
        )
    if "rate_of_change_per_second" in th:
        expected["rate_of_change"] = qartod.rate_of_change_test(values, times, th["rate_of_change_per_second"])
    if "flat_line_tolerance" in th:
        expected["flat_line"] = qartod.flat_line_test(
            values, times, th["flat_line_suspect_seconds"], th["flat_line_fail_seconds"], th["flat_line_tolerance"]
        )
    expected["aggregate"] = qartod.qartod_compare(list(expected.values()))
    out = dict(case)
    out["values"] = [None if math.isnan(v) else v for v in case["values"]]
    out["expected"] = {name: [int(f) for f in np.ma.getdata(flags)] for name, flags in expected.items()}
    return out


def one_line_arrays(text):
    """Puts each array of numbers on one line, so the file reads (and diffs) series by series."""

    def join(match):
        return re.sub(r"\s+", " ", match.group(0)).replace("[ ", "[").replace(" ]", "]")

    return re.sub(r"\[[-0-9.e,\snul]*\]", join, text)


def main():
    cases = [case_spikes(), case_flat_line(), case_fast_rise(), case_out_of_range(), case_partial_config()]
    cases.append(case_long_random())
    fixture = {
        "generator": "make_qartod_golden.py",
        "ioos_qc_version": ioos_qc_version,
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "cases": [run(case) for case in cases],
    }
    path = Path(__file__).with_name("qartod_golden.json")
    path.write_text(one_line_arrays(json.dumps(fixture, indent=1, allow_nan=False)) + "\n")
    print(f"wrote {path} ({len(cases)} cases, ioos_qc {ioos_qc_version})")


if __name__ == "__main__":
    main()
