#!/usr/bin/env python3
"""Cross-checks `monitor weigh data.sav -o weighted.sav` with pyreadstat (an independent reader built on the same
ReadStat C library, through pandas). Not run by the tests; needs `pip install pyreadstat`.

    python3 scripts/check-sav.py data.sav weighted.sav [--weight weight]

Checks that weighted.sav holds every case and variable of data.sav with the same values, variable labels,
value labels, user-missing values and ranges, plus the weight variable (numeric, labelled, positive where
filled), and prints a summary. Exit 1 on a difference.
"""
import argparse
import sys

import pyreadstat


def read(path):
    # user_missing=True keeps user-missing values as values (as `monitor` reads them), not NaN.
    return pyreadstat.read_sav(path, user_missing=True, apply_value_formats=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("original")
    parser.add_argument("weighted")
    parser.add_argument("--weight", default="weight")
    args = parser.parse_args()

    data, meta = read(args.original)
    out, out_meta = read(args.weighted)
    problems = []

    expected = list(meta.column_names) + [args.weight]
    if list(out_meta.column_names) != expected:
        problems.append(f"variables differ: {out_meta.column_names} instead of {expected}")
    for attribute in ["column_names_to_labels", "variable_value_labels", "missing_ranges", "variable_measure"]:
        before, after = getattr(meta, attribute), dict(getattr(out_meta, attribute))
        after.pop(args.weight, None)
        if before != after:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            problems.append(f"{attribute} differs for {', '.join(changed[:10])}")
    if len(out) != len(data):
        problems.append(f"{len(out)} cases instead of {len(data)}")
    else:
        for name in meta.column_names:
            a, b = data[name], out[name]
            same = (a.isna() & b.isna()) | (a == b)
            if not same.all():
                problems.append(f"values of {name} differ in {int((~same).sum())} cases (first: case {int((~same).idxmax()) + 1})")
    if args.weight in out:
        w = out[args.weight]
        label = out_meta.column_names_to_labels.get(args.weight)
        if not label:
            problems.append(f"{args.weight} has no variable label")
        if (w.dropna() <= 0).any():
            problems.append(f"{args.weight} has weights <= 0")
        print(f"{args.weighted}: {len(out)} cases, {len(out.columns)} variables; {args.weight} ({label!r}): "
              f"sum {w.sum():.6f}, min {w.min():.6f}, max {w.max():.6f}, {int(w.isna().sum())} empty")
    for p in problems:
        print(f"{args.weighted}: {p}", file=sys.stderr)
    if not problems:
        print("every variable, value, variable label, value label and missing definition of the original is kept")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
