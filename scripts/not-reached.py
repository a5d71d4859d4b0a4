#!/usr/bin/env python3
"""List the published figures the bundled synthetic files do not reproduce (calibration shortfalls).

Runs `monitor reproduce --format csv` (or reads its output from --input) and writes
data/published/not-reached.csv (`id,reason`): every figure whose status is `differs` or `not_reached`, and every
explicit (SIG-E) statement that does not hold, with what was printed and what the bundled file gives. These are
shortfalls of the calibration (docs/synthesis.md), not inconsistencies of the report (those are in
irreconcilable.csv and docs/errata.md). `monitor reproduce` reports them as `not_reached` and does not fail on
them, so CI still fails on any new difference. Regenerate after regenerating the bundled files.

Usage: python3 scripts/not-reached.py [--monitor PATH] [--input CSV]
"""
import argparse
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "published", "not-reached.csv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--monitor", default=os.path.join(ROOT, ".build", "release", "monitor"))
    ap.add_argument("--input")
    args = ap.parse_args()
    if os.path.exists(OUT):
        os.remove(OUT)  # judge the files without the previous list
    if args.input:
        text = open(args.input, encoding="utf-8").read()
    else:
        run = subprocess.run([args.monitor, "reproduce", "--format", "csv", "--quiet"], cwd=ROOT,
                             capture_output=True, text=True)
        text = run.stdout
        if not text.startswith("kind,"):
            sys.exit("not-reached: monitor reproduce failed:\n" + run.stderr)
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        if r["kind"] == "figure" and r["status"] in ("differs", "not_reached"):
            reached = f"{float(r['reproduced']):.2f}" if r["reproduced"] else "none"
            rows.append((r["id"], f"printed {r['published'] or '-'}, bundled file {reached}: {r['reason']}"))
        elif r["kind"] == "statement" and r["id"].startswith("SIG-E") and r["status"] == "not_held":
            rows.append((r["id"], f"report: {r['published']}, bundled file: {r['reproduced']} (p = {r['difference']})"))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "reason"])
        w.writerows(rows)
    print(f"wrote {OUT}: {len(rows)} figures and statements not reached")


if __name__ == "__main__":
    main()
