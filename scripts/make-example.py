#!/usr/bin/env python3
"""Generate the example respondent files from the codebooks, deterministically.

Reads data/codebook/{ambtsdragers,medewerkers}.yaml and data/maps/example-spss-export.yaml and writes

  data/examples/ambtsdragers-example.csv       canonical file, 60 rows
  data/examples/medewerkers-example.csv        canonical file, 60 rows
  data/examples/ambtsdragers-spss-export.csv   30 rows of the ambtsdragers example as a Dutch SPSS/Excel
                                               export (';', decimal comma, numeric SPSS codes)

The header of a canonical file is every non-derived variable of its codebook, in codebook order. Values
follow the questionnaire routing (see docs/codebook.md). Before writing anything the script checks

  * the codebooks against the format in docs/codebook.md (keys, unique names/codes, set items, derived
    sources);
  * every generated row: valid values, routing, and that all derived variables can be computed;
  * that applying the map to the SPSS export gives exactly the corresponding canonical rows.

Any problem is printed and the script exits with status 1 without writing. Standard library plus PyYAML;
fixed seeds, so the output is byte-identical on every run.

Usage: python3 scripts/make-example.py [--check]   (--check: validate only, write nothing)
"""

import csv
import io
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK_DIR = ROOT / "data" / "codebook"
MAP_FILE = ROOT / "data" / "maps" / "example-spss-export.yaml"
OUT_DIR = ROOT / "data" / "examples"

ROWS = 60
SPSS_ROWS = 30
SEEDS = {"ambtsdragers": 2024_2, "medewerkers": 2024_3}
CONTEXT_SEEDS = {"ambtsdragers": 2024_12, "medewerkers": 2024_13}

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TYPES = {"id", "categorical", "binary", "numeric", "text"}
DERIVED_KINDS = ("recode", "any", "bands", "count", "cases", "complement")
BINARY_CODES = ("1", "0")


class Problems(list):
    def add(self, where, message):
        self.append(f"{where}: {message}")


# --------------------------------------------------------------------------------------------- codebook

def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_keys(problems, where, obj, required, optional=()):
    if not isinstance(obj, dict):
        problems.add(where, f"expected a mapping, got {type(obj).__name__}")
        return False
    for key in required:
        if key not in obj:
            problems.add(where, f"missing key '{key}'")
    for key in obj:
        if key not in required and key not in optional:
            problems.add(where, f"unknown key '{key}'")
    return True


def check_values(problems, where, values, banded=False, binary_codes=False):
    """A list of {code, label} (plus min/max for bands); returns the codes. binary_codes: the codes "1" and
    "0" are allowed too (a `cases` variable that is a yes/no variable, such as online_agressie)."""
    codes = []
    if not isinstance(values, list) or not values:
        problems.add(where, "values must be a non-empty list")
        return codes
    for i, v in enumerate(values):
        w = f"{where}.values[{i}]"
        if not check_keys(problems, w, v, ["code", "label"] + (["min", "max"] if banded else [])):
            continue
        code = v["code"]
        if not isinstance(code, str) or not (CODE_RE.match(code) or (binary_codes and code in BINARY_CODES)):
            problems.add(w, f"code {code!r} is not lowercase ASCII snake_case")
        if not isinstance(v["label"], str) or not v["label"].strip():
            problems.add(w, "label must be a non-empty string")
        if code in codes:
            problems.add(w, f"duplicate code '{code}'")
        codes.append(code)
    return codes


def validate_codebook(cb, problems):
    """Checks one codebook; returns a dict of helper structures."""
    where = cb.get("survey", "?") if isinstance(cb, dict) else "?"
    check_keys(problems, where, cb, ["survey", "label", "wave", "missing", "variables"], ["sets", "derived"])
    missing_codes = []
    for i, m in enumerate(cb.get("missing") or []):
        w = f"{where}.missing[{i}]"
        if check_keys(problems, w, m, ["code", "label"]):
            if not isinstance(m["code"], str) or (m["code"] and not CODE_RE.match(m["code"])):
                problems.add(w, f"bad missing code {m['code']!r}")
            if m["code"] in missing_codes:
                problems.add(w, f"duplicate missing code {m['code']!r}")
            missing_codes.append(m["code"])
    if "" not in missing_codes:
        problems.add(where, "the empty code must be a missing code")

    names = {}       # name -> kind ('variable', 'set', 'derived')
    variables = {}   # name -> dict
    kinds = {}       # name -> 'id'/'categorical'/'binary'/'numeric'/'text' (derived included)
    codes_of = {}    # categorical name -> [codes]
    ranges = {}      # numeric name -> (min, max, integer)

    def claim(name, kind, w):
        if not isinstance(name, str) or not NAME_RE.match(name):
            problems.add(w, f"name {name!r} is not lowercase ASCII snake_case")
        if name in names:
            problems.add(w, f"name '{name}' already used by a {names[name]}")
        names[name] = kind

    ids = 0
    for i, v in enumerate(cb.get("variables") or []):
        w = f"{where}.variables[{i}]"
        t = v.get("type") if isinstance(v, dict) else None
        optional = ["question", "required"]
        required = ["name", "type", "label"]
        if t == "categorical":
            required.append("values")
        elif t == "numeric":
            required.append("range")
            optional.append("integer")
        if not check_keys(problems, w, v, required, optional):
            continue
        name = v["name"]
        w = f"{where}.{name}"
        claim(name, "variable", w)
        if t not in TYPES:
            problems.add(w, f"unknown type {t!r}")
            continue
        if "required" in v and not isinstance(v["required"], bool):
            problems.add(w, "required must be true or false")
        if "question" in v and not (isinstance(v["question"], str) and v["question"].strip()):
            problems.add(w, "question must be a non-empty string")
        variables[name] = v
        kinds[name] = t
        if t == "id":
            ids += 1
        if t == "categorical":
            codes = check_values(problems, w, v["values"])
            for c in codes:
                if c in missing_codes:
                    problems.add(w, f"code '{c}' is also a survey-wide missing code")
            codes_of[name] = codes
        if t == "numeric":
            r = v["range"]
            if not (isinstance(r, list) and len(r) == 2 and all(isinstance(x, (int, float)) for x in r)
                    and r[0] <= r[1]):
                problems.add(w, f"range must be [min, max], got {r!r}")
            else:
                ranges[name] = (r[0], r[1], bool(v.get("integer", False)))
            if "integer" in v and not isinstance(v["integer"], bool):
                problems.add(w, "integer must be true or false")
    if ids != 1:
        problems.add(where, f"expected exactly one id variable, found {ids}")

    sets = {}
    for i, s in enumerate(cb.get("sets") or []):
        w = f"{where}.sets[{i}]"
        if not check_keys(problems, w, s, ["name", "label", "items"], ["question"]):
            continue
        claim(s["name"], "set", f"{where}.{s['name']}")
        items = s["items"]
        if not isinstance(items, list) or len(items) < 2:
            problems.add(w, "items must be a list of at least two variables")
            continue
        for item in items:
            if kinds.get(item) != "binary":
                problems.add(f"{where}.{s['name']}", f"item '{item}' is not a binary variable")
        if len(set(items)) != len(items):
            problems.add(f"{where}.{s['name']}", "duplicate items")
        for item in items:
            other = [n for n, st in sets.items() if item in st["items"]]
            if other:
                problems.add(f"{where}.{s['name']}", f"item '{item}' is already in set '{other[0]}'")
        sets[s["name"]] = s

    derived = []
    for i, d in enumerate(cb.get("derived") or []):
        w = f"{where}.derived[{i}]"
        if not isinstance(d, dict):
            problems.add(w, "expected a mapping")
            continue
        kind = [k for k in DERIVED_KINDS if k in d]
        if len(kind) != 1:
            problems.add(w, f"exactly one of {'/'.join(DERIVED_KINDS)} required, found {kind}")
            continue
        kind = kind[0]
        req = {"recode": ["name", "label", "recode", "map", "values"], "any": ["name", "label", "any"],
               "bands": ["name", "label", "bands", "values"], "count": ["name", "label", "count"],
               "cases": ["name", "label", "cases", "values"], "complement": ["name", "label", "complement"]}[kind]
        opt = {"complement": ["total"]}.get(kind, [])
        if not check_keys(problems, w, d, req, opt):
            continue
        name = d["name"]
        w = f"{where}.{name}"
        claim(name, "derived", w)
        if kind == "recode":
            src = d["recode"]
            if kinds.get(src) != "categorical":
                problems.add(w, f"recode source '{src}' is not a categorical variable defined before it")
            codes = check_values(problems, w, d["values"])
            for c in codes:
                if c in missing_codes:
                    problems.add(w, f"code '{c}' is also a survey-wide missing code")
            if not isinstance(d["map"], dict):
                problems.add(w, "map must be a mapping")
            else:
                for k, val in d["map"].items():
                    if src in codes_of and k not in codes_of[src]:
                        problems.add(w, f"map key '{k}' is not a code of '{src}'")
                    if val not in codes:
                        problems.add(w, f"map value '{val}' is not one of the values")
                unmapped = [c for c in codes_of.get(src, []) if c not in d["map"]]
                if unmapped:
                    problems.add(w, f"codes of '{src}' not in map: {unmapped}")
            kinds[name] = "categorical"
            codes_of[name] = codes
        elif kind in ("any", "count"):
            items = d[kind]
            if not isinstance(items, list) or not items:
                problems.add(w, f"{kind} must be a non-empty list")
                continue
            for item in items:
                if kinds.get(item) != "binary":
                    problems.add(w, f"item '{item}' is not a binary variable defined before it")
            kinds[name] = "binary" if kind == "any" else "numeric"
            if kind == "count":
                ranges[name] = (0, len(items), True)
        elif kind == "bands":
            src = d["bands"]
            if kinds.get(src) != "numeric":
                problems.add(w, f"bands source '{src}' is not a numeric variable defined before it")
            codes = check_values(problems, w, d["values"], banded=True)
            bands = []
            for v in d["values"]:
                if isinstance(v, dict) and all(isinstance(v.get(k), (int, float)) for k in ("min", "max")):
                    if v["min"] > v["max"]:
                        problems.add(w, f"band '{v['code']}' has min > max")
                    bands.append((v["min"], v["max"], v["code"]))
            bands.sort()
            for a, b in zip(bands, bands[1:]):
                if b[0] <= a[1]:
                    problems.add(w, f"bands '{a[2]}' and '{b[2]}' overlap")
            if src in ranges and bands:
                lo, hi, _ = ranges[src]
                if bands[0][0] > lo or bands[-1][1] < hi:
                    problems.add(w, f"bands do not cover the range [{lo}, {hi}] of '{src}'")
            kinds[name] = "categorical"
            codes_of[name] = codes
        elif kind == "cases":
            codes = check_values(problems, w, d["values"], binary_codes=True)
            for c in codes:
                if c in missing_codes:
                    problems.add(w, f"code '{c}' is also a survey-wide missing code")
            cases = d["cases"]
            if not isinstance(cases, list) or not cases:
                problems.add(w, "cases must be a non-empty list")
                continue
            for j, case in enumerate(cases):
                wc = f"{w}.cases[{j}]"
                if not check_keys(problems, wc, case, ["when", "code"]):
                    continue
                if case["code"] not in codes:
                    problems.add(wc, f"code {case['code']!r} is not one of the values")
                when = case["when"]
                if not isinstance(when, dict) or not when:
                    problems.add(wc, "when must be a non-empty mapping variable -> [codes]")
                    continue
                for var, allowed in when.items():
                    if kinds.get(var) not in ("categorical", "binary"):
                        problems.add(wc, f"condition on '{var}', which is not a categorical/binary variable "
                                         "defined before it")
                        continue
                    valid = (codes_of[var] if kinds[var] == "categorical" else list(BINARY_CODES)) + missing_codes
                    if not isinstance(allowed, list) or not allowed:
                        problems.add(wc, f"{var}: the allowed codes must be a non-empty list")
                        continue
                    for c in allowed:
                        if c not in valid:
                            problems.add(wc, f"{var} has no code {c!r}")
            kinds[name] = "categorical"
            codes_of[name] = codes
        elif kind == "complement":
            src = d["complement"]
            if kinds.get(src) != "numeric":
                problems.add(w, f"complement source '{src}' is not a numeric variable defined before it")
            total = d.get("total", 100)
            if not isinstance(total, (int, float)) or isinstance(total, bool):
                problems.add(w, f"total must be a number, got {total!r}")
                total = 100
            kinds[name] = "numeric"
            if src in ranges:
                lo, hi, integer = ranges[src]
                ranges[name] = (total - hi, total - lo, integer and float(total).is_integer())
        derived.append(d)

    return {"missing": missing_codes, "variables": variables, "kinds": kinds, "codes": codes_of,
            "ranges": ranges, "sets": sets, "derived": derived,
            "columns": [v["name"] for v in cb.get("variables") or [] if isinstance(v, dict) and "name" in v]}


# --------------------------------------------------------------------------------------------- values

def fmt_number(x):
    """Canonical numeric text: decimal point, no thousands separator, no trailing zeros."""
    if isinstance(x, int):
        return str(x)
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s if s != "-0" else "0"


def valid_value(info, name, value):
    t = info["kinds"][name]
    if t in ("id", "text"):
        return True
    if t in ("categorical", "binary"):
        allowed = info["codes"][name] if t == "categorical" else list(BINARY_CODES)
        return value in allowed or value in info["missing"]
    if t == "numeric":
        if value == "":
            return True
        if not re.match(r"^-?[0-9]+(\.[0-9]+)?$", value):
            return False
        lo, hi, integer = info["ranges"][name]
        x = float(value)
        return lo <= x <= hi and (not integer or x == int(x))
    return False


def compute_derived(info, row):
    """Adds every derived variable to a copy of row, with the semantics documented in docs/codebook.md."""
    out = dict(row)
    for d in info["derived"]:
        name = d["name"]
        if "recode" in d:
            v = out[d["recode"]]
            out[name] = v if v in info["missing"] else d["map"].get(v, "")
        elif "any" in d:
            vals = [out[i] for i in d["any"]]
            if "1" in vals:
                out[name] = "1"
            elif all(v == "0" for v in vals):
                out[name] = "0"
            elif len(set(vals)) == 1 and vals[0] in info["missing"]:
                out[name] = vals[0]   # every item has the same missing code (nvt, weet_niet, ...)
            else:
                out[name] = ""
        elif "count" in d:
            vals = [out[i] for i in d["count"]]
            out[name] = str(sum(v == "1" for v in vals)) if all(v in BINARY_CODES for v in vals) else ""
        elif "bands" in d:
            v = out[d["bands"]]
            out[name] = ""
            if re.match(r"^-?[0-9]+(\.[0-9]+)?$", v):
                x = float(v)
                for b in d["values"]:
                    if b["min"] <= x <= b["max"]:
                        out[name] = b["code"]
        elif "cases" in d:
            # the code of the first case whose conditions all hold; else empty
            out[name] = ""
            for case in d["cases"]:
                if all(out[var] in allowed for var, allowed in case["when"].items()):
                    out[name] = case["code"]
                    break
        elif "complement" in d:
            v = out[d["complement"]]
            out[name] = fmt_number(d.get("total", 100) - float(v)) if v != "" else ""
    return out


# --------------------------------------------------------------------------------------------- generation

def pick(rng, weighted):
    """weighted: dict code -> weight."""
    codes = list(weighted)
    return rng.choices(codes, weights=[weighted[c] for c in codes])[0]


def fill_set(row, info, set_name, applicable, probs, rng, exclusive=None, force_one=True):
    """Fills the items of a multiple-response set. probs: item -> probability of being ticked.
    exclusive: the 'niet ...' item (or a tuple of such items, tried in turn, each with its probability given
    that the earlier ones were not ticked); if one is ticked all other items are 0."""
    items = info["sets"][set_name]["items"]
    if applicable is not True:
        for it in items:
            row[it] = applicable  # 'nvt', '' or a missing code
        return
    for it in items:
        row[it] = "0"
    exclusives = (exclusive,) if isinstance(exclusive, str) else tuple(exclusive or ())
    for excl in exclusives:
        if rng.random() < probs.get(excl, 0):
            row[excl] = "1"
            return
    ticked = [it for it in items if it not in exclusives and rng.random() < probs.get(it, 0.0)]
    if not ticked and force_one:
        candidates = [it for it in items if it not in exclusives and probs.get(it, 0) > 0]
        ticked = [rng.choices(candidates, weights=[probs[c] for c in candidates])[0]]
    for it in ticked:
        row[it] = "1"


def split_online(rng, n, p_online):
    online = sum(rng.random() < p_online for _ in range(n))
    return fmt_number(round(100 * online / n, 2)) if n else ""


def incident_count(rng, forms):
    """Per-form counts; the total is at least the number of forms."""
    dist = {1: 16, 2: 14, 3: 14, 4: 10, 5: 10, 6: 6, 8: 6, 10: 5, 12: 4, 20: 3, 50: 2}
    return {f: pick(rng, dist) if rng.random() > 0.45 else 1 for f in forms}


G4 = ["GM0363", "GM0599", "GM0518", "GM0344"]
OTHER_GEMEENTEN = ["GM0014", "GM0034", "GM0080", "GM0153", "GM0200", "GM0268", "GM0307", "GM0402",
                   "GM0439", "GM0484", "GM0503", "GM0546", "GM0632", "GM0758", "GM0772", "GM0796",
                   "GM0855", "GM0935", "GM0983", "GM1680"]
GEMEENTE_FUNCTIES = {"burgemeester", "wethouder", "raadslid"}
PROVINCIE_FUNCTIES = {"cdk", "gedeputeerde", "statenlid"}
WATERSCHAP_FUNCTIES = {"dijkgraaf", "lid_db", "lid_ab"}


def design_ambtsdragers(rng, i, row):
    functies = {"burgemeester": 78, "wethouder": 256, "raadslid": 453, "cdk": 6, "gedeputeerde": 15,
                "statenlid": 112, "dijkgraaf": 8, "lid_db": 31, "lid_ab": 123}
    order = list(functies)
    functie = order[i] if i < len(order) else pick(rng, functies)  # every function at least once
    laag = ("gemeente" if functie in GEMEENTE_FUNCTIES else
            "provincie" if functie in PROVINCIE_FUNCTIES else "waterschap")
    row["bestuurslaag"] = laag
    row["functie"] = functie
    if laag == "gemeente":
        if functie == "raadslid":
            g4 = rng.random() < 0.25
            row["gemeentecode"] = rng.choice(G4 if g4 else OTHER_GEMEENTEN)
            row["steekproefstratum"] = "g4" if g4 else "steekproefgemeente"
        else:
            row["gemeentecode"] = rng.choice(G4 + OTHER_GEMEENTEN)
            row["steekproefstratum"] = "volledig"
    else:
        row["gemeentecode"] = ""
        row["steekproefstratum"] = "volledig"
    row["emailadres_type"] = ("algemeen" if functie in ("burgemeester", "wethouder") and rng.random() < 0.35
                              else "persoonlijk")
    row["geslacht"] = pick(rng, {"man": 60, "vrouw": 38, "anders": 1, "wil_niet_zeggen": 1})
    type_ = ("voorzitter" if functie in ("burgemeester", "cdk", "dijkgraaf") else
             "dagelijks_bestuur" if functie in ("wethouder", "gedeputeerde", "lid_db") else "volksvertegenwoordiger")
    contact_w = {"voorzitter": {"dagelijks": 70, "enkele_keren_per_week": 28, "minder_dan_wekelijks": 2},
                 "dagelijks_bestuur": {"dagelijks": 55, "enkele_keren_per_week": 40, "minder_dan_wekelijks": 5},
                 "volksvertegenwoordiger": {"dagelijks": 20, "enkele_keren_per_week": 52,
                                            "minder_dan_wekelijks": 28}}[type_]
    row["contact_buiten_organisatie"] = pick(rng, contact_w)
    p = {"voorzitter": 0.66, "dagelijks_bestuur": 0.57, "volksvertegenwoordiger": 0.38}[type_]
    p *= {"gemeente": 1.0, "provincie": 1.0, "waterschap": 0.5}[laag]
    p *= {"vrouw": 1.3}.get(row["geslacht"], 0.9)
    return min(p, 0.9), type_


def design_medewerkers(rng, i, row):
    row["panel"] = pick(rng, {"flitspanel": 366, "io_panel": 328})
    row["bestuurslaag"] = pick(rng, {"gemeente": 489, "provincie": 117, "waterschap": 88})
    row["geslacht"] = pick(rng, {"man": 398, "vrouw": 293, "anders": 3})
    functies = {"beleid": 276, "management": 103, "ondersteuning": 91, "toezicht_handhaving": 49,
                "hulpverlening": 32, "dienstverlening": 23, "bestuurlijk": 17, "anders": 103}
    order = list(functies)
    row["functie"] = order[i] if i < len(order) else pick(rng, functies)
    row["contact_buiten_organisatie"] = pick(rng, {"dagelijks": 198, "enkele_keren_per_week": 283,
                                                   "minder_dan_wekelijks": 159, "nooit": 54})
    row["sociale_media_persoonlijk"] = pick(rng, {"dagelijks": 198, "enkele_keren_per_week": 137,
                                                  "minder_dan_wekelijks": 151, "geen": 208})
    p = {"dagelijks": 0.39, "enkele_keren_per_week": 0.32, "minder_dan_wekelijks": 0.12,
         "nooit": 0.03}[row["contact_buiten_organisatie"]]
    p *= {"toezicht_handhaving": 1.6, "hulpverlening": 2.0, "dienstverlening": 2.0}.get(row["functie"], 0.9)
    return min(p * 1.4, 0.85), None  # a little above the report (27%) so the example has enough victims


SATISFACTION = {  # variable -> (the derived variable it is routed on, answer weights as in data/synthesis/)
    "ambtsdragers": {
        "tevredenheid_bespreken": ("intern_besproken", {"zeer_tevreden": 28, "tevreden": 47, "neutraal": 12,
                                                        "ontevreden": 5, "zeer_ontevreden": 3, "weet_niet": 5}),
        "tevredenheid_melden": ("intern_gemeld", {"zeer_tevreden": 22, "tevreden": 45, "neutraal": 10,
                                                  "ontevreden": 6, "zeer_ontevreden": 12, "weet_niet": 5}),
        "tevredenheid_extern": ("extern_gemeld", {"zeer_tevreden": 25, "tevreden": 46, "neutraal": 17,
                                                  "ontevreden": 5, "zeer_ontevreden": 4, "weet_niet": 3}),
    },
    "medewerkers": {
        "tevredenheid_bespreken": ("intern_besproken", {"zeer_tevreden": 28, "tevreden": 45, "neutraal": 16,
                                                        "ontevreden": 5, "zeer_ontevreden": 2, "weet_niet": 4}),
        "tevredenheid_melden": ("intern_gemeld", {"zeer_tevreden": 20, "tevreden": 42, "neutraal": 24,
                                                  "ontevreden": 7, "zeer_ontevreden": 4, "weet_niet": 3}),
        "tevredenheid_aangifte": ("aangifte_gedaan", {"zeer_tevreden": 10, "tevreden": 12, "neutraal": 33,
                                                      "ontevreden": 25, "zeer_ontevreden": 20}),
    },
}
# Statements asked of every respondent (ambtsdragers): veilig_in_functie before the prevalence questions,
# the two about the organisation after the aangifte block.
STATEMENTS = ("veilig_in_functie", "weet_grens_acceptabel_gedrag", "organisatie_voorkomt_agressie")
# Questions about the most recent incident asked of every victim (ambtsdragers, Tabel 2.7-2.13).
CONTEXT_SETS = ("doelwit", "gericht_op_kenmerk", "dader")


def fill_context(survey, info, row, rng, victim, na):
    """The context questions (doelwit, gericht op kenmerk, dader, achtergrond), the statements and the
    satisfaction questions, from their own random stream `rng` so that the other columns do not change when
    these are added. Called when every other column of the row is filled; routing as in docs/codebook.md."""
    pending = [c for c in row if row[c] is None]
    for c in pending:
        row[c] = ""
    d = compute_derived(info, row)   # the routing variables (intern_besproken, ...); pending ones empty
    for c in pending:
        row[c] = None

    if "veilig_in_functie" in row:  # everyone; Figuur 2.1, Tabel 2.1, bijlage C
        if d["ernst_categorie"] == "zeer_ernstig":
            w = {"helemaal_eens": 16, "eens": 47, "neutraal": 25, "oneens": 8, "helemaal_oneens": 3, "weet_niet": 1}
        elif row["geslacht"] == "vrouw":
            w = {"helemaal_eens": 25, "eens": 54, "neutraal": 15, "oneens": 4, "helemaal_oneens": 1, "weet_niet": 1}
        else:
            w = {"helemaal_eens": 37, "eens": 51, "neutraal": 7, "oneens": 3, "helemaal_oneens": 1, "weet_niet": 1}
        row["veilig_in_functie"] = pick(rng, w)

    if "doelwit_organisatie" in row:  # victims only
        applicable = True if victim else na
        severe = d["ernst_categorie"] == "zeer_ernstig"
        niet_hetero = d.get("seksuele_orientatie_groep") == "niet_hetero"
        vrouw = row["geslacht"] == "vrouw"
        fill_set(row, info, "doelwit", applicable,
                 {"doelwit_weet_niet": 0.02, "doelwit_organisatie": 0.47, "doelwit_partij": 0.46,
                  "doelwit_persoonlijk": 0.61 if severe else 0.40, "doelwit_familie_vrienden": 0.08 if severe else 0.02,
                  "doelwit_specifieke_groep": 0.14 if niet_hetero else 0.04, "doelwit_anders": 0.03},
                 rng, exclusive="doelwit_weet_niet")
        # 'Nee' and 'Weet ik niet' exclude the 'Ja, gericht op ...' items (Tabel 2.10: Nee 64%, weet ik niet 11%).
        young = row.get("leeftijdsgroep") == "leeftijd_18_39"
        fill_set(row, info, "gericht_op_kenmerk", applicable,
                 {"niet_gericht_op_kenmerk": 0.53 if vrouw else 0.70, "gericht_op_kenmerk_weet_niet": 0.3,
                  "gericht_op_geslacht": 0.45 if vrouw else 0.05, "gericht_op_leeftijd": 0.4 if young else 0.15,
                  "gericht_op_fysieke_kenmerken": 0.25 if vrouw else 0.05, "gericht_op_seksuele_geaardheid": 0.05,
                  "gericht_op_geloof": 0.08 if vrouw else 0.04,
                  "gericht_op_etnische_achtergrond": 0.2 if row.get("migratieachtergrond") == "1" else 0.04,
                  "gericht_op_kenmerk_anders": 0.4},
                 rng, exclusive=("niet_gericht_op_kenmerk", "gericht_op_kenmerk_weet_niet"))
        laag = row["bestuurslaag"]
        fill_set(row, info, "dader", applicable,
                 {"dader_burger": {"provincie": 0.38, "waterschap": 0.56}.get(laag, 0.67),
                  "dader_onbekend": 0.12 if laag == "gemeente" else 0.18,
                  "dader_anoniem_sociale_media": {"provincie": 0.31, "waterschap": 0.12}.get(laag, 0.11),
                  "dader_ondernemer": 0.18 if laag == "waterschap" else 0.08,
                  "dader_georganiseerde_misdaad": 0.0 if laag == "waterschap" else 0.02,
                  "dader_anders": 0.18 if laag == "provincie" else 0.10},
                 rng)
        if victim:
            row["achtergrond"] = pick(rng, {
                "verbale_agressie": {"ongenoegen": 40, "oplopende_emoties": 33, "doelbewust": 18, "verward_gedrag": 4,
                                     "anders": 3, "weet_ik_niet": 2},
                "bedreiging": {"ongenoegen": 8, "oplopende_emoties": 30, "doelbewust": 46, "verward_gedrag": 10,
                               "anders": 3, "weet_ik_niet": 3},
                "intimidatie": {"ongenoegen": 26, "oplopende_emoties": 18, "doelbewust": 41, "verward_gedrag": 5,
                                "anders": 3, "weet_ik_niet": 7},
            }.get(row["soort_incident"], {"ongenoegen": 34, "oplopende_emoties": 29, "doelbewust": 26,
                                          "verward_gedrag": 5, "anders": 3, "weet_ik_niet": 3}))
        else:
            row["achtergrond"] = na

    # Satisfaction: only of those who ticked a substantive item of the set before it (else nvt).
    for var, (routed_on, weights) in SATISFACTION[survey].items():
        if var in row:
            row[var] = pick(rng, weights) if d[routed_on] == "1" else na

    if "weet_grens_acceptabel_gedrag" in row:  # everyone; Figuur 2.19, 2.20, Tabel 2.28, bijlage C
        row["weet_grens_acceptabel_gedrag"] = pick(rng, {"helemaal_eens": 30, "eens": 56, "neutraal": 8, "oneens": 3,
                                                         "helemaal_oneens": 1, "weet_niet": 2})
        type_ = d.get("type_ambtsdrager")
        if type_ == "voorzitter":
            w = {"helemaal_eens": 22, "eens": 56, "neutraal": 15, "oneens": 3, "helemaal_oneens": 1, "weet_niet": 3}
        elif row["geslacht"] == "vrouw":
            w = {"helemaal_eens": 8, "eens": 45, "neutraal": 30, "oneens": 6, "helemaal_oneens": 2, "weet_niet": 9}
        else:
            w = {"helemaal_eens": 10, "eens": 50, "neutraal": 28, "oneens": 4, "helemaal_oneens": 2,
                 "weet_niet": 5, "wil_niet_zeggen": 1}
        row["organisatie_voorkomt_agressie"] = pick(rng, w)


def make_rows(survey, info):
    rng = random.Random(SEEDS[survey])
    ctx = random.Random(CONTEXT_SEEDS[survey])   # the questions added with the context tables
    columns = info["columns"]
    has = set(columns).__contains__
    rows = []
    victims_so_far = 0
    for i in range(ROWS):
        row = {c: None for c in columns}
        row["respondent_id"] = f"{'A' if survey == 'ambtsdragers' else 'M'}{i + 1:04d}"
        if survey == "ambtsdragers":
            p_victim, type_ = design_ambtsdragers(rng, i, row)
            forms_all = ["verbale_agressie", "bedreiging", "intimidatie", "fysieke_agressie"]
            p_form = {"verbale_agressie": 0.9, "bedreiging": 0.12, "intimidatie": 0.4, "fysieke_agressie": 0.06}
            p_soort = {"verbale_agressie": 6, "bedreiging": 3, "intimidatie": 4, "fysieke_agressie": 1}
            bi_forms = {"bedreiging", "intimidatie"}
        else:
            p_victim, type_ = design_medewerkers(rng, i, row)
            forms_all = ["verbale_agressie", "bedreiging_intimidatie", "fysieke_agressie"]
            p_form = {"verbale_agressie": 0.95, "bedreiging_intimidatie": 0.5, "fysieke_agressie": 0.07}
            p_soort = {"verbale_agressie": 7, "bedreiging_intimidatie": 3, "fysieke_agressie": 1}
            bi_forms = {"bedreiging_intimidatie"}

        # Prevalence. One respondent in 60 stops before the aggression questions (counted as a dropout).
        victim = rng.random() < p_victim
        if i == ROWS - 7:
            forms = None
        else:
            forms = [f for f in forms_all if victim and rng.random() < p_form[f]]
            if victim and not forms:
                forms = [forms_all[0]]
            for f in forms_all:
                row[f] = "1" if f in forms else "0"
        victim = bool(forms)

        # Incident block.
        na = "nvt" if forms is not None else ""
        if victim:
            counts = incident_count(rng, forms)
            row["aantal_incidenten"] = str(sum(counts.values()))
            online_p = 0.66 if survey == "ambtsdragers" else 0.38
            row["aandeel_online_verbale_agressie"] = (split_online(rng, counts["verbale_agressie"], online_p)
                                                      if "verbale_agressie" in forms else "")
            n_bi = sum(counts[f] for f in forms if f in bi_forms)
            row["aandeel_online_bedreiging_intimidatie"] = split_online(rng, n_bi, online_p - 0.05) if n_bi else ""
            soort = pick(rng, {f: p_soort[f] for f in forms})
            row["soort_incident"] = soort
            severe_p = {"verbale_agressie": 0.22, "bedreiging": 0.76, "intimidatie": 0.47,
                        "bedreiging_intimidatie": 0.4, "fysieke_agressie": 0.6}[soort]
            if rng.random() < 0.03:
                ernst = ""
                severe = False
            else:
                severe = rng.random() < severe_p
                ernst = str(rng.choice([5, 5, 6, 6, 7]) if severe else rng.choice([1, 2, 2, 3, 3, 4, 4, 4]))
            row["ernst"] = ernst
        else:
            for c in ("aantal_incidenten", "aandeel_online_verbale_agressie",
                      "aandeel_online_bedreiging_intimidatie", "ernst"):
                row[c] = ""
            row["soort_incident"] = na
            severe = False

        applicable = True if victim else na
        if survey == "ambtsdragers":
            voorz = type_ == "voorzitter"
            p_bespr = {"besproken_collega": 0.6, "besproken_voorzitter": 0.0 if voorz else 0.4,
                       "besproken_secretaris": 0.55 if voorz else 0.2, "besproken_ambtenaren": 0.2,
                       "besproken_griffier": 0.0 if row["bestuurslaag"] == "waterschap" else 0.18,
                       "besproken_veiligheidsadviseur": 0.2 if voorz else 0.03,
                       "besproken_vertrouwenspersoon": 0.03, "besproken_anders": 0.1,
                       "niet_besproken": 0.15 if severe else 0.42}
            p_meld = {"gemeld_collega": 0.35, "gemeld_voorzitter": 0.0 if voorz else 0.35,
                      "gemeld_secretaris": 0.7 if voorz else 0.2, "gemeld_ambtenaren": 0.2,
                      "gemeld_griffier": 0.0 if row["bestuurslaag"] == "waterschap" else 0.15,
                      "gemeld_veiligheidsadviseur": 0.4 if voorz else 0.03,
                      "gemeld_vertrouwenspersoon": 0.04, "gemeld_anders": 0.05,
                      "niet_gemeld": 0.27 if voorz else (0.28 if severe else 0.68)}
            p_extern = {"extern_politie": 0.5, "extern_partij": 0.3, "extern_vertrouwenspersoon": 0.1,
                        "extern_beroepsorganisatie": 0.06, "extern_anders": 0.25,
                        "niet_extern_gemeld": 0.81 if not severe else 0.6}
        else:
            p_bespr = {"besproken_collega": 0.75, "besproken_leidinggevende": 0.6,
                       "besproken_secretaris": 0.05, "besproken_veiligheidsadviseur": 0.07,
                       "besproken_vertrouwenspersoon": 0.04, "besproken_anders": 0.05,
                       "niet_besproken": 0.16}
            p_meld = {"gemeld_leidinggevende": 0.75, "gemeld_collega": 0.3, "gemeld_registratiesysteem": 0.15,
                      "gemeld_vertrouwenspersoon": 0.08, "gemeld_veiligheidsadviseur": 0.1,
                      "gemeld_secretaris": 0.1, "gemeld_anders": 0.04,
                      "niet_gemeld": 0.26 if severe else 0.58}
            p_extern = {"extern_politie": 0.6, "extern_vertrouwenspersoon": 0.1,
                        "extern_meld_misdaad_anoniem": 0.05, "extern_huis_klokkenluiders": 0.02,
                        "extern_anders": 0.3, "niet_extern_gemeld": 0.9 if not severe else 0.7}
        fill_set(row, info, "besproken_met", applicable, p_bespr, rng, exclusive="niet_besproken")
        fill_set(row, info, "gemeld_bij", applicable, p_meld, rng, exclusive="niet_gemeld")
        neither = victim and row["niet_besproken"] == "1" and row["niet_gemeld"] == "1"
        p_reden = {"reden_niet_gemeld_niet_erg_genoeg": 0.55, "reden_niet_gemeld_hoort_erbij": 0.28,
                   "reden_niet_gemeld_niet_aan_gedacht": 0.12, "reden_niet_gemeld_geen_zin": 0.12,
                   "reden_niet_gemeld_ter_plekke_opgelost": 0.1, "reden_niet_gemeld_wist_niet_dat_het_kon": 0.02,
                   "reden_niet_gemeld_positie_schaden": 0.02, "reden_niet_gemeld_niet_herinneren": 0.01,
                   "reden_niet_gemeld_anders": 0.1}
        fill_set(row, info, "reden_niet_gemeld", True if neither else na, p_reden, rng)
        fill_set(row, info, "extern_gemeld_bij", applicable, p_extern, rng, exclusive="niet_extern_gemeld")

        if victim:
            row["geregistreerd"] = pick(rng, {"ja": 23 if severe else 7, "nee": 55, "weet_ik_niet": 26})
        else:
            row["geregistreerd"] = na

        # Aangifte (multiple response). One victim answers 'weet niet' to the whole question.
        items = info["sets"]["aangifte"]["items"]
        if not victim:
            for it in items:
                row[it] = na
        elif rng.random() < 0.04:
            for it in items:
                row[it] = "weet_niet"
        else:
            p_zelf = {"bedreiging": 0.26, "bedreiging_intimidatie": 0.05, "fysieke_agressie": 0.3}.get(
                row["soort_incident"], 0.02) + (0.07 if severe else 0.0)
            p_org = p_zelf * 0.6
            zelf, org = rng.random() < p_zelf, rng.random() < p_org
            row["aangifte_zelf"] = "1" if zelf else "0"
            row["aangifte_organisatie"] = "1" if org else "0"
            row["aangifte_geen"] = "0" if (zelf or org) else "1"
        geen = victim and row["aangifte_geen"] == "1"
        p_geen = {"reden_geen_aangifte_niet_ernstig_genoeg": 0.3 if severe else 0.68,
                  "reden_geen_aangifte_geen_strafbaar_feit": 0.3, "reden_geen_aangifte_hoort_erbij": 0.2,
                  "reden_geen_aangifte_geen_zin": 0.1, "reden_geen_aangifte_niet_aan_gedacht": 0.1,
                  "reden_geen_aangifte_ter_plekke_opgelost": 0.1, "reden_geen_aangifte_positie_schaden": 0.03,
                  "reden_geen_aangifte_afgeraden_politie_om": 0.02, "reden_geen_aangifte_bang_vergelding": 0.03,
                  "reden_geen_aangifte_wist_niet_dat_het_kon": 0.02, "reden_geen_aangifte_afgeraden_anderen": 0.01,
                  "reden_geen_aangifte_niet_herinneren": 0.02, "reden_geen_aangifte_schaamte": 0.02,
                  "reden_geen_aangifte_politie_geen_tijd": 0.01, "reden_geen_aangifte_anders": 0.1}
        fill_set(row, info, "reden_geen_aangifte", True if geen else na, p_geen, rng)

        # Background (ambtsdragers, bijlage C).
        if survey == "ambtsdragers":
            row["leeftijdsgroep"] = pick(rng, {"leeftijd_18_39": 22, "leeftijd_40_59": 45,
                                               "leeftijd_60_plus": 31, "wil_niet_zeggen": 2})
            if row["bestuurslaag"] == "waterschap":
                partijen = {"waterschapspartij": 30, "vvd": 12, "cda": 10, "bbb": 12, "groenlinks": 6,
                            "pvdd": 5, "sgp": 4, "geen_partij": 5}
            else:
                partijen = {"lokale_partij": 25, "vvd": 15, "cda": 10, "d66": 8, "groenlinks": 6, "pvda": 6,
                            "groenlinks_pvda": 3, "bbb": 6, "christenunie": 4, "sgp": 3, "sp": 3, "pvv": 3,
                            "pvdd": 1, "ja21": 1, "fvd": 1, "volt": 1, "denk": 1, "vijftigplus": 1, "bij1": 1,
                            "andere_partij": 2, "geen_partij": 2, "wil_niet_zeggen": 2}
            row["partij"] = pick(rng, partijen)
            row["migratieachtergrond"] = pick(rng, {"1": 8, "0": 90, "wil_niet_zeggen": 2})
            row["seksuele_orientatie"] = pick(rng, {"hetero": 88, "homo_lesbisch": 4, "biseksueel_panseksueel": 2,
                                                    "aseksueel": 1, "anders": 1, "weet_niet": 1,
                                                    "wil_niet_zeggen": 3})
            row["lichamelijke_beperking"] = pick(rng, {"zichtbaar": 3, "niet_zichtbaar": 7, "geen": 88,
                                                       "wil_niet_zeggen": 2})

        fill_context(survey, info, row, ctx, victim, na)

        # Dropouts (footnote 2: 90% completed the questionnaire): a few victims stop after 'ernst'.
        victims_so_far += victim
        if victim and victims_so_far in (3, 11):
            stop = columns.index("ernst") + 1
            for c in columns[stop:]:
                row[c] = ""
        if forms is None:  # stopped before the prevalence questions
            stop = columns.index(forms_all[0])
            for c in columns[stop:]:
                row[c] = ""

        unset = [c for c in columns if row[c] is None]
        if unset:
            raise SystemExit(f"{survey}: make-example.py does not generate {unset}; update the script")
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------- row checks

def check_rows(survey, info, rows, problems):
    columns = info["columns"]
    seen = set()
    for n, row in enumerate(rows, start=2):  # line numbers as in the file
        w = f"{survey}-example.csv line {n}"
        if list(row) != columns:
            problems.add(w, "columns differ from the codebook")
            continue
        for c in columns:
            if not valid_value(info, c, row[c]):
                problems.add(w, f"{c}={row[c]!r} is not valid")
        rid = row["respondent_id"]
        if not rid or rid in seen:
            problems.add(w, f"respondent_id {rid!r} empty or duplicate")
        seen.add(rid)
        d = compute_derived(info, row)
        forms = [f for f in ("verbale_agressie", "bedreiging", "intimidatie", "bedreiging_intimidatie",
                             "fysieke_agressie") if f in row]
        victim = d["slachtoffer"] == "1"
        incident_cols = columns[columns.index("aantal_incidenten"):
                               (columns.index("reden_geen_aangifte_anders") + 1)]
        if d["slachtoffer"] == "0":
            for c in incident_cols:
                expected = "" if info["kinds"][c] == "numeric" else "nvt"
                if row[c] != expected:
                    problems.add(w, f"non-victim but {c}={row[c]!r}")
        if victim:
            if row["soort_incident"] not in ("", *[f for f in forms if row[f] == "1"]):
                problems.add(w, f"soort_incident={row['soort_incident']} not among the reported forms")
            if row["aantal_incidenten"] and int(row["aantal_incidenten"]) < sum(row[f] == "1" for f in forms):
                problems.add(w, "aantal_incidenten smaller than the number of forms")
            if (row["aandeel_online_verbale_agressie"] != "") != (row["verbale_agressie"] == "1"):
                problems.add(w, "aandeel_online_verbale_agressie does not follow verbale_agressie")
            bi = d.get("bedreiging_intimidatie")
            if (row["aandeel_online_bedreiging_intimidatie"] != "") != (bi == "1"):
                problems.add(w, "aandeel_online_bedreiging_intimidatie does not follow bedreiging/intimidatie")
            for set_name, excl in (("besproken_met", "niet_besproken"), ("gemeld_bij", "niet_gemeld"),
                                   ("extern_gemeld_bij", "niet_extern_gemeld")):
                items = info["sets"][set_name]["items"]
                if row[excl] == "1" and any(row[i] == "1" for i in items if i != excl):
                    problems.add(w, f"{excl}=1 together with another item of {set_name}")
                if all(row[i] in BINARY_CODES for i in items) and not any(row[i] == "1" for i in items):
                    problems.add(w, f"{set_name} answered without any item ticked")
            neither = row["niet_besproken"] == "1" and row["niet_gemeld"] == "1"
            reasons = info["sets"]["reden_niet_gemeld"]["items"]
            if row["niet_besproken"] in BINARY_CODES and not neither and any(row[r] != "nvt" for r in reasons):
                problems.add(w, "reden_niet_gemeld filled although the incident was discussed or reported")
            for set_name in CONTEXT_SETS:
                if set_name not in info["sets"]:
                    continue
                items = info["sets"][set_name]["items"]
                if any(row[i] == "nvt" for i in items):
                    problems.add(w, f"victim but set {set_name} is nvt")
                if all(row[i] in BINARY_CODES for i in items) and not any(row[i] == "1" for i in items):
                    problems.add(w, f"{set_name} answered without any item ticked")
            if "niet_gericht_op_kenmerk" in row and row["niet_gericht_op_kenmerk"] == "1" and any(
                    row[i] == "1" for i in info["sets"]["gericht_op_kenmerk"]["items"] if i != "niet_gericht_op_kenmerk"):
                problems.add(w, "niet_gericht_op_kenmerk=1 together with another item of gericht_op_kenmerk")
            if "achtergrond" in row and row["achtergrond"] == "nvt":
                problems.add(w, "victim but achtergrond is nvt")
            if row["aangifte_geen"] == "1" and "1" in (row["aangifte_zelf"], row["aangifte_organisatie"]):
                problems.add(w, "aangifte_geen=1 together with aangifte")
            reasons = info["sets"]["reden_geen_aangifte"]["items"]
            if row["aangifte_geen"] != "1" and row["aangifte_geen"] != "" and any(row[r] != "nvt" for r in reasons):
                problems.add(w, "reden_geen_aangifte filled although aangifte_geen is not 1")
        # Satisfaction: asked exactly when the derived variable it is routed on is 1 (empty after a dropout).
        for var, (routed_on, _) in SATISFACTION[survey].items():
            if var not in row:
                continue
            if d[routed_on] == "1" and row[var] == "nvt":
                problems.add(w, f"{routed_on}=1 but {var} is nvt")
            if d[routed_on] != "1" and row[var] not in ("nvt", ""):
                problems.add(w, f"{var}={row[var]!r} although {routed_on}={d[routed_on]!r}")
        for var in STATEMENTS:
            if var in row and row[var] == "nvt":
                problems.add(w, f"{var} is asked of everyone but is nvt")
        if survey == "ambtsdragers":
            f, laag = row["functie"], row["bestuurslaag"]
            ok = {"gemeente": GEMEENTE_FUNCTIES, "provincie": PROVINCIE_FUNCTIES,
                  "waterschap": WATERSCHAP_FUNCTIES}[laag]
            if f not in ok:
                problems.add(w, f"functie {f} does not belong to bestuurslaag {laag}")
            if laag == "gemeente" and not re.match(r"^GM[0-9]{4}$", row["gemeentecode"]):
                problems.add(w, "gemeente ambtsdrager without gemeentecode")
            if laag != "gemeente" and row["gemeentecode"]:
                problems.add(w, "gemeentecode filled outside gemeenten")
            strat = row["steekproefstratum"]
            if (strat in ("g4", "steekproefgemeente")) != (f == "raadslid"):
                problems.add(w, f"steekproefstratum {strat} does not fit functie {f}")
            if strat == "g4" and row["gemeentecode"] not in G4:
                problems.add(w, "stratum g4 outside the G4")


# --------------------------------------------------------------------------------------------- SPSS export

def validate_map(mp, info, problems):
    check_keys(problems, "map", mp, ["survey", "rename"], ["recode", "missing"])
    if mp.get("survey") != "ambtsdragers":
        problems.add("map", "survey must be ambtsdragers")
    for src, dst in (mp.get("rename") or {}).items():
        if dst not in info["kinds"] or dst in [d["name"] for d in info["derived"]]:
            problems.add("map.rename", f"{src} -> '{dst}' is not a canonical variable")
    targets = list((mp.get("rename") or {}).values())
    if len(set(targets)) != len(targets):
        problems.add("map.rename", "two export columns map to the same variable")
    for var, table in (mp.get("recode") or {}).items():
        kind = info["kinds"].get(var)
        if kind not in ("categorical", "binary"):
            problems.add("map.recode", f"'{var}' is not a categorical/binary variable")
            continue
        for k, v in table.items():
            if not isinstance(k, str) or not isinstance(v, str):
                problems.add("map.recode", f"{var}: keys and values must be strings (quote numbers)")
            if not valid_value(info, var, v):
                problems.add("map.recode", f"{var}: '{k}' -> '{v}' is not a code of {var}")
    for k, v in (mp.get("missing") or {}).items():
        if v not in info["missing"]:
            problems.add("map.missing", f"'{k}' -> '{v}' is not a missing code")


def apply_map(mp, info, text):
    """What the tool does with a mapped export: ';' + decimal comma in, canonical rows out."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader)
    names = [mp["rename"].get(h, h) for h in header]
    out = []
    for rec in reader:
        row = {}
        for name, value in zip(names, rec):
            kind = info["kinds"].get(name)
            if kind in ("categorical", "binary"):
                value = (mp.get("recode") or {}).get(name, {}).get(value, value)
                value = (mp.get("missing") or {}).get(value, value)
            elif kind == "numeric":
                value = value.replace(",", ".")
            row[name] = value
        out.append(row)
    return names, out


def make_spss(mp, info, rows):
    """Inverse of the map for the first SPSS_ROWS canonical rows."""
    inverse_rename = {dst: src for src, dst in mp["rename"].items()}
    inverse_missing = {v: k for k, v in mp["missing"].items()}
    lines = []
    canon_cols = list(mp["rename"].values())
    lines.append(";".join(inverse_rename[c] for c in canon_cols))
    for row in rows[:SPSS_ROWS]:
        cells = []
        for c in canon_cols:
            v = row[c]
            inv = {code: k for k, code in (mp.get("recode") or {}).get(c, {}).items()}
            if v in inv:
                v = inv[v]
            elif v in inverse_missing and v != "":
                v = inverse_missing[v]
            if v and info["kinds"][c] == "numeric" and not info["ranges"][c][2]:
                v = f"{float(v):.2f}".replace(".", ",")   # SPSS F8.2 with a Dutch decimal comma
            cells.append(v)
        lines.append(";".join(cells))
    return "\r\n".join(lines) + "\r\n"   # Excel/SPSS on Windows writes CRLF


# --------------------------------------------------------------------------------------------- main

def to_csv(columns, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r[c] for c in columns])
    return buf.getvalue()


def main():
    check_only = "--check" in sys.argv[1:]
    problems = Problems()
    infos, outputs = {}, {}
    for survey in ("ambtsdragers", "medewerkers"):
        cb = load_yaml(CODEBOOK_DIR / f"{survey}.yaml")
        if cb.get("survey") != survey:
            problems.add(survey, f"survey key is {cb.get('survey')!r}")
        info = validate_codebook(cb, problems)
        infos[survey] = info
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1

    for survey, info in infos.items():
        rows = make_rows(survey, info)
        check_rows(survey, info, rows, problems)
        outputs[f"{survey}-example.csv"] = to_csv(info["columns"], rows)
        victims = sum(compute_derived(info, r)["slachtoffer"] == "1" for r in rows)
        print(f"{survey}: {len(rows)} rows, {len(info['columns'])} columns, {victims} victims")
        if survey == "ambtsdragers":
            amb_rows = rows

    mp = load_yaml(MAP_FILE)
    validate_map(mp, infos["ambtsdragers"], problems)
    if not problems:
        info = infos["ambtsdragers"]
        spss = make_spss(mp, info, amb_rows)
        names, mapped = apply_map(mp, info, spss.replace("\r\n", "\n"))
        for n, (m, orig) in enumerate(zip(mapped, amb_rows), start=2):
            for c in names:
                if not valid_value(info, c, m[c]):
                    problems.add(f"spss export line {n}", f"{c}={m[c]!r} invalid after mapping")
                same = (m[c] == orig[c] or (info["kinds"].get(c) == "numeric" and m[c] and orig[c]
                                            and float(m[c]) == float(orig[c])))
                if not same:
                    problems.add(f"spss export line {n}", f"{c}: mapped {m[c]!r} != canonical {orig[c]!r}")
        for v in info["variables"].values():
            if v.get("required") and v["name"] not in names:
                problems.add("spss export", f"required variable {v['name']} not in the map")
        outputs["ambtsdragers-spss-export.csv"] = spss
        print(f"spss export: {SPSS_ROWS} rows, {len(names)} columns, map round-trip ok" if not problems else "")

    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if not check_only:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for name, text in outputs.items():
            with open(OUT_DIR / name, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            print(f"wrote {(OUT_DIR / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
