#!/usr/bin/env python3
"""Read speed of an SPSS file against the CSV of the same data (docs/performance.md, "SPSS input").

    python3 scripts/bench/sav_speed.py [--rows 100000] [--repeat 5] [--monitor .build/release/monitor]

Makes bench-data/sav-<rows>.sav (row-compressed, as SPSS saves by default) and bench-data/sav-<rows>.csv from
the bundled ambtsdragers file repeated to <rows> respondents, written as a fieldwork agency delivers it: numbered
codes with the codes as value labels, the missing codes as user-missing 98, 99 and -1 (pyreadstat writes the
.sav; the CSV holds the same values). `monitor map --init` drafts the mapping from the .sav, and both files are
timed (median wall time) with `monitor describe` (every column, no codebook) and `monitor tables` (the
ambtsdragers catalogue through the mapping). Needs `pip install pyreadstat pandas`.
"""
import argparse
import os
import statistics
import subprocess
import time

import pandas as pd
import pyreadstat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MISSING = {"weet_niet": 98.0, "wil_niet_zeggen": 99.0, "nvt": -1.0}


def make(rows, out_dir):
    sav = os.path.join(out_dir, f"sav-{rows}.sav")
    csv = os.path.join(out_dir, f"sav-{rows}.csv")
    if os.path.exists(sav) and os.path.exists(csv):
        return sav, csv
    base = pd.read_csv(os.path.join(ROOT, "data/monitor-2024-ambtsdragers.csv"), dtype=str, keep_default_na=False)
    copies = -(-rows // len(base))
    frame = pd.concat([base] * copies, ignore_index=True).iloc[:rows].copy()
    frame["respondent_id"] = [f"R{i:07d}" for i in range(len(frame))]
    labels, missing = {}, {}
    for name in frame.columns:
        column = frame[name]
        if name in ("respondent_id", "gemeentecode"):
            continue
        numeric = pd.to_numeric(column.replace("", None), errors="coerce")
        text = column[(column != "") & numeric.isna()]
        if text.empty:
            frame[name] = numeric
            continue
        codes = sorted(set(text) - set(MISSING))
        number = {code: float(k + 1) for k, code in enumerate(codes)}
        number.update(MISSING)
        frame[name] = column.map(lambda v: number.get(v, float("nan")) if v != "" else float("nan"))
        frame[name] = frame[name].where(numeric.isna() | (column == ""), numeric)
        labels[name] = {value: code for code, value in number.items()}
        missing[name] = [98.0, 99.0, -1.0]
    pyreadstat.write_sav(frame, sav, variable_value_labels=labels, missing_ranges=missing, row_compress=True)
    frame.to_csv(csv, index=False, float_format="%.15g")
    return sav, csv


def timed(command, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--monitor", default=os.path.join(ROOT, ".build/release/monitor"))
    args = parser.parse_args()
    out_dir = os.path.join(ROOT, "bench-data")
    os.makedirs(out_dir, exist_ok=True)
    sav, csv = make(args.rows, out_dir)
    mapping = os.path.join(out_dir, f"sav-{args.rows}-map.yaml")
    subprocess.run([args.monitor, "map", "--init", sav, "--survey", "ambtsdragers", "-o", mapping, "-q"], check=True)
    print(f"{args.rows} respondents; .sav {os.path.getsize(sav) / 1e6:.1f} MB, CSV {os.path.getsize(csv) / 1e6:.1f} MB; "
          f"median of {args.repeat}")
    for job, extra in [("describe (all columns)", ["describe"]),
                       ("tables (catalogue, --map)", ["tables", "--survey", "ambtsdragers", "--map", mapping, "--format", "csv"])]:
        results = {}
        for kind, path in [("csv", csv), ("sav", sav)]:
            command = [args.monitor, extra[0], path] + extra[1:] + ["-q", "-o", os.path.join(out_dir, "sav-speed.out")]
            results[kind] = timed(command, args.repeat)
        print(f"| {job} | {results['csv']:.3f} s | {results['sav']:.3f} s | {results['sav'] / results['csv']:.2f} |")


if __name__ == "__main__":
    main()
