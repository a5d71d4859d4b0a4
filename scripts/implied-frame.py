#!/usr/bin/env python3
"""Which weighting frame do the published 2024 Monitor figures imply?  (docs/errata.md, section 3)

Standard library only. Reads the published figures (data/published/monitor-2024-published.csv) by id and
the frames in data/frames/, and prints Markdown tables for docs/errata.md.

Method. A printed percentage v stands for the interval [v - 0.5, v + 0.5] (clipped to [0, 100]). Under
post-stratification by bestuurslaag and (gemeenten) functie, every respondent of a function has the same
weight, so the weighted % of any group of functions is a weighted mean of the nine function rates
r_f (burgemeester ... AB-lid), with weights W_f = n_f * w_f (respondents in the base times the
per-respondent weight of the candidate frame). The function rates themselves do not depend on the frame.
For each candidate frame the script asks:

  1. interval arithmetic: does the total implied by the printed parts (Tabel 2.2 bestuurslaag rows,
     type-ambtsdrager rows, Tabel 2.3 functions) overlap the printed total?
  2. linear programming: is there any set of function rates r_f in [0, 100] that reproduces *all*
     printed cells of a measure at once (total, bestuurslagen, types, functions)? And which range of
     the total do the other cells allow? (A small floating-point two-phase simplex is included, so
     numpy/scipy are not needed.)
  3. which raadsleden count N (all other cells at the census values of bijlage B Tabel 4.3) is
     consistent with all cells: the frame the figures imply.

It also gives the implied weight shares (bestuurslaag, type ambtsdrager) without assuming any frame,
the expected headline figures under the full-population frame, and the same checks for medewerkers
(bestuurslaag, geslacht, contact).

Usage: python3 scripts/implied-frame.py [path/to/monitor-2024-published.csv]
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLISHED = os.path.join(ROOT, "data", "published", "monitor-2024-published.csv")
FRAMES = os.path.join(ROOT, "data", "frames")

# ----------------------------------------------------------------------------------- published figures
PUB = {}


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            PUB[r["id"]] = r


def pv(pid):
    """(value, source_line) of a published figure; exits if the id is missing or empty."""
    r = PUB.get(pid)
    if r is None or r["value"] == "":
        sys.exit(f"published id not found or empty: {pid}")
    return float(r["value"]), int(r["source_line"])


def gn(pid):
    r = PUB.get(pid)
    if r is None or r["group_n"] == "":
        sys.exit(f"published id without group_n: {pid}")
    return int(r["group_n"])


def iv(v):
    return max(0.0, v - 0.5), min(100.0, v + 0.5)


# ----------------------------------------------------------------------------------- the nine functions
FUNCS = ("burgemeester", "wethouder", "raadslid", "cdk", "gedeputeerde", "statenlid",
         "dijkgraaf", "db_lid", "ab_lid")
LAAG = {"burgemeester": "gemeente", "wethouder": "gemeente", "raadslid": "gemeente",
        "cdk": "provincie", "gedeputeerde": "provincie", "statenlid": "provincie",
        "dijkgraaf": "waterschap", "db_lid": "waterschap", "ab_lid": "waterschap"}
TYPE = {"burgemeester": "voorzitters", "cdk": "voorzitters", "dijkgraaf": "voorzitters",
        "wethouder": "db", "gedeputeerde": "db", "db_lid": "db",
        "raadslid": "vv", "statenlid": "vv", "ab_lid": "vv"}
AGG = {"totaal": set(FUNCS)}
for f in FUNCS:
    AGG.setdefault(LAAG[f], set()).add(f)
    AGG.setdefault(TYPE[f], set()).add(f)
    AGG[f] = {f}
LABEL = {"totaal": "totaal", "gemeente": "gemeenten", "provincie": "provincies", "waterschap": "waterschappen",
         "voorzitters": "voorzitters", "db": "dagelijks bestuurders", "vv": "volksvertegenwoordigers",
         "burgemeester": "burgemeesters", "wethouder": "wethouders", "raadslid": "raadsleden",
         "statenlid": "Statenleden", "ab_lid": "AB-leden", "cdk": "CdK", "gedeputeerde": "gedeputeerden",
         "dijkgraaf": "dijkgraven", "db_lid": "DB-leden"}


def respondents():
    """Tabel 1.2 (line 656-682). The waterschap total is the sum 8+31+123 = 162, not the printed 195."""
    ids = {"burgemeester": "T1.2|Burgemeester|Gemeenten", "wethouder": "T1.2|Wethouder|Gemeenten",
           "raadslid": "T1.2|Raadslid|Gemeenten", "cdk": "T1.2|CdK|Provincies",
           "gedeputeerde": "T1.2|Gedeputeerde|Provincies", "statenlid": "T1.2|Statenlid|Provincies",
           "dijkgraaf": "T1.2|Dijkgraaf/Watergraaf|Waterschappen",
           "db_lid": "T1.2|Lid Dagelijks Bestuur|Waterschappen", "ab_lid": "T1.2|Lid Algemeen Bestuur|Waterschappen"}
    return {f: pv(i)[0] for f, i in ids.items()}


def read_frame(name):
    out = {}
    with open(os.path.join(FRAMES, name), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[r["functie"] if r["functie"] != "*" else r["bestuurslaag"]] = float(r["N"])
    return out


RESP = {}


def weights_from_frame(frame):
    """Per-respondent weight of each function: cell N / respondents in the cell (Tabel 1.2 counts)."""
    n_laag = {}
    for f in FUNCS:
        n_laag[LAAG[f]] = n_laag.get(LAAG[f], 0) + RESP[f]
    w = {}
    for f in FUNCS:
        if LAAG[f] == "gemeente":
            w[f] = frame[f] / RESP[f]
        else:
            w[f] = frame[LAAG[f]] / n_laag[LAAG[f]]
    return w


def weights_laag_only(frame):
    """Weighted by bestuurslaag only (no functie weighting at gemeenten)."""
    n_gem = sum(RESP[f] for f in FUNCS if LAAG[f] == "gemeente")
    w = weights_from_frame(frame)
    gem_total = sum(frame[f] for f in ("burgemeester", "wethouder", "raadslid"))
    for f in ("burgemeester", "wethouder", "raadslid"):
        w[f] = gem_total / n_gem
    return w


# ----------------------------------------------------------------------------------- linear programming
EPS = 1e-9


def simplex_max(c, A, b):
    """Maximise c.x subject to A x <= b, x >= 0. Dense two-phase tableau with Bland's rule.
    Returns ('optimal', value), ('infeasible', None) or ('unbounded', None)."""
    m, n = len(A), len(c)
    n_art = sum(1 for bi in b if bi < -EPS)
    width = n + m + n_art + 1
    rows, basis, art = [], [], []
    k = 0
    for i in range(m):
        row = [0.0] * width
        sign = -1.0 if b[i] < -EPS else 1.0
        for j in range(n):
            row[j] = sign * A[i][j]
        row[n + i] = sign
        row[-1] = sign * b[i]
        if sign < 0:
            row[n + m + k] = 1.0
            basis.append(n + m + k)
            art.append(n + m + k)
            k += 1
        else:
            basis.append(n + i)
        rows.append(row)

    def pivot(r, col):
        pr = [v / rows[r][col] for v in rows[r]]
        rows[r] = pr
        for i in range(len(rows)):
            if i != r:
                fct = rows[i][col]
                if abs(fct) > EPS:
                    rows[i] = [a - fct * p for a, p in zip(rows[i], pr)]
        basis[r] = col

    def run(obj, cols):
        while True:
            enter = None
            for j in cols:
                if j in basis:
                    continue
                rc = obj[j] - sum(obj[basis[i]] * rows[i][j] for i in range(len(rows)))
                if rc > EPS:
                    enter = j
                    break
            if enter is None:
                return "optimal"
            best, leave = None, None
            for i in range(len(rows)):
                a = rows[i][enter]
                if a > EPS:
                    ratio = rows[i][-1] / a
                    if best is None or ratio < best - EPS or (abs(ratio - best) <= EPS and basis[i] < basis[leave]):
                        best, leave = ratio, i
            if leave is None:
                return "unbounded"
            pivot(leave, enter)

    ncols = n + m + n_art
    if n_art:
        obj1 = [0.0] * ncols
        for a in art:
            obj1[a] = -1.0
        run(obj1, range(ncols))
        if sum(rows[i][-1] for i in range(len(rows)) if basis[i] in art) > 1e-7:
            return "infeasible", None
        for i in range(len(rows)):
            if basis[i] in art:
                for j in range(n + m):
                    if abs(rows[i][j]) > EPS:
                        pivot(i, j)
                        break
    obj2 = [0.0] * ncols
    for j in range(n):
        obj2[j] = c[j]
    status = run(obj2, range(n + m))
    if status != "optimal":
        return status, None
    return "optimal", sum(obj2[basis[i]] * rows[i][-1] for i in range(len(rows)))


def coef(agg, W):
    s = sum(W[f] for f in AGG[agg])
    return [W[f] / s if f in AGG[agg] else 0.0 for f in FUNCS]


def lp_system(cells, W, drop=()):
    A, b = [], []
    for agg, v in cells.items():
        if agg in drop:
            continue
        lo, hi = iv(v)
        c = coef(agg, W)
        A.append(c)
        b.append(hi)
        A.append([-x for x in c])
        b.append(-lo)
    for j in range(len(FUNCS)):
        row = [0.0] * len(FUNCS)
        row[j] = 1.0
        A.append(row)
        b.append(100.0)
    return A, b


def lp_range(cells, W, target, obj_W=None, drop=()):
    """Min and max of the (obj_W-weighted) % of aggregate `target` over all function rates that
    reproduce `cells` (minus `drop`) under weights W. None if the cells are jointly infeasible."""
    A, b = lp_system(cells, W, drop)
    c = coef(target, obj_W or W)
    s1, hi = simplex_max(c, A, b)
    if s1 != "optimal":
        return None
    _, lo = simplex_max([-x for x in c], A, b)
    return -lo, hi


def lp_minmax(cells, W, c):
    """Min and max of c.r over the function rates r that reproduce `cells` under weights W."""
    A, b = lp_system(cells, W)
    s1, hi = simplex_max(c, A, b)
    if s1 != "optimal":
        return None
    _, lo = simplex_max([-x for x in c], A, b)
    return -lo, hi


def feasible(cells, W):
    A, b = lp_system(cells, W)
    return simplex_max([0.0] * len(FUNCS), A, b)[0] == "optimal"


# ----------------------------------------------------------------------------------- formatting
def overlaps(lo, hi, v):
    a, b = iv(v)
    return lo <= b + 1e-9 and hi >= a - 1e-9


def mark(ok):
    return "fits" if ok else "**no**"


def rng(lo, hi):
    return f"{lo:.1f}–{hi:.1f}"


def md_table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print()


# ----------------------------------------------------------------------------------- the published cells
MEASURES = [  # (label, Tabel 2.2 column, text id of the total)
    ("totaal", "Totaal", "tx2.2|Slachtofferschap afgelopen 12 maanden|Totaal|Totaal"),
    ("verbale agressie", "Verbale agressie", "tx2.2|Slachtofferschap afgelopen 12 maanden|Verbale agressie|Totaal"),
    ("bedreiging/intimidatie", "Bedreiging/Intimidatie",
     "tx2.2|Slachtofferschap afgelopen 12 maanden|Bedreiging of intimidatie|Totaal"),
    ("fysieke agressie", "Fysieke agressie", "tx2.2|Slachtofferschap afgelopen 12 maanden|Fysieke agressie|Totaal"),
]
T22_ROWS = {"gemeente": "Gemeenten", "provincie": "Provincies", "waterschap": "Waterschappen",
            "voorzitters": "Voorzitters", "db": "Leden dagelijks bestuur", "vv": "Volksvertegenwoordigers"}
T23_ROWS = {"burgemeester": "Burgemeesters", "wethouder": "Wethouders", "raadslid": "Raadsleden",
            "statenlid": "Provinciale Statenleden"}


def prevalence_items():
    items = []
    for label, col, tid in MEASURES:
        cells, lines = {}, {}
        cells["totaal"], lines["totaal"] = pv(tid)
        for agg, row in T22_ROWS.items():
            cells[agg], lines[agg] = pv(f"T2.2|{row}|{col}")
        if col == "Totaal":
            for agg, row in T23_ROWS.items():
                cells[agg], lines[agg] = pv(f"T2.3|{row}|2024")
        items.append((label, cells, lines))
    return items


ORGS = ["Meld Misdaad Anoniem (Stichting M)", "Woningscan of regeling preventieve beveiliging (CCV)",
        "Ondersteuningsteam Weerbaar Bestuur", "Slachtofferhulp Nederland", "Arq/IVP"]
CATS = ["Volledig bekend", "Een beetje bekend", "Ik ken ze van naam", "Nooit van gehoord"]
T231_COLS = {"burgemeester": "Burgemeesters", "wethouder": "Wethouders", "raadslid": "Raadsleden",
             "statenlid": "Statenleden", "ab_lid": "AB-leden"}
T230_COLS = {"voorzitters": "Voorzitters", "db": "Dagelijks bestuurders", "vv": "Volksvertegenwoordigers"}


def bekendheid_items():
    items = []
    for org in ORGS:
        for cat in CATS:
            cells, lines = {}, {}
            cells["totaal"], lines["totaal"] = pv(f"T2.31|{org}|{cat}|Totaal")
            for agg, col in T231_COLS.items():
                cells[agg], lines[agg] = pv(f"T2.31|{org}|{cat}|{col}")
            for agg, col in T230_COLS.items():
                cells[agg], lines[agg] = pv(f"T2.30|{org}|{cat}|{col}")
            short = org.split(" (")[0].replace("Woningscan of regeling preventieve beveiliging", "Woningscan CCV")
            items.append((f"{short}: {cat.lower()}", cells, lines))
    return items


def bekendheid_base():
    """Respondents per function in the n=977 base of Tabel 2.30/2.31. CdK, gedeputeerden, dijkgraven and
    DB-leden are not shown: voorzitters 80 - burgemeesters 69 = 11 CdK + dijkgraven, dagelijks
    bestuurders 264 - wethouders 223 = 41 gedeputeerden + DB-leden, split as in Tabel 1.2 (6:8, 15:31)."""
    o, c = ORGS[0], CATS[0]
    n = {f: gn(f"T2.31|{o}|{c}|{col}") for f, col in T231_COLS.items()}
    v_rest = gn(f"T2.30|{o}|{c}|Voorzitters") - n["burgemeester"]
    d_rest = gn(f"T2.30|{o}|{c}|Dagelijks bestuurders") - n["wethouder"]
    n["cdk"] = v_rest * RESP["cdk"] / (RESP["cdk"] + RESP["dijkgraaf"])
    n["dijkgraaf"] = v_rest - n["cdk"]
    n["gedeputeerde"] = d_rest * RESP["gedeputeerde"] / (RESP["gedeputeerde"] + RESP["db_lid"])
    n["db_lid"] = d_rest - n["gedeputeerde"]
    return n


# ----------------------------------------------------------------------------------- sections
def interval_identity(cells, W, target, parts):
    S = sum(sum(W[f] for f in AGG[p]) for p in parts)
    lo = sum(sum(W[f] for f in AGG[p]) * iv(cells[p])[0] for p in parts) / S
    hi = sum(sum(W[f] for f in AGG[p]) * iv(cells[p])[1] for p in parts) / S
    mid = sum(sum(W[f] for f in AGG[p]) * cells[p] for p in parts) / S
    return lo, mid, hi


def main():
    load(sys.argv[1] if len(sys.argv) > 1 else PUBLISHED)
    RESP.update(respondents())
    invited = read_frame("ambtsdragers-2024-uitgenodigd.csv")
    population = read_frame("ambtsdragers-2024-populatie.csv")
    invited_615 = dict(invited, provincie=pv("T4.3B|Provincie|Totaal|Totaal uitgenodigd|2024")[0])
    unweighted = {f: 1.0 for f in FUNCS}
    frames = [
        ("(a) unweighted (Tabel 1.2)", unweighted),
        ("(b) invited, provincie 645", weights_from_frame(invited)),
        ("(b') invited, provincie 615 as printed", weights_from_frame(invited_615)),
        ("(c) full population, raadsleden 8476", weights_from_frame(population)),
        ("(d) invited, bestuurslaag only", weights_laag_only(invited)),
    ]
    short = ["(a)", "(b)", "(b')", "(c)", "(d)"]
    prev = prevalence_items()
    bek = bekendheid_items()
    n_bek = bekendheid_base()

    print("### 3.1 Candidate weightings (per-respondent weight by function)\n")
    md_table(["function", "n (Tabel 1.2)"] + short,
             [[LABEL.get(f, f), int(RESP[f])] + [f"{w[f]:.2f}" for _, w in frames] for f in FUNCS])
    print("(a) = Tabel 1.2 counts; (b) = `ambtsdragers-2024-uitgenodigd.csv`; (b') = the same with the printed "
          "provincie total 615; (c) = `ambtsdragers-2024-populatie.csv`; (d) = invited bestuurslaag totals, "
          "no functie weighting at gemeenten.\n")

    # ---- 3.2 interval arithmetic, prevalence
    print("### 3.2 Prevalence: totals implied by the printed parts (interval arithmetic)\n")
    rows = []
    for label, cells, lines in prev:
        Wp = {name: {f: RESP[f] * w[f] for f in FUNCS} for name, w in frames}
        ident = [("bestuurslagen (T2.2)", "totaal", ["gemeente", "provincie", "waterschap"]),
                 ("types (T2.2)", "totaal", ["voorzitters", "db", "vv"])]
        if "raadslid" in cells:
            ident += [("functies (T2.3) → gemeenten", "gemeente", ["burgemeester", "wethouder", "raadslid"]),
                      ("functies + provincie + waterschap", "totaal",
                       ["burgemeester", "wethouder", "raadslid", "provincie", "waterschap"])]
        for name, target, parts in ident:
            row = [label, name, f"{cells[target]:.0f} (l. {lines[target]})"]
            for fname, _ in frames:
                lo, mid, hi = interval_identity(cells, Wp[fname], target, parts)
                row.append(f"{mid:.1f} [{rng(lo, hi)}] {mark(overlaps(lo, hi, cells[target]))}")
            rows.append(row)
    md_table(["measure", "parts", "printed"] + short, rows)

    # ---- 3.3 joint LP, prevalence
    print("### 3.3 Prevalence: all cells of a measure at once (linear programming)\n")
    print("Range of the total that the other printed cells allow (function rates free in [0, 100], every "
          "printed cell within ±0.5), and whether the printed total is inside it.\n")
    rows = []
    for label, cells, lines in prev:
        row = [label, f"{cells['totaal']:.0f}"]
        for fname, w in frames:
            W = {f: RESP[f] * w[f] for f in FUNCS}
            r = lp_range(cells, W, "totaal", drop=("totaal",))
            if r is None:
                row.append("parts infeasible")
            else:
                row.append(f"{rng(*r)} {mark(overlaps(r[0], r[1], cells['totaal']))}")
        rows.append(row)
    md_table(["measure", "printed total"] + short, rows)

    # ---- 3.4 bekendheid steunpunten (Tabel 2.30 / 2.31): 20 items with function cells
    print("### 3.4 Tabel 2.30/2.31 (bekendheid steunpunten, n=977): 20 items with function cells\n")
    print("Volksvertegenwoordigers = raadsleden + Statenleden + AB-leden, all three printed in Tabel 2.31, so "
          "the type cell is fully determined by the frame (no unknown rates). The total needs the rates of "
          "CdK, gedeputeerden, dijkgraven and DB-leden (not printed), so it is checked by LP.\n")
    summary = {fname: [0, 0] for fname, _ in frames}
    rows = []
    for label, cells, lines in bek:
        row = [label, f"{cells['vv']:.0f} / {cells['totaal']:.0f}"]
        for fname, w in frames:
            W = {f: n_bek[f] * w[f] for f in FUNCS}
            lo, mid, hi = interval_identity(cells, W, "vv", ["raadslid", "statenlid", "ab_lid"])
            ok_vv = overlaps(lo, hi, cells["vv"])
            ok_all = feasible(cells, W)
            summary[fname][0] += ok_vv
            summary[fname][1] += ok_all
            row.append(f"{mid:.1f}{'' if ok_vv else ' ✗'} / {'ok' if ok_all else '✗'}")
        rows.append(row)
    md_table(["item (Tabel 2.31 line " + f"{bek[0][2]['totaal']}–{bek[-1][2]['totaal']})", "printed VV / total"]
             + [s + " VV / all cells" for s in short], rows)
    md_table(["frame", "VV cell reproduced (of 20)", "all cells jointly feasible (of 20)"],
             [[fname, summary[fname][0], summary[fname][1]] for fname, _ in frames])

    # ---- Tabel 2.28 types against totals printed in the text (not in the published CSV: 'other' topic)
    print("Tabel 2.28 (organisatiebeleid, n=1082; type columns n = 92/302/688 = Tabel 1.2) against the totals "
          "in the running text, which the transcription does not hold (hard-coded here):\n")
    t228 = [("Ik vind dat mijn organisatie adequaat reageert op incidenten van agressie en intimidatie", 66, 2831),
            ("Ik vind dat mijn organisatie voldoende doet om agressie en intimidatie door mensen buiten mijn "
             "organisatie te voorkomen", 64, 2832)]
    rows = []
    for stmt, T, line in t228:
        cells = {"totaal": T}
        for agg, col in (("voorzitters", "Voorzitters"), ("db", "Leden dagelijks bestuur"),
                         ("vv", "Volksvertegenwoordigers")):
            cells[agg] = pv(f"T2.28|{stmt}|{col}")[0]
        row = [stmt.replace("Ik vind dat mijn organisatie ", "")[:45] + "…",
               f"{T} (l. {line})", "/".join(f"{cells[a]:.0f}" for a in ("voorzitters", "db", "vv"))]
        for fname, w in frames[:4]:
            W = {f: RESP[f] * w[f] for f in FUNCS}
            lo, mid, hi = interval_identity(cells, W, "totaal", ["voorzitters", "db", "vv"])
            row.append(f"{mid:.1f} {mark(overlaps(lo, hi, T))}")
        rows.append(row)
    md_table(["statement", "text total", "types"] + short[:4], rows)

    # ---- 3.5 scan over the raadsleden count
    print("### 3.5 Which raadsleden count do the figures imply?\n")
    print("All cells at the invited (census) values except gemeente/raadslid = N. For each N: are all cells "
          "of every item jointly feasible (LP)?\n")

    def w_for(N):
        return weights_from_frame(dict(invited, raadslid=float(N)))

    def ok_prev(N):
        w = w_for(N)
        W = {f: RESP[f] * w[f] for f in FUNCS}
        return all(feasible(c, W) for _, c, _ in prev)

    def ok_bek(N):
        w = w_for(N)
        W = {f: n_bek[f] * w[f] for f in FUNCS}
        return all(feasible(c, W) for _, c, _ in bek)

    def feasible_interval(test, grid):
        good = [N for N in grid if test(N)]
        if not good:
            return None
        lo, hi = min(good), max(good)
        step = grid[1] - grid[0]
        # refine the edges by bisection (the feasible set is an interval on this grid)
        a, b = max(grid[0], lo - step), lo
        while b - a > 2:
            m = (a + b) / 2
            a, b = (a, m) if test(m) else (m, b)
        lo = b
        a, b = hi, min(grid[-1], hi + step)
        while b - a > 2:
            m = (a + b) / 2
            a, b = (m, b) if test(m) else (a, m)
        hi = a
        contiguous = all(test(N) for N in grid if lo <= N <= hi)
        return lo, hi, contiguous

    grid = list(range(500, 12001, 250))
    r_prev = feasible_interval(ok_prev, grid)
    r_bek = feasible_interval(ok_bek, grid)
    r_both = feasible_interval(lambda N: ok_prev(N) and ok_bek(N), grid)
    others = invited["burgemeester"] + invited["wethouder"]

    def share(N):
        return N / (N + others)

    rows = []
    for name, r in (("prevalence (Tabel 2.2, 2.3, Figuur 2.2 text)", r_prev),
                    ("bekendheid (Tabel 2.30, 2.31)", r_bek), ("both", r_both)):
        if r is None:
            rows.append([name, "none", "", ""])
        else:
            rows.append([name, f"{r[0]:.0f}–{r[1]:.0f}{'' if r[2] else ' (not contiguous)'}",
                         f"{100 * share(r[0]):.0f}–{100 * share(r[1]):.0f}%",
                         f"{'yes' if r[0] <= invited['raadslid'] <= r[1] else 'no'} / "
                         f"{'yes' if r[0] <= population['raadslid'] <= r[1] else 'no'}"])
    md_table(["cells", "feasible raadsleden N", "raadsleden share of gemeente weight",
              f"contains {invited['raadslid']:.0f} / {population['raadslid']:.0f}"], rows)
    b, wv, rv = pv("T2.3|Burgemeesters|2024")[0], pv("T2.3|Wethouders|2024")[0], pv("T2.3|Raadsleden|2024")[0]
    g = pv("T2.2|Gemeenten|Totaal")[0]
    point = (invited["burgemeester"] * (b - g) + invited["wethouder"] * (wv - g)) / (g - rv)
    print(f"Point estimate from the gemeente identity with printed values taken as exact: "
          f"N = ({invited['burgemeester']:.0f}·({b:.0f}−{g:.0f}) + {invited['wethouder']:.0f}·({wv:.0f}−{g:.0f}))"
          f" / ({g:.0f}−{rv:.0f}) = {point:.0f}.\n")

    # ---- 3.6 implied shares without a frame
    print("### 3.6 Weight shares implied by the parts (no frame assumed)\n")
    print("Shares s_g (summing to 1) for which every measure's printed parts reproduce its printed total "
          "within rounding (Σ s_g·lo_g ≤ T_hi and Σ s_g·hi_g ≥ T_lo for all four measures); grid 0.001.\n")
    share_rows = []
    for title, groups in (("bestuurslaag", ["gemeente", "provincie", "waterschap"]),
                          ("type ambtsdrager", ["voorzitters", "db", "vv"])):
        feas = []
        step = 0.001
        nstep = int(round(1 / step))
        for i in range(nstep + 1):
            for j in range(nstep + 1 - i):
                s = (i * step, j * step, 1 - (i + j) * step)
                ok = True
                for _, cells, _ in prev:
                    lo = sum(sg * iv(cells[gname])[0] for sg, gname in zip(s, groups))
                    hi = sum(sg * iv(cells[gname])[1] for sg, gname in zip(s, groups))
                    if not overlaps(lo, hi, cells["totaal"]):
                        ok = False
                        break
                if ok:
                    feas.append(s)
        for k, gname in enumerate(groups):
            vals = [s[k] for s in feas]
            cand = []
            for fname, w in frames[:4]:
                W = {f: RESP[f] * w[f] for f in FUNCS}
                tot = sum(W.values())
                sh = sum(W[f] for f in AGG[gname]) / tot
                cand.append(f"{100 * sh:.1f} {mark(min(vals) - 1e-9 <= sh <= max(vals) + 1e-9)}")
            share_rows.append([title, LABEL[gname], f"{100 * min(vals):.1f}–{100 * max(vals):.1f}"] + cand)
    md_table(["partition", "group", "implied share %"] + [s + " %" for s in short[:4]], share_rows)

    # ---- 3.7 geslacht (Tabel 2.2): not a full partition
    print("### 3.7 Geslacht (Tabel 2.2)\n")
    m_v = []
    for label, col, tid in MEASURES[:3]:
        T = pv(tid)[0]
        M, V = pv(f"T2.2|Mannen|{col}")[0], pv(f"T2.2|Vrouwen|{col}")[0]
        Tl, Th = iv(T)
        Ml, Mh = iv(M)
        Vl, Vh = iv(V)
        flo = max(0.0, (Tl - Mh) / (Vh - Mh))
        fhi = min(1.0, (Th - Ml) / (Vl - Ml))
        m_v.append([label, f"{T:.0f}", f"{M:.0f} / {V:.0f}", f"{flo:.3f}–{fhi:.3f}"])
    md_table(["measure", "total", "mannen / vrouwen", "implied weighted female share (if M+V = all)"], m_v)
    nm, nv = gn("T2.26|Het risico om in aanraking te komen met agressie en intimidatie op het werk; "
                "beinvloedt mijn persoonlijke leven|Mannen"), \
        gn("T2.26|Het risico om in aanraking te komen met agressie en intimidatie op het werk; "
           "beinvloedt mijn persoonlijke leven|Vrouwen")
    base26 = int(PUB["T2.26|Het risico om in aanraking te komen met agressie en intimidatie op het werk; "
                     "beinvloedt mijn persoonlijke leven|Mannen"]["base_n"])
    fem = nv / (nm + nv)
    u = 1 - (nm + nv) / base26
    T, M, V = 45.0, 37.0, 55.0
    x = (T - (1 - u) * ((1 - fem) * M + fem * V)) / u
    print(f"Respondents: Tabel 2.26 has {nm} mannen + {nv} vrouwen of n={base26} (female share {fem:.3f}; "
          f"{100 * u:.1f}% without geslacht, the drop-outs before the background questions). Functie/bestuurslaag "
          f"weighting cannot lift the female share to 0.40: even with every woman a raadslid (the heaviest cell) "
          f"the invited frame gives at most "
          f"{max_female_share(weights_from_frame(invited), fem):.3f}. With the respondents' own female share, "
          f"the printed total 45 needs the {100 * u:.0f}% without geslacht to have a prevalence of about {x:.0f}% "
          f"(mannen 37, vrouwen 55). Plausible (victims get the long questionnaire and drop out more), but "
          f"synthetic data must reproduce it.\n")

    # ---- 3.8 headline under the full-population frame
    print("### 3.8 Expected headline figures under the full-population frame\n")
    print("Function rates constrained by all printed cells under the invited frame (b); the same rates "
          "re-weighted with the population frame (c). Only the raadsleden cell changes "
          f"({invited['raadslid']:.0f} → {population['raadslid']:.0f}).\n")
    w_inv, w_pop = weights_from_frame(invited), weights_from_frame(population)
    Wi = {f: RESP[f] * w_inv[f] for f in FUNCS}
    Wp = {f: RESP[f] * w_pop[f] for f in FUNCS}
    rows = []
    for label, cells, lines in prev:
        row = [label, f"{cells['totaal']:.0f}"]
        for target in ("totaal", "gemeente", "vv"):
            r = lp_range(cells, Wi, target, obj_W=Wp)
            d = lp_minmax(cells, Wi, [a - b for a, b in zip(coef(target, Wp), coef(target, Wi))])
            row.append(f"{rng(*r)} ({d[0]:+.1f} to {d[1]:+.1f})" if r else "infeasible")
        r = lp_range(cells, Wi, "raadslid")
        row.append(rng(*r))
        rows.append(row)
    md_table(["measure", "printed total", "totaal under (c) (change from (b))", "gemeenten under (c) (change)",
              "volksvertegenwoordigers under (c) (change)", "raadsleden (same in every frame)"], rows)
    cells = prev[0][1]
    gem_p = sum(population[f] * cells[f] for f in ("burgemeester", "wethouder", "raadslid")) / \
        sum(population[f] for f in ("burgemeester", "wethouder", "raadslid"))
    gem_i = sum(invited[f] * cells[f] for f in ("burgemeester", "wethouder", "raadslid")) / \
        sum(invited[f] for f in ("burgemeester", "wethouder", "raadslid"))
    ng_p = sum(population[f] for f in ("burgemeester", "wethouder", "raadslid"))
    ng_i = sum(invited[f] for f in ("burgemeester", "wethouder", "raadslid"))
    tot_p = (ng_p * gem_p + population["provincie"] * cells["provincie"] + population["waterschap"] * cells["waterschap"]) \
        / (ng_p + population["provincie"] + population["waterschap"])
    tot_i = (ng_i * gem_i + invited["provincie"] * cells["provincie"] + invited["waterschap"] * cells["waterschap"]) \
        / (ng_i + invited["provincie"] + invited["waterschap"])
    print(f"Point values (printed Tabel 2.3/2.2 cells taken as exact): totaal {tot_i:.1f} (invited) → {tot_p:.1f} "
          f"(population); gemeenten {gem_i:.1f} → {gem_p:.1f}.\n")

    # ---- 3.9 2022 check
    print("### 3.9 2022 (all raadsleden invited): types against the total\n")
    f22 = {"burgemeester": "Burgemeesters", "wethouder": "Wethouders", "raadslid": "Raadsleden", "cdk": "CvK",
           "gedeputeerde": "Gedeputeerden", "statenlid": "Statenleden", "dijkgraaf": "Dijkgraven/Watergraven",
           "db_lid": "DB-leden", "ab_lid": "AB-leden"}
    inv22, res22 = {}, {}
    for f, lab in f22.items():
        laag = {"gemeente": "Gemeente", "provincie": "Provincie", "waterschap": "Waterschap"}[LAAG[f]]
        inv22[f] = pv(f"T4.3B|{laag}|{lab}|Totaal uitgenodigd|2022")[0]
        res22[f] = pv(f"T4.3B|{laag}|{lab}|Respons|2022")[0]
    cells22 = {"totaal": pv("tx2.2|Slachtofferschap trend|Totaal|Totaal|2022")[0],
               "voorzitters": pv("T2.3|Voorzitters|2022")[0], "db": pv("T2.3|Dagelijks bestuurders|2022")[0],
               "vv": pv("T2.3|Volksvertegenwoordigers|2022")[0]}
    frame22 = {f: inv22[f] for f in ("burgemeester", "wethouder", "raadslid")}
    for laag in ("provincie", "waterschap"):
        frame22[laag] = sum(inv22[f] for f in FUNCS if LAAG[f] == laag)
    saved = dict(RESP)
    RESP.update(res22)
    W22 = {f: RESP[f] * weights_from_frame(frame22)[f] for f in FUNCS}
    W22u = {f: RESP[f] for f in FUNCS}
    rows = []
    for name, W in (("2022 frame (Tabel 4.3 2022 invited = all)", W22), ("2022 unweighted (respons 3033)", W22u)):
        lo, mid, hi = interval_identity(cells22, W, "totaal", ["voorzitters", "db", "vv"])
        rows.append([name, f"{cells22['totaal']:.0f}", f"{mid:.1f} [{rng(lo, hi)}] {mark(overlaps(lo, hi, cells22['totaal']))}"])
    RESP.clear()
    RESP.update(saved)
    md_table(["2022 weighting", "printed total 2022", "implied by types 75/67/45"], rows)

    medewerkers()
    victim_counts()


def victim_counts():
    print("### 3.11 Unweighted victim counts (bases of the follow-up figures) against the printed prevalence\n")
    print("The follow-up questions go to victims, so their printed bases are unweighted numbers of victims. "
          "Figuur 2.8 and 3.6 (how often) are asked of every victim, so 483 and 181 are the victim counts; the "
          "online/offline bases (Figuur 2.6/2.7, 3.4/3.5) may miss victims who skipped the split, so those "
          "are lower bounds. (Tabel 2.6b also has n=441, for all forms: the ambtsdragers bases vary.)\n")
    spec = [
        ("ambtsdragers", "totaal", "tx2.2|Herhaald slachtofferschap|Herhaaldelijk slachtoffer (meer dan eens)|% van slachtoffers",
         "Figuur 2.8", MEASURES[0][2], 1076),
        ("ambtsdragers", "verbale agressie", "txMS-A|Online/offline|Verbale agressie|% online", "Figuur 2.6",
         MEASURES[1][2], 1076),
        ("ambtsdragers", "bedreiging/intimidatie", "txMS-A|Online/offline|Bedreiging en intimidatie|% online",
         "Figuur 2.7", MEASURES[2][2], 1076),
        ("medewerkers", "totaal", "tx3.2|Herhaald slachtofferschap|Meer dan een keer slachtoffer|% van slachtoffers",
         "Figuur 3.6", "tx3.2|Slachtofferschap afgelopen 12 maanden|Totaal|Totaal", 694),
        ("medewerkers", "verbale agressie", "F3.4|Verbale agressie|Offline", "Figuur 3.4",
         "tx3.2|Slachtofferschap afgelopen 12 maanden|Verbale agressie|Totaal", 694),
        ("medewerkers", "bedreiging/intimidatie", "F3.5|Bedreiging en intimidatie|Offline", "Figuur 3.5",
         "tx3.2|Slachtofferschap afgelopen 12 maanden|Bedreiging en intimidatie|Totaal", 694),
    ]
    rows = []
    for survey, label, bid, fig, tid, base in spec:
        n = int(PUB[bid]["base_n"])
        T, lT = pv(tid)
        u = 100 * n / base
        rows.append([survey, label, f"{n} ({fig})", base, f"{u:.1f}", f"{T:.0f} (l. {lT})",
                     "yes" if iv(T)[0] <= u <= iv(T)[1] else "**no**"])
    md_table(["survey", "measure", "victims n", "base n", "unweighted %", "printed %", "unweighted rounds to printed"],
             rows)
    # first-order effect of the medewerkers frame on the total
    fr_l, fr_g = {}, {}
    with open(os.path.join(FRAMES, "medewerkers-2024-bestuurslaag.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fr_l[r["bestuurslaag"]] = float(r["N"])
    with open(os.path.join(FRAMES, "medewerkers-2024-geslacht.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fr_g[r["geslacht"]] = float(r["N"])
    n_tot = pv("T1.3|Totaal|Respons 2024 Totaal")[0]
    ds = fr_l["gemeente"] / sum(fr_l.values()) - pv("T1.3|Gemeenten|Respons 2024 Totaal")[0] / n_tot
    n_m, n_v = gn("T3.5|Slachtofferschap totaal|Mannen"), gn("T3.5|Slachtofferschap totaal|Vrouwen")
    df = fr_g["vrouw"] / (fr_g["vrouw"] + fr_g["man"]) - n_v / (n_m + n_v)
    G = pv("tx3.2|Slachtofferschap naar bestuurslaag|Gemeenten|Totaal")[0]
    P = pv("tx3.2|Slachtofferschap naar bestuurslaag|Provincies en waterschappen|Totaal")[0]
    M, V = pv("T3.5|Slachtofferschap totaal|Mannen")[0], pv("T3.5|Slachtofferschap totaal|Vrouwen")[0]
    n181 = int(PUB[spec[3][2]]["base_n"])
    u = 100 * n181 / 694
    d_lo, d_hi = ds * (G - P - 1) + df * (V - M - 1), ds * (G - P + 1) + df * (V - M + 1)
    print(f"Medewerkers: the frame moves the gemeente share by {100 * ds:+.1f} points and the female share by "
          f"{100 * df:+.1f} points; with the printed differences (gemeenten − provincies/waterschappen "
          f"{G - P:.0f}, vrouwen − mannen {V - M:.0f}, each ±1) the first-order shift of the total is "
          f"{d_lo:+.1f} to {d_hi:+.1f} points: {u:.1f} → {u + d_lo:.1f}–{u + d_hi:.1f} (printed 27, "
          f"26.5–27.5). Additive effects overstate the shift when the two margins are correlated, so this "
          f"is an upper estimate.\n")


def max_female_share(w, fem):
    """Upper bound of the weighted female share if every woman sits in the heaviest cells (greedy)."""
    n_total = sum(RESP.values())
    women = fem * n_total
    tot_w = sum(RESP[f] * w[f] for f in FUNCS)
    got = 0.0
    for f in sorted(FUNCS, key=lambda f: -w[f]):
        take = min(RESP[f], women)
        got += take * w[f]
        women -= take
        if women <= 0:
            break
    return got / tot_w


def medewerkers():
    print("### 3.10 Medewerkers\n")
    meas = [("totaal", "tx3.2|Slachtofferschap afgelopen 12 maanden|Totaal|Totaal", "Slachtofferschap totaal"),
            ("verbale agressie", "tx3.2|Slachtofferschap afgelopen 12 maanden|Verbale agressie|Totaal", "Verbale agressie"),
            ("bedreiging/intimidatie", "tx3.2|Slachtofferschap afgelopen 12 maanden|Bedreiging en intimidatie|Totaal",
             "Bedreiging/ intimidatie"),
            ("fysieke agressie", "tx3.2|Slachtofferschap afgelopen 12 maanden|Fysieke agressie|Totaal", "Fysieke agressie")]
    fr_l = {}
    with open(os.path.join(FRAMES, "medewerkers-2024-bestuurslaag.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fr_l[r["bestuurslaag"]] = float(r["N"])
    fr_g = {}
    with open(os.path.join(FRAMES, "medewerkers-2024-geslacht.csv"), newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fr_g[r["geslacht"]] = float(r["N"])
    n_gem = pv("T1.3|Gemeenten|Respons 2024 Totaal")[0]
    n_tot = pv("T1.3|Totaal|Respons 2024 Totaal")[0]
    n_m, n_v = gn("T3.5|Slachtofferschap totaal|Mannen"), gn("T3.5|Slachtofferschap totaal|Vrouwen")
    a = 1 - (n_m + n_v) / n_tot  # 'anders': in the total, in neither gender column

    def two_group(T, A, B, slack=0.0):
        """Share s of group A with s*A + (1-s)*B within rounding of T; a share `slack` of the total
        belongs to neither group, with any rate in [0, 100]."""
        Tl, Th = iv(T)
        Al, Ah = iv(A)
        Bl, Bh = iv(B)
        Tl = (Tl - slack * 100) / (1 - slack)
        Th = Th / (1 - slack)
        lo, hi, N = None, None, 2000
        for i in range(N + 1):
            s = i / N
            if s * Al + (1 - s) * Bl <= Th + 1e-9 and s * Ah + (1 - s) * Bh >= Tl - 1e-9:
                lo = s if lo is None else lo
                hi = s
        return lo, hi

    rows = []
    T, lT = pv(meas[0][1])
    G, lG = pv("tx3.2|Slachtofferschap naar bestuurslaag|Gemeenten|Totaal")
    P, lP = pv("tx3.2|Slachtofferschap naar bestuurslaag|Provincies en waterschappen|Totaal")
    lo, hi = two_group(T, G, P)
    s_frame = fr_l["gemeente"] / sum(fr_l.values())
    s_unw = n_gem / n_tot
    rows.append(["gemeenten share (totaal only)", f"{T:.0f} = s·{G:.0f} + (1−s)·{P:.0f} (l. {lT}, {lG}-{lP})",
                 f"{lo:.3f}–{hi:.3f}", f"{s_frame:.3f} {mark(lo <= s_frame <= hi)}",
                 f"{s_unw:.3f} {mark(lo <= s_unw <= hi)}"])
    f_frame = fr_g["vrouw"] / (fr_g["vrouw"] + fr_g["man"])
    f_unw = n_v / (n_m + n_v)
    flo, fhi = 0.0, 1.0
    for label, tid, row in meas:
        T, _ = pv(tid)
        M, _ = pv(f"T3.5|{row}|Mannen")
        V, lV = pv(f"T3.5|{row}|Vrouwen")
        lo, hi = two_group(T, V, M, slack=a)
        flo, fhi = max(flo, lo), min(fhi, hi)
        rows.append([f"vrouwen share: {label}", f"{T:.0f} vs M {M:.0f} / V {V:.0f} (l. {lV})", f"{lo:.3f}–{hi:.3f}",
                     f"{f_frame:.3f} {mark(lo <= f_frame <= hi)}", f"{f_unw:.3f} {mark(lo <= f_unw <= hi)}"])
    rows.append(["vrouwen share: all measures", "", f"{flo:.3f}–{fhi:.3f}",
                 f"{f_frame:.3f} {mark(flo <= f_frame <= fhi)}", f"{f_unw:.3f} {mark(flo <= f_unw <= fhi)}"])
    md_table(["share", "identity", "implied", "frame (BZK fte)", "unweighted"], rows)

    # Tabel 3.4: both column groups are full partitions with printed n's
    print("Tabel 3.4 column groups with their unweighted n's as shares (the weighted shares are not "
          "published):\n")
    rows = []
    for grp, cols in (("contact", ["Contact: Dagelijks", "Contact: Enkele keren per week", "Contact: < 1x per week",
                                   "Contact: Geen contact"]),
                      ("sociale media", ["Sociale media persoonlijk: Dagelijks",
                                         "Sociale media persoonlijk: Enkele keren per week",
                                         "Sociale media persoonlijk: < 1x per week",
                                         "Sociale media persoonlijk: Geen sociale media"])):
        for label, tid, row in meas:
            T, _ = pv(tid)
            row = row.replace("/ ", "/")      # Tabel 3.4 prints 'Bedreiging/intimidatie'
            ns = [gn(f"T3.4|{row}|{c}") for c in cols]
            vs = [pv(f"T3.4|{row}|{c}")[0] for c in cols]
            S = sum(ns)
            lo = sum(n * iv(v)[0] for n, v in zip(ns, vs)) / S
            hi = sum(n * iv(v)[1] for n, v in zip(ns, vs)) / S
            mid = sum(n * v for n, v in zip(ns, vs)) / S
            rows.append([grp, label, "/".join(f"{v:.0f}" for v in vs), f"{T:.0f}",
                         f"{mid:.1f} [{rng(lo, hi)}] {mark(overlaps(lo, hi, T))}"])
    md_table(["Tabel 3.4 group", "measure", "group %", "printed total", "unweighted mix"], rows)

    # how far would weighting have to move the sociale-media mix for fysieke agressie?
    cols = ["Sociale media persoonlijk: Dagelijks", "Sociale media persoonlijk: Enkele keren per week",
            "Sociale media persoonlijk: < 1x per week", "Sociale media persoonlijk: Geen sociale media"]
    ns = [gn(f"T3.4|Fysieke agressie|{c}") for c in cols]
    vs = [pv(f"T3.4|Fysieke agressie|{c}")[0] for c in cols]
    T = pv(meas[3][1])[0]
    hi_pair = (ns[0] * iv(vs[0])[0] + ns[2] * iv(vs[2])[0]) / (ns[0] + ns[2])
    lo_pair = (ns[1] * iv(vs[1])[0] + ns[3] * iv(vs[3])[0]) / (ns[1] + ns[3])
    qmax = (iv(T)[1] - lo_pair) / (hi_pair - lo_pair)
    q_unw = (ns[0] + ns[2]) / sum(ns)
    print(f"Fysieke agressie by sociale media ({'/'.join(f'{v:.0f}' for v in vs)}): the printed total {T:.0f} is "
          f"reachable only if the weighted share of the 'dagelijks' and '< 1x per week' groups is at most "
          f"{100 * qmax:.1f}% (unweighted {100 * q_unw:.1f}%, the pairs kept at their unweighted ratios).\n")

    # bases 'met contact': Figuur 3.7 (verbaal 28%) and the management summary (29%)
    n0 = gn("T3.4|Verbale agressie|Contact: Geen contact")
    s0 = n0 / n_tot
    out = []
    for label, tid, row, pid, plabel in (
            ("verbale agressie", meas[1][1], "Verbale agressie", "tx3.2|Slachtofferschap trend|Verbale agressie|Totaal",
             "Figuur 3.7 text"),
            ("totaal", meas[0][1], "Slachtofferschap totaal",
             "txMS-M|Slachtofferschap|Totaal (medewerkers met burgercontact)|Totaal", "management summary")):
        T = pv(tid)[0]
        v0 = pv(f"T3.4|{row}|Contact: Geen contact")[0]
        P, lP = pv(pid)
        lo = (iv(T)[0] - s0 * iv(v0)[1]) / (1 - s0)
        hi = (iv(T)[1] - s0 * iv(v0)[0]) / (1 - s0)
        out.append([label, f"{T:.0f}", f"{v0:.0f} (n={n0})", f"{(lo + hi) / 2:.1f} [{rng(lo, hi)}]",
                    f"{P:.0f} ({plabel}, l. {lP}) {mark(overlaps(lo, hi, P))}"])
    md_table(["measure", "all (n=694)", "geen contact", "implied for 'met contact' (unweighted shares)",
              "printed"], out)


if __name__ == "__main__":
    main()
