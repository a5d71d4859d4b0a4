#!/usr/bin/env python3
"""Check the built-in table catalogue (data/tables/<survey>/<key>.yaml) against the codebooks and the
published reference figures.

Python 3 + PyYAML (`pip install pyyaml`). For every specification it checks

- the keys: the required ones are present, no unknown key at any level, values of the right type;
- survey / kind / family / test are known values; the file is data/tables/<survey>/<key>.yaml with key
  T<id> (tabel) or F<id> (figuur); (survey, kind, id) is unique;
- every variable (rows, column blocks, base filter) exists in the survey's codebook, derived variables
  included, and has a usable type (rows: categorical, binary or numeric; columns and filters: categorical
  or binary); every level, label key, exclude code and filter code is a code of that variable (a derived
  `any` variable has 0/1; recode/bands variables have the codes listed in the codebook's derived
  definition); the survey's missing codes are accepted where the engine accepts them (levels, exclude,
  filter);
- a numeric row has `statistic: mean`, and `mean` only goes with a numeric variable; `frame` and `rate`
  rows name an existing frame file (`frame:`, relative to data/), and only they;
- row keys (the row's `name` or variable, or name=level for each level of a categorical row; one key for a
  response row without levels) are unique, and a column
  block's variable appears once;
- previous waves: `row` is one of the table's row keys, `column` is "" (needs a `total` block) or a code
  of exactly one column block, the figure has `percent` for a percentage row or `mean` for a mean row,
  and `n` is a positive integer when given;
- published: every id exists in the reference CSV and belongs to the same survey, with no duplicates
  (an id whose year is not 2024 is reported as a warning: `published` lists the 2024 figures the table
  reproduces; earlier waves go in `previous`).

It prints a summary (tables per survey and family, and one line per table) and exits 1 on any problem.

Usage: python3 scripts/check-table-specs.py [--specs DIR] [--codebooks DIR] [--reference CSV] [--uncovered]
       --uncovered also lists the 2024 reference figures of the four families that no table lists.
"""
import argparse
import collections
import csv
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check-table-specs: PyYAML is missing (pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPECS = os.path.join(ROOT, "data", "tables")
DEFAULT_CODEBOOKS = os.path.join(ROOT, "data", "codebook")
DEFAULT_REFERENCE = os.path.join(ROOT, "data", "published", "monitor-2024-published.csv")

SURVEYS = ("ambtsdragers", "medewerkers", "organisaties")
KINDS = {"tabel": "T", "figuur": "F"}
FAMILIES = ("prevalence", "severity", "reporting", "aangifte")
# Tables on the aggression's circumstances and attitudes (the significance statements cover them too); their
# published figures are not among the four families' 552.
SPEC_FAMILIES = FAMILIES + ("context", "response")
TESTS = ("group_vs_rest", "none")
STATISTICS = ("percent", "mean", "count", "share", "frame", "rate")
# Rows that describe the response (unweighted counts, shares, frame totals, rates: docs/tables.md).
RESPONSE_STATISTICS = ("count", "share", "frame", "rate")

TOP_KEYS = {"id", "kind", "survey", "family", "title", "base", "rows", "columns", "decimals", "test", "previous",
            "source", "published", "notes"}
REQUIRED = ("id", "kind", "survey", "family", "title", "base", "rows", "columns", "source")
BASE_KEYS = {"label", "filter"}
ROW_KEYS = {"variable", "name", "label", "levels", "labels", "exclude", "statistic", "frame"}
COLUMN_KEYS = {"by", "label", "levels", "labels"}
WAVE_KEYS = {"wave", "figures"}
FIGURE_KEYS = {"row", "column", "percent", "mean", "n"}
ID_PATTERN = re.compile(r"^[0-9]+(\.[0-9]+)+$")


# ----------------------------------------------------------------------------------------------- YAML
class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (PyYAML keeps the last one silently)."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=UniqueKeyLoader)


# ----------------------------------------------------------------------------------------------- codebook
class Codebook:
    """Variables of one survey: name -> (type, own codes). Derived variables included."""

    def __init__(self, path):
        doc = load_yaml(path)
        self.survey = doc["survey"]
        self.missing = [str(m["code"]) for m in doc.get("missing", [])]
        self.vars = {}
        for v in doc.get("variables", []):
            t = v["type"]
            if t == "categorical":
                codes = [str(x["code"]) for x in v.get("values", [])]
            elif t == "binary":
                codes = ["1", "0"]
            else:
                codes = None
            self.vars[v["name"]] = (t, codes, "variable")
        for d in doc.get("derived", []):
            if "any" in d:
                self.vars[d["name"]] = ("binary", ["1", "0"], "derived")
            elif "recode" in d or "bands" in d:
                self.vars[d["name"]] = ("categorical", [str(x["code"]) for x in d.get("values", [])], "derived")
            elif "recode" in d or "bands" in d or "cases" in d:
                self.vars[d["name"]] = ("categorical", [str(x["code"]) for x in d.get("values", [])], "derived")
            elif "count" in d or "complement" in d:
                self.vars[d["name"]] = ("numeric", None, "derived")
            else:
                raise ValueError(f"{path}: derived variable {d.get('name')} has no known kind")
        self.sets = {s["name"] for s in doc.get("sets", [])}

    def type_of(self, name):
        return self.vars[name][0] if name in self.vars else None

    def codes(self, name):
        return self.vars[name][1]


# ----------------------------------------------------------------------------------------------- checks
class Problems:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"{where}: {msg}")


def is_str_list(x):
    return isinstance(x, list) and all(isinstance(e, str) for e in x)


def is_str_map(x):
    return isinstance(x, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in x.items())


def check_codes(p, where, what, codes, allowed, extra=()):
    """Every code in `codes` must be in allowed (+ extra); codes must be strings (quote "1", "0")."""
    ok = list(allowed) + list(extra)
    for c in codes:
        if not isinstance(c, str):
            p.error(where, f"{what}: code {c!r} is not a string (quote codes such as \"1\")")
        elif c not in ok:
            p.error(where, f"{what}: no code {c!r} (codes: {', '.join(repr(x) for x in allowed)})")


def row_keys(row, cb):
    """The table-row keys a row entry produces: its name (default the variable), or name=level for a categorical
    row; a response row (count, share, frame, rate) without levels is one row."""
    name = row.get("variable")
    key = row.get("name") or name
    t = cb.type_of(name)
    if row.get("statistic") in RESPONSE_STATISTICS and row.get("levels") is None:
        return [key]
    if t == "categorical" or (t == "binary" and row.get("levels") is not None):
        levels = row.get("levels") or cb.codes(name) or []
        return [f"{key}={lv}" for lv in levels if isinstance(lv, str)]
    return [key]


def check_spec(path, spec, cbs, ref, p):
    rel = os.path.relpath(path, ROOT) if path.startswith(ROOT) else path
    if not isinstance(spec, dict):
        p.error(rel, "not a mapping")
        return None
    for k in spec:
        if k not in TOP_KEYS:
            p.error(rel, f"unknown key {k!r} (allowed: {', '.join(sorted(TOP_KEYS))})")
    for k in REQUIRED:
        if k not in spec:
            p.error(rel, f"missing required key {k!r}")
    if any(k not in spec for k in ("id", "kind", "survey", "rows", "columns", "base")):
        return None

    sid, kind, survey, family = spec["id"], spec["kind"], spec["survey"], spec.get("family")
    if not isinstance(sid, str) or not ID_PATTERN.match(sid):
        p.error(rel, f"id {sid!r} must be a quoted report number such as \"2.14\"")
    if kind not in KINDS:
        p.error(rel, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if survey not in SURVEYS:
        p.error(rel, f"survey {survey!r} is not one of {', '.join(SURVEYS)}")
        return None
    if family not in SPEC_FAMILIES:
        p.error(rel, f"family {family!r} is not one of {', '.join(SPEC_FAMILIES)}")
    if not isinstance(spec.get("title"), str) or not spec["title"].strip():
        p.error(rel, "title must be a non-empty string")
    if not isinstance(spec.get("source"), str) or not spec["source"].strip():
        p.error(rel, "source must be a non-empty string")
    if "notes" in spec and not isinstance(spec["notes"], str):
        p.error(rel, "notes must be a string")
    if "decimals" in spec and (not isinstance(spec["decimals"], int) or isinstance(spec["decimals"], bool)
                               or not 0 <= spec["decimals"] <= 3):
        p.error(rel, f"decimals {spec['decimals']!r} must be an integer 0-3")
    if "test" in spec and spec["test"] not in TESTS:
        p.error(rel, f"test {spec['test']!r} is not one of {', '.join(TESTS)}")

    # file location: data/tables/<survey>/<key>.yaml
    key = f"{KINDS.get(kind, '?')}{sid}"
    folder = os.path.basename(os.path.dirname(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    if folder != survey:
        p.error(rel, f"survey {survey} but the file is in folder {folder!r}")
    if stem != key:
        p.error(rel, f"file name should be {key}.yaml (kind {kind}, id {sid})")

    cb = cbs[survey]
    missing = cb.missing

    # base
    base = spec["base"]
    if not isinstance(base, dict):
        p.error(rel, "base must be a mapping with label (and optional filter)")
        base = {}
    for k in base:
        if k not in BASE_KEYS:
            p.error(rel, f"base: unknown key {k!r}")
    if not isinstance(base.get("label"), str) or not base.get("label", "").strip():
        p.error(rel, "base.label must be a non-empty string")
    flt = base.get("filter")
    if flt is not None:
        if not isinstance(flt, dict) or not flt:
            p.error(rel, "base.filter must be a non-empty mapping variable -> list of codes")
        else:
            for var, codes in flt.items():
                t = cb.type_of(var)
                if t is None:
                    p.error(rel, f"base.filter: {var} is not a variable of the {survey} codebook")
                    continue
                if t not in ("categorical", "binary"):
                    p.error(rel, f"base.filter: {var} is {t}; only categorical and binary variables can filter")
                    continue
                if not isinstance(codes, list) or not codes:
                    p.error(rel, f"base.filter: {var} needs a non-empty list of codes")
                    continue
                check_codes(p, rel, f"base.filter {var}", codes, cb.codes(var), missing)

    # rows
    rows = spec["rows"]
    keys_seen = {}
    row_stat = {}
    if not isinstance(rows, list) or not rows:
        p.error(rel, "rows must be a non-empty list")
        rows = []
    for i, row in enumerate(rows, 1):
        where = f"{rel}: row {i}"
        if not isinstance(row, dict):
            p.error(where, "must be a mapping with `variable`")
            continue
        for k in row:
            if k not in ROW_KEYS:
                p.error(where, f"unknown key {k!r} (allowed: {', '.join(sorted(ROW_KEYS))})")
        name = row.get("variable")
        t = cb.type_of(name)
        if t is None:
            p.error(where, f"{name!r} is not a variable of the {survey} codebook"
                    + (" (it is a multiple-response set; use one binary row per item)" if name in cb.sets else ""))
            continue
        where = f"{rel}: row {name}"
        if t not in ("categorical", "binary", "numeric"):
            p.error(where, f"type {t} cannot be a table row")
            continue
        stat = row.get("statistic")
        if stat is not None and stat not in STATISTICS:
            p.error(where, f"statistic {stat!r} is not one of {', '.join(STATISTICS)}")
        if t == "numeric":
            if stat != "mean":
                p.error(where, "a numeric variable needs `statistic: mean`")
            for k in ("levels", "labels", "exclude"):
                if k in row:
                    p.error(where, f"`{k}` does not apply to a numeric variable")
        elif stat == "mean":
            p.error(where, f"`statistic: mean` needs a numeric variable ({name} is {t})")
        if (stat in ("frame", "rate")) != ("frame" in row):
            p.error(where, "a `frame` file goes with statistic frame or rate, and they need one")
        elif "frame" in row:
            frame = row["frame"]
            path = frame if os.path.isabs(frame) else os.path.join(ROOT, "data", frame)
            if not isinstance(frame, str) or not os.path.isfile(path):
                p.error(where, f"frame {frame!r} is not a file (relative to data/)")
        if "name" in row and not isinstance(row["name"], str):
            p.error(where, "name must be a string")
        if "label" in row and not isinstance(row["label"], str):
            p.error(where, "label must be a string")
        levels = row.get("levels")
        if levels is not None:
            if not isinstance(levels, list) or not levels:
                p.error(where, "levels must be a non-empty list of codes")
                levels = None
            else:
                check_codes(p, where, "levels", levels, cb.codes(name) or [], missing)
                if len(set(map(str, levels))) != len(levels):
                    p.error(where, "levels repeat a code")
        if "labels" in row:
            if not is_str_map(row["labels"]):
                p.error(where, "labels must map codes to strings")
            else:
                shown = levels if levels is not None else (cb.codes(name) or [])
                for c in row["labels"]:
                    if c not in shown:
                        p.error(where, f"labels: {c!r} is not a level shown in this row")
        if "exclude" in row:
            if not isinstance(row["exclude"], list) or not row["exclude"]:
                p.error(where, "exclude must be a non-empty list of codes")
            else:
                check_codes(p, where, "exclude", row["exclude"], cb.codes(name) or [], missing)
                if levels:
                    for c in row["exclude"]:
                        if c in levels:
                            p.error(where, f"code {c!r} is both shown (levels) and excluded")
        for rk in row_keys(row, cb):
            if rk in keys_seen:
                p.error(where, f"row key {rk!r} appears twice in the table")
            keys_seen[rk] = True
            row_stat[rk] = "mean" if t == "numeric" else "percent"

    # columns
    cols = spec["columns"]
    blocks = []  # (by or None, codes shown)
    if not isinstance(cols, list) or not cols:
        p.error(rel, "columns must be a non-empty list (`- total` and/or `- by: ...` blocks)")
        cols = []
    totals = 0
    for i, col in enumerate(cols, 1):
        where = f"{rel}: column block {i}"
        if col == "total":
            totals += 1
            blocks.append((None, [""]))
            continue
        if not isinstance(col, dict) or "by" not in col:
            p.error(where, "must be `total` or a mapping with `by:`")
            continue
        for k in col:
            if k not in COLUMN_KEYS:
                p.error(where, f"unknown key {k!r} (allowed: {', '.join(sorted(COLUMN_KEYS))})")
        by = col["by"]
        t = cb.type_of(by)
        if t is None:
            p.error(where, f"{by!r} is not a variable of the {survey} codebook")
            continue
        where = f"{rel}: column {by}"
        if t not in ("categorical", "binary"):
            p.error(where, f"type {t} cannot define column groups")
            continue
        if any(b == by for b, _ in blocks):
            p.error(where, "the same variable defines two column blocks")
        if "label" in col and not isinstance(col["label"], str):
            p.error(where, "label must be a string")
        levels = col.get("levels")
        if levels is not None:
            if not isinstance(levels, list) or not levels:
                p.error(where, "levels must be a non-empty list of codes")
                levels = None
            else:
                check_codes(p, where, "levels", levels, cb.codes(by))
                if len(set(map(str, levels))) != len(levels):
                    p.error(where, "levels repeat a code")
        shown = levels if levels is not None else cb.codes(by)
        if "labels" in col:
            if not is_str_map(col["labels"]):
                p.error(where, "labels must map codes to strings")
            else:
                for c in col["labels"]:
                    if c not in shown:
                        p.error(where, f"labels: {c!r} is not a level shown in this block")
        blocks.append((by, [str(c) for c in shown]))
    if totals > 1:
        p.error(rel, "more than one `total` column block")

    # previous waves
    prev = spec.get("previous")
    n_prev = 0
    if prev is not None:
        if not isinstance(prev, list) or not prev:
            p.error(rel, "previous must be a non-empty list of waves")
            prev = []
        waves = set()
        for w in prev:
            if not isinstance(w, dict):
                p.error(rel, "previous: each wave must be a mapping with wave and figures")
                continue
            for k in w:
                if k not in WAVE_KEYS:
                    p.error(rel, f"previous: unknown key {k!r}")
            wave = w.get("wave")
            where = f"{rel}: previous wave {wave}"
            if not isinstance(wave, str) or not re.match(r"^(19|20)[0-9]{2}$", wave):
                p.error(where, "wave must be a quoted year such as \"2022\"")
            if wave in waves:
                p.error(where, "wave appears twice")
            waves.add(wave)
            figs = w.get("figures")
            if not isinstance(figs, list) or not figs:
                p.error(where, "figures must be a non-empty list")
                continue
            cells = set()
            for f in figs:
                if not isinstance(f, dict):
                    p.error(where, "each figure must be a mapping")
                    continue
                for k in f:
                    if k not in FIGURE_KEYS:
                        p.error(where, f"figure: unknown key {k!r}")
                r, c = f.get("row"), f.get("column")
                if not isinstance(r, str) or r not in keys_seen:
                    p.error(where, f"figure row {r!r} is not a row of the table (rows: {', '.join(keys_seen)})")
                    continue
                if not isinstance(c, str):
                    p.error(where, f"figure column {c!r} must be a string (\"\" for the total)")
                    continue
                if c == "":
                    if not totals:
                        p.error(where, f"figure {r} has column \"\" but the table has no `total` block")
                else:
                    owners = [b for b, codes in blocks if b is not None and c in codes]
                    if not owners:
                        p.error(where, f"figure {r}: column {c!r} is not a group of any column block")
                    elif len(owners) > 1:
                        p.error(where, f"figure {r}: column {c!r} is ambiguous (blocks {', '.join(owners)})")
                if (r, c) in cells:
                    p.error(where, f"figure {r} / {c!r} given twice")
                cells.add((r, c))
                stat = row_stat[r]
                val = f.get(stat)
                other = "mean" if stat == "percent" else "percent"
                if other in f:
                    p.error(where, f"figure {r}: a {stat} row takes `{stat}`, not `{other}`")
                if not isinstance(val, (int, float)) or isinstance(val, bool):
                    p.error(where, f"figure {r} / {c!r}: `{stat}` must be a number")
                elif stat == "percent" and not 0 <= val <= 100:
                    p.error(where, f"figure {r} / {c!r}: percent {val} outside 0-100")
                if "n" in f and (not isinstance(f["n"], int) or isinstance(f["n"], bool) or f["n"] <= 0):
                    p.error(where, f"figure {r} / {c!r}: n must be a positive integer")
                n_prev += 1

    # published
    pubs = spec.get("published") or []
    if "published" in spec and not is_str_list(spec["published"]):
        p.error(rel, "published must be a list of strings (ids of monitor-2024-published.csv)")
        pubs = []
    if len(set(pubs)) != len(pubs):
        p.error(rel, "published lists an id twice")
    for pid in pubs:
        r = ref.get(pid)
        if r is None:
            p.error(rel, f"published id {pid!r} is not in the reference CSV")
            continue
        if r["survey"] != survey:
            p.error(rel, f"published id {pid!r} belongs to survey {r['survey']}")
        if r["year"] != "2024":
            p.warn(rel, f"published id {pid!r} is a {r['year']} figure (earlier waves belong in `previous`)")

    n_table_rows = sum(len(row_keys(r, cb)) for r in rows if isinstance(r, dict) and cb.type_of(r.get("variable")))
    n_columns = sum(len(codes) for _, codes in blocks)
    return {"key": key, "survey": survey, "kind": kind, "id": sid, "family": family, "rows": len(rows),
            "table_rows": n_table_rows, "blocks": len(cols), "columns": n_columns, "published": len(pubs),
            "waves": len(prev or []), "figures": n_prev, "path": rel, "pubs": pubs}


def sort_key(info):
    nums = [int(x) for x in re.findall(r"[0-9]+", info["id"])]
    return (info["survey"], nums, info["kind"] != "tabel")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--specs", default=DEFAULT_SPECS)
    ap.add_argument("--codebooks", default=DEFAULT_CODEBOOKS)
    ap.add_argument("--reference", default=DEFAULT_REFERENCE)
    ap.add_argument("--uncovered", action="store_true",
                    help="list the 2024 reference figures of the four families that no specification lists")
    args = ap.parse_args()

    p = Problems()
    cbs = {s: Codebook(os.path.join(args.codebooks, f"{s}.yaml")) for s in SURVEYS}
    with open(args.reference, encoding="utf-8", newline="") as fh:
        ref = {r["id"]: r for r in csv.DictReader(fh)}

    paths = []
    for dirpath, _, files in os.walk(args.specs):
        for f in files:
            full = os.path.join(dirpath, f)
            if f.endswith((".yaml", ".yml")):
                paths.append(full)
            elif not f.startswith(".") and not f.endswith(".md"):
                p.error(os.path.relpath(full, args.specs), "not a .yaml file (only specifications and README.md belong here)")
    if not paths:
        p.error(args.specs, "no table specifications found")

    infos = []
    for path in sorted(paths):
        try:
            spec = load_yaml(path)
        except (yaml.YAMLError, OSError) as e:
            p.error(path, f"cannot read: {e}")
            continue
        info = check_spec(os.path.abspath(path), spec, cbs, ref, p)
        if info:
            infos.append(info)

    seen = {}
    for info in infos:
        k = (info["survey"], info["kind"], info["id"])
        if k in seen:
            p.error(info["path"], f"{info['kind']} {info['id']} is also specified in {seen[k]}")
        seen[k] = info["path"]

    # ------------------------------------------------------------------------------------------- summary
    infos.sort(key=sort_key)
    print(f"Table specifications in {os.path.relpath(args.specs, os.getcwd())}: {len(infos)}")
    print()
    print(f"{'survey':<14}" + "".join(f"{f:>12}" for f in SPEC_FAMILIES) + f"{'total':>8}")
    for s in SURVEYS:
        c = collections.Counter(i["family"] for i in infos if i["survey"] == s)
        print(f"{s:<14}" + "".join(f"{c.get(f, 0):>12}" for f in SPEC_FAMILIES) + f"{sum(c.values()):>8}")
    c = collections.Counter(i["family"] for i in infos)
    print(f"{'total':<14}" + "".join(f"{c.get(f, 0):>12}" for f in SPEC_FAMILIES) + f"{sum(c.values()):>8}")
    print()
    print(f"{'key':<8}{'family':<12}{'rows':>5}{'table rows':>12}{'blocks':>8}{'columns':>9}"
          f"{'published':>11}{'waves':>7}")
    for i in infos:
        print(f"{i['key']:<8}{i['family'] or '?':<12}{i['rows']:>5}{i['table_rows']:>12}{i['blocks']:>8}"
              f"{i['columns']:>9}{i['published']:>11}{i['waves']:>7}   {i['survey']}")
    listed = {pid for i in infos for pid in i["pubs"]}
    target = [r for r in ref.values() if r["survey"] in SURVEYS and r["family"] in FAMILIES and r["year"] == "2024"]
    covered = [r for r in target if r["id"] in listed]
    print()
    print(f"published ids listed: {len(listed)} distinct; 2024 reference figures of the four families covered: "
          f"{len(covered)} of {len(target)}")
    if args.uncovered:
        for r in target:
            if r["id"] not in listed:
                print(f"  not listed: {r['id']}  ({r['table']}; {r['value']})")

    for w in p.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if p.errors:
        print(file=sys.stderr)
        for e in p.errors:
            print(f"error: {e}", file=sys.stderr)
        print(f"\n{len(p.errors)} problem(s)", file=sys.stderr)
        return 1
    print("OK: no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
