"""End-to-end benchmark: the same table job in monitor and in its peers, alternating; see scripts/bench/run.

Runs every tool's job --repeat times, in turn (monitor, polars, duckdb, pandas, R survey, monitor, ...), measures
each run's wall time and peak RSS (wait4 on the child), checks that every tool's percentages, group n's and
group-vs-rest verdicts and p-values equal monitor's, and prints (and writes to bench-data/results.md) a table:
tool, rows, median wall time, peak RSS, ratio to monitor on the same file.
"""

import argparse
import csv
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FRAME = os.path.join(ROOT, "data", "frames", "ambtsdragers-2024-uitgenodigd.csv")
ATTITUDE_ITEMS = 0  # the codebook has 101 columns, about the width of the real questionnaire (it had 72 + 28 items)
ESTIMATE_TOLERANCE = 1e-9
P_TOLERANCE = 1e-6


def data_file(monitor, data_dir, rows):
    path = os.path.join(data_dir, f"ambtsdragers-{rows}.csv")
    if not os.path.exists(path):
        print(f"bench: generating {path} (monitor synth, {rows:,} rows, 100 columns; once)", flush=True)
        subprocess.run([monitor, "synth", "--survey", "ambtsdragers", "--seed", "2024", "--n", str(rows), "--iterations", "0",
                        "--attitude-items", str(ATTITUDE_ITEMS), "-o", path], check=True)
    return path


def commands(tool, monitor, data, out, job="tables"):
    py = sys.executable
    if job in ("estimate", "test"):
        # Issue 21: an ad hoc estimate (or the groups' tests) on a survey file, post-stratified by flags (polars: the
        # point estimates and n's only).
        if tool == "monitor":
            return [monitor, job, data, "--var", "slachtoffer", "--by", "geslacht", "--cell", "bestuurslaag,functie",
                    "--frame", FRAME, "-o", out, "-q"]
        if tool == "polars":
            return [py, os.path.join(HERE, "job_estimate_polars.py"), data, FRAME, out]
        raise ValueError(f"the {job} job runs monitor and polars, not {tool}")
    if tool == "monitor":
        return [monitor, "tables", data, "--survey", "ambtsdragers", "--specs", os.path.join(HERE, "specs"), "--format", "csv",
                "-o", out, "-q"]
    if tool in ("polars", "duckdb", "pandas"):
        return [py, os.path.join(HERE, f"job_{tool}.py"), data, FRAME, out]
    if tool == "R survey":
        return ["Rscript", os.path.join(HERE, "job_survey.R"), data, FRAME, out]
    raise ValueError(tool)


def run(cmd):
    """Wall seconds and peak RSS (MiB) of one run of cmd."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def read(path, monitor_format):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if monitor_format and r.get("flag") == "published":
                continue
            rows[(r["table"], r["row"], r["block"], r["column"])] = r
    return rows


def number(text):
    if text in ("", "NA", "nan", "NaN", None):
        return float("nan")
    return float(text)


def read_estimates(path, job="estimate"):
    """Per group ("" the whole sample): n and estimate; from `monitor test`, each group's row against the rest."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "test" in rows[0]:
        return {r["group"]: r for r in rows if r["test"] == "group_vs_rest" and r["level"] == ""}
    out = {r["group"]: r for r in rows if r.get("level", "") == ""}
    if job == "test":
        out.pop("", None)
    return out


def compare_estimates(reference, other):
    """The estimate job: per group (and the whole sample), n equal and the weighted share to ESTIMATE_TOLERANCE."""
    out = {"cells": len(reference), "missing": 0, "n": 0, "estimate": 0.0, "p": 0.0, "verdict": 0, "tested": 0, "extra": 0}
    for key, a in reference.items():
        b = other.get(key)
        if b is None:
            out["missing"] += 1
            continue
        if int(a["n"]) != int(b["n"]):
            out["n"] += 1
        out["estimate"] = max(out["estimate"], abs(number(a["estimate"]) - number(b["estimate"])))
    out["extra"] = len(set(other) - set(reference))
    out["ok"] = out["missing"] == 0 and out["extra"] == 0 and out["n"] == 0 and out["estimate"] <= ESTIMATE_TOLERANCE
    return out


def compare(reference, other):
    """Differences of a peer's output from monitor's: cells, n's, estimates, p-values, verdicts."""
    out = {"cells": len(reference), "missing": 0, "n": 0, "estimate": 0.0, "p": 0.0, "verdict": 0, "tested": 0}
    for key, a in reference.items():
        b = other.get(key)
        if b is None:
            out["missing"] += 1
            continue
        if int(float(a["n"])) != int(float(b["n"])):
            out["n"] += 1
        ea, eb = number(a["estimate"]), number(b["estimate"])
        if not (ea != ea and eb != eb):
            out["estimate"] = max(out["estimate"], abs(ea - eb) if ea == ea and eb == eb else float("inf"))
        if a["verdict"]:
            out["tested"] += 1
            if a["verdict"] != b["verdict"]:
                out["verdict"] += 1
            pa, pb = number(a["p_value"]), number(b["p_value"])
            if not (pa != pa and pb != pb):
                out["p"] = max(out["p"], abs(pa - pb) if pa == pa and pb == pb else float("inf"))
    out["extra"] = len(set(other) - set(reference))
    out["ok"] = (out["missing"] == 0 and out["extra"] == 0 and out["n"] == 0 and out["estimate"] <= ESTIMATE_TOLERANCE
                 and out["verdict"] == 0 and out["p"] <= P_TOLERANCE)
    return out


def capture(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return "?"


def environment(monitor):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) / 1024 / 1024
    swift = capture(["swift", "--version"]).splitlines()
    py = capture([sys.executable, "-c", "import sys, pandas, polars, duckdb, numpy, scipy; print(sys.version.split()[0], pandas.__version__, "
                  "polars.__version__, duckdb.__version__, numpy.__version__, scipy.__version__)"]).split()
    r = capture(["Rscript", "-e", "cat(paste(R.version$major, R.version$minor, sep='.'), as.character(packageVersion('survey')), "
                 "as.character(packageVersion('data.table')))"]).split()
    return {
        "machine": f"{os.cpu_count()} cores ({cpu}), {mem:.1f} GiB RAM, {platform.system()} {platform.release()}",
        "swift": next((line for line in swift if "Swift version" in line), "?"),
        "python": py[0] if py else "?",
        "pandas": py[1] if len(py) > 1 else "?", "polars": py[2] if len(py) > 2 else "?", "duckdb": py[3] if len(py) > 3 else "?",
        "numpy": py[4] if len(py) > 4 else "?", "scipy": py[5] if len(py) > 5 else "?",
        "R": r[0] if r else "?", "survey": r[1] if len(r) > 1 else "?", "data.table": r[2] if len(r) > 2 else "?",
        "load": open("/proc/loadavg").read().split()[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--monitor", required=True, help="the monitor binary (release build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tools", default="monitor,polars,duckdb,pandas,R survey",
                        help="comma-separated subset of: monitor, polars, duckdb, pandas, R survey")
    parser.add_argument("--r-max-rows", type=int, default=100_000,
                        help="R survey runs on at most this many rows (it needs minutes per run on 1M); 0: no limit")
    parser.add_argument("--data-dir", default=os.path.join(ROOT, "bench-data"))
    parser.add_argument("--job", choices=["tables", "estimate", "test"], default="tables",
                        help="tables: the four tables with tests (all peers); estimate (test): `monitor estimate (test) --var "
                             "slachtoffer --by geslacht --cell bestuurslaag,functie --frame F` against polars' point estimates (issue 21)")
    args = parser.parse_args()
    if args.job != "tables" and args.tools == parser.get_default("tools"):
        args.tools = "monitor,polars"
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    os.makedirs(args.data_dir, exist_ok=True)
    out_dir = os.path.join(args.data_dir, "out")
    os.makedirs(out_dir, exist_ok=True)

    # Which file each tool runs on; R falls back to the smaller file, and monitor is then timed on it too.
    rows_of = {t: args.rows for t in tools}
    notes = []
    if "R survey" in tools and args.r_max_rows and args.rows > args.r_max_rows:
        rows_of["R survey"] = args.r_max_rows
        notes.append(f"R survey runs on the {args.r_max_rows:,}-row file: on {args.rows:,} rows one run takes minutes "
                     f"(it is compared with monitor on the same file; --r-max-rows 0 runs it on {args.rows:,} rows).")
    jobs = [(t, rows_of[t]) for t in tools]
    if "monitor" in tools:
        for r in sorted(set(rows_of.values())):
            if ("monitor", r) not in jobs:
                jobs.insert(jobs.index(next(j for j in jobs if j[1] == r)), ("monitor", r))
    files = {r: data_file(args.monitor, args.data_dir, r) for r in sorted(set(r for _, r in jobs))}
    for r, path in files.items():
        print(f"bench: {path}: {os.path.getsize(path) / 1e6:.1f} MB", flush=True)

    times = {j: [] for j in jobs}
    rss = {j: [] for j in jobs}
    checks = {}
    for k in range(args.repeat):
        for tool, r in jobs:
            out = os.path.join(out_dir, f"{args.job}-{tool.replace(' ', '-')}-{r}.csv" if args.job != "tables" else f"{tool.replace(' ', '-')}-{r}.csv")
            wall, mib = run(commands(tool, args.monitor, files[r], out, args.job))
            times[(tool, r)].append(wall)
            rss[(tool, r)].append(mib)
            print(f"bench: run {k + 1}/{args.repeat} {tool:9} {r:>9,} rows  {wall:7.2f} s  {mib:7.0f} MiB", flush=True)
        if k == 0 and "monitor" in tools:
            for tool, r in jobs:
                if tool == "monitor":
                    continue
                prefix = "" if args.job == "tables" else args.job + "-"
                mine = os.path.join(out_dir, f"{prefix}monitor-{r}.csv")
                theirs = os.path.join(out_dir, f"{prefix}{tool.replace(' ', '-')}-{r}.csv")
                if args.job in ("estimate", "test"):
                    checks[(tool, r)] = compare_estimates(read_estimates(mine, args.job), read_estimates(theirs, args.job))
                else:
                    checks[(tool, r)] = compare(read(mine, True), read(theirs, False))

    env = environment(args.monitor)
    median = {j: statistics.median(v) for j, v in times.items()}
    header = ["tool", "rows", "median wall (s)", "min–max (s)", "peak RSS (MiB)", "× monitor", "agrees with monitor"]
    table = []
    for tool, r in jobs:
        ratio = median[(tool, r)] / median[("monitor", r)] if ("monitor", r) in median else float("nan")
        c = checks.get((tool, r))
        if tool == "monitor":
            agree = "reference"
        elif c is None:
            agree = "not checked"
        else:
            agree = (("yes" if c["ok"] else "NO") + f": {c['cells']} cells, n's {'equal' if c['n'] == 0 else 'DIFFER (%d)' % c['n']}, "
                     f"max |Δ%| {c['estimate']:.1e}, {c['tested'] - c['verdict']}/{c['tested']} verdicts, max |Δp| {c['p']:.1e}")
        table.append([tool, f"{r:,}", f"{median[(tool, r)]:.2f}", f"{min(times[(tool, r)]):.2f}–{max(times[(tool, r)]):.2f}",
                      f"{max(rss[(tool, r)]):.0f}", f"{ratio:.2f}", agree])

    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in table]
    files_note = ", ".join(f"{os.path.basename(p)} ({os.path.getsize(p) / 1e6:.0f} MB)" for p in files.values())
    text = "\n".join([
        f"# Benchmark results ({time.strftime('%Y-%m-%d %H:%M')})",
        "",
        (f"Job: 4 tables (scripts/bench/specs), {args.repeat} runs per tool, alternating; files: {files_note}." if args.job == "tables" else
         f"Job: {args.job} slachtoffer by geslacht, post-stratified by bestuurslaag,functie (polars: point estimates and n only), "
         f"{args.repeat} runs per tool, alternating; files: {files_note}."),
        "",
        *lines,
        "",
        *[f"- {n}" for n in notes],
        f"- Machine: {env['machine']}; load average before the summary {env['load']}.",
        f"- Versions: {env['swift']}; Python {env['python']} (pandas {env['pandas']}, polars {env['polars']}, duckdb {env['duckdb']}, "
        f"numpy {env['numpy']}, scipy {env['scipy']}); R {env['R']} (survey {env['survey']}, data.table {env['data.table']}).",
        f"- Agreement: percentages to {ESTIMATE_TOLERANCE:g}, p-values to {P_TOLERANCE:g}, n's and verdicts exactly, "
        "against monitor's tidy CSV on the same file.",
        "",
    ])
    print()
    print(text)
    with open(os.path.join(args.data_dir, "results.md" if args.job == "tables" else f"results-{args.job}.md"), "w") as f:
        f.write(text)
    if any(not c["ok"] for c in checks.values()):
        print("bench: some tool disagrees with monitor (see the table)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
