#!/usr/bin/env python3
"""Round trip of `monitor tables --format xlsx` through LibreOffice.

    scripts/check-xlsx.py [--monitor PATH] [monitor tables arguments...]

Writes the workbook of the bundled data (or of the given `monitor tables` arguments), converts every sheet to
CSV with headless LibreOffice (`--convert-to csv`, all sheets), twice: once with the cells' full values and
once as shown. Then checks, for every table of `monitor tables --format json`:

- there is a sheet named after the table, with its title, base n and column headers (with column blocks: the
  block's label over its first group, the groups in the row below; Totaal in the first header row);
- every shown estimate is a number equal to the unrounded estimate (relative difference < 1e-12), and as
  shown it is the value `monitor tables` prints (rounded to the table's decimals, with its * and ▲ / ▼);
- suppressed cells are "–"; every group n is the integer n.

Needs LibreOffice (apt-get install -y libreoffice-calc-nogui); not part of the test suite (CI has none).
Exit status 0 when everything round-trips, 1 otherwise.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def monitor_command(args):
    if args and args[0] == "--monitor":
        return [args[1]], args[2:]
    built = os.path.join(ROOT, ".build-report", "debug", "monitor")
    if os.path.exists(built):
        return [built], args
    return ["swift", "run", "--package-path", ROOT, "monitor"], args


def convert(xlsx, outdir, as_shown):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        sys.exit("check-xlsx: LibreOffice not found; install it with: apt-get install -y libreoffice-calc-nogui")
    # Field separator, text delimiter, UTF-8, first line, cell format, language, quoted as text, detect special
    # numbers, save as shown, formulas, remove spaces, sheet (-1: every sheet to its own file).
    options = "44,34,UTF8,1,,0,false,true,{},false,false,-1".format("true" if as_shown else "false")
    subprocess.run([office, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):" + options, "--outdir", outdir, xlsx],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, HOME=outdir))
    sheets = {}
    stem = os.path.splitext(os.path.basename(xlsx))[0]
    for name in os.listdir(outdir):
        if name.startswith(stem + "-") and name.endswith(".csv"):
            with open(os.path.join(outdir, name), encoding="utf-8") as f:
                sheets[name[len(stem) + 1:-4]] = list(csv.reader(f))
    return sheets


def number(text):
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def round_half_away(x, decimals):
    scale = 10 ** decimals
    return (abs(x) * scale + 0.5) // 1 / scale * (1 if x >= 0 else -1)


def main():
    command, args = monitor_command(sys.argv[1:])
    failures = []
    work = tempfile.mkdtemp(prefix="check-xlsx-")
    try:
        xlsx = os.path.join(work, "tabellen.xlsx")
        subprocess.run(command + ["tables", "--quiet", "--format", "xlsx", "--output", xlsx] + args, check=True)
        tables = json.loads(subprocess.run(command + ["tables", "--quiet", "--format", "json"] + args, check=True,
                                           capture_output=True, text=True).stdout)
        if isinstance(tables, dict):
            tables = tables.get("tables", [])
        raw_dir, shown_dir = os.path.join(work, "raw"), os.path.join(work, "shown")
        os.makedirs(raw_dir)
        os.makedirs(shown_dir)
        raw, shown = convert(xlsx, raw_dir, False), convert(xlsx, shown_dir, True)
        checked = 0
        for table in tables:
            spec = table["spec"]
            name = ("Figuur " if spec.get("kind") == "figuur" else "Tabel ") + spec["id"]
            if name not in raw or name not in shown:
                failures.append(f"{name}: no sheet")
                continue
            sheet, visible = raw[name], shown[name]
            decimals = spec.get("decimals") or 0
            if sheet[0][0] != f"{name} {spec['title']}":
                failures.append(f"{name}: title row {sheet[0][:1]}")
            base = f"(n={table['base_n']:,})".replace(",", ".")
            if not sheet[1][0].endswith(base):
                failures.append(f"{name}: base {sheet[1][0]!r} does not end in {base}")
            columns = table["columns"]
            header = [c["label"] if c["block"] == "" else f"{c['block_label']}: {c['label']}" for c in columns]
            blocks = any(c["block"] != "" for c in columns)
            if blocks:
                got = []
                for c, column in enumerate(columns):
                    top, below = sheet[2][1 + c], sheet[3][1 + c]
                    first = c == 0 or columns[c - 1]["block"] != column["block"]
                    if column["block"] == "":
                        got.append(top if below == "" else "?")
                    else:
                        got.append(f"{top if first else got[-1].split(': ')[0]}: {below}")
            else:
                got = sheet[2][1:1 + len(columns)]
            if got != header:
                failures.append(f"{name}: header {got}")
            first_row = 4 if blocks else 3
            for r, row in enumerate(table["rows"]):
                line, line_shown = sheet[first_row + r], visible[first_row + r]
                if line[0] != row["label"]:
                    failures.append(f"{name}: row {r + 1} is {line[0]!r}, expected {row['label']!r}")
                    continue
                for c, column in enumerate(columns):
                    cell = next((x for x in table["cells"] if x["row"] == row["key"] and x["block"] == column["block"]
                                 and x["column"] == column["code"]), None)
                    if cell is None:
                        continue
                    text, text_shown = line[1 + c], line_shown[1 + c]
                    estimate = cell.get("estimate")
                    where = f"{name} {row['label']} / {header[c]}"
                    if estimate is None:
                        if text != "–":
                            failures.append(f"{where}: suppressed cell is {text!r}")
                        continue
                    value = number(text)
                    if abs(value - estimate) > 1e-12 * max(1.0, abs(estimate)):
                        failures.append(f"{where}: {value!r} != {estimate!r}")
                    marks = ("*" if cell["flag"] == "indicatief" else "") + {"higher": " ▲", "lower": " ▼"}.get(cell.get("verdict"), "")
                    if not text_shown.endswith(marks):
                        failures.append(f"{where}: shown {text_shown!r} without its marks {marks!r}")
                    text_shown = text_shown[:len(text_shown) - len(marks)] if marks else text_shown
                    if cell["statistic"] == "percent":
                        expected = round_half_away(estimate * 100, decimals)
                        got = float(text_shown.rstrip("%"))
                    else:
                        expected = round_half_away(estimate, max(decimals, 1))
                        got = float(text_shown)
                    if abs(got - expected) > 1e-9:
                        failures.append(f"{where}: shown {text_shown!r}, monitor tables prints {expected}")
                    checked += 1
            n_line = sheet[first_row + len(table["rows"])]
            if n_line[0] != "n" or [int(float(x)) for x in n_line[1:1 + len(columns)]] != [c["n"] for c in columns]:
                failures.append(f"{name}: n row {n_line}")
        print(f"check-xlsx: {len(tables)} tables, {len(raw)} sheets, {checked} numbers round-tripped through LibreOffice")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures[:50]:
        print("check-xlsx: FAIL " + f, file=sys.stderr)
    if failures:
        print(f"check-xlsx: {len(failures)} failures", file=sys.stderr)
        return 1
    print("check-xlsx: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
