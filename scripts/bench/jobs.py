"""The benchmark job, shared by the Python peers (pandas, polars, DuckDB).

The job is what `monitor tables FILE --survey ambtsdragers --specs scripts/bench/specs --format csv` computes for
the four tables in scripts/bench/specs/ambtsdragers (one per family): weighted percentages, unweighted n per
group, and each group against the rest of its column block. The table definitions below restate those YAML
files; the derived variables restate data/codebook/ambtsdragers.yaml; the weights restate
data/schemes/ambtsdragers.yaml (post-stratification to the invited ambtsdragers, five cells).

Each peer reads the CSV and derives the variables in its own idiom, then aggregates, per table, block, group and
weighting cell, the sums below (over the table's base, rows with the outcome observed); `finish` turns them into
the estimates and tests. The aggregation is where the rows are touched; `finish` works on a few hundred numbers.

Variance (docs/methodology.md §2-3, Sources/MonitorCore/Estimation): for group g against the rest r, the
influence values are d_i = w_i (y_i - p_g) / S_g on g and -w_i (y_i - p_r) / S_r on r (S = the weight total
with y observed). Post-stratification replaces them by the residuals e_i = d_i - w_i D_h / W_h within cell h
(D_h = sum of d over the cell, W_h = sum of w over the cell, all rows). With one weight per cell (w_i = N_h/n_h),
sum e_i^2 = sum d_i^2 - sum_h D_h^2 / n_h, and V = n/(n-1) sum e_i^2 (n = all rows; the residuals have mean 0).
t = (p_g - p_r) / sqrt(V) on df = n_g + n_r - 2 (degf of the rows of g and r with y observed, minus 1).
"""

import csv
import math
import sys

SURVEY = "ambtsdragers"

# Codebook derivations (data/codebook/ambtsdragers.yaml).
FORMS = ["verbale_agressie", "bedreiging", "intimidatie", "fysieke_agressie"]
BESPROKEN = ["besproken_collega", "besproken_voorzitter", "besproken_secretaris", "besproken_ambtenaren",
             "besproken_griffier", "besproken_veiligheidsadviseur", "besproken_vertrouwenspersoon", "besproken_anders"]
GEMELD = ["gemeld_collega", "gemeld_voorzitter", "gemeld_secretaris", "gemeld_ambtenaren", "gemeld_griffier",
          "gemeld_veiligheidsadviseur", "gemeld_vertrouwenspersoon", "gemeld_anders"]
AANGIFTE = ["aangifte_zelf", "aangifte_organisatie", "aangifte_geen"]
TYPE_AMBTSDRAGER = {"burgemeester": "voorzitter", "cdk": "voorzitter", "dijkgraaf": "voorzitter",
                    "wethouder": "dagelijks_bestuur", "gedeputeerde": "dagelijks_bestuur", "lid_db": "dagelijks_bestuur",
                    "raadslid": "volksvertegenwoordiger", "statenlid": "volksvertegenwoordiger", "lid_ab": "volksvertegenwoordiger"}
PARTIJRICHTING = {**{p: "progressief" for p in ["d66", "sp", "pvda", "groenlinks", "groenlinks_pvda", "pvdd", "christenunie", "volt", "bij1"]},
                  **{p: "conservatief" for p in ["vvd", "pvv", "cda", "fvd", "ja21", "sgp", "denk", "vijftigplus", "bbb"]},
                  **{p: "lokaal_overig" for p in ["lokale_partij", "waterschapspartij", "andere_partij", "geen_partij"]}}
# ernst_categorie: bands of ernst (x >= min and x <= max).
ERNST_BANDS = [("minder_ernstig", 1, 4), ("zeer_ernstig", 5, 7)]

# The columns a peer reads (of about 100).
COLUMNS = (["bestuurslaag", "functie", "geslacht", "contact_buiten_organisatie", "partij"] + FORMS
           + ["soort_incident", "ernst"] + BESPROKEN + ["niet_besproken"] + GEMELD + ["niet_gemeld"] + AANGIFTE)

# Derived variables: name -> ("any", items) | ("recode", source, map) | ("bands", source, bands).
DERIVED = {
    "type_ambtsdrager": ("recode", "functie", TYPE_AMBTSDRAGER),
    "partijrichting": ("recode", "partij", PARTIJRICHTING),
    "bedreiging_intimidatie": ("any", ["bedreiging", "intimidatie"]),
    "slachtoffer": ("any", FORMS),
    "ernst_categorie": ("bands", "ernst", ERNST_BANDS),
    "intern_besproken": ("any", BESPROKEN),
    "intern_gemeld": ("any", GEMELD),
    "besproken_of_gemeld": ("any", ["intern_besproken", "intern_gemeld"]),
    "aangifte_gedaan": ("any", ["aangifte_zelf", "aangifte_organisatie"]),
}

# The four tables (scripts/bench/specs/ambtsdragers/*.yaml). Rows: (variable, levels or None for a 0/1 variable).
# Blocks: (variable, levels) or None for the total column.
SOORT = ("soort_incident", ["verbale_agressie", "bedreiging", "intimidatie"])
ERNST = ("ernst_categorie", ["minder_ernstig", "zeer_ernstig"])
TABLES = [
    {"table": "T2.2", "filter": None,
     "rows": [("slachtoffer", None), ("verbale_agressie", None), ("bedreiging_intimidatie", None), ("fysieke_agressie", None)],
     "blocks": [("bestuurslaag", ["gemeente", "provincie", "waterschap"]), ("geslacht", ["man", "vrouw"]),
                ("type_ambtsdrager", ["voorzitter", "dagelijks_bestuur", "volksvertegenwoordiger"]),
                ("contact_buiten_organisatie", ["dagelijks", "enkele_keren_per_week", "minder_dan_wekelijks"]),
                ("partijrichting", ["progressief", "conservatief", "lokaal_overig"])]},
    {"table": "T2.5", "filter": "slachtoffer",
     "rows": [("ernst_categorie", ["minder_ernstig", "zeer_ernstig"])],
     "blocks": [None, SOORT, ("geslacht", ["man", "vrouw"])]},
    {"table": "T2.15", "filter": "slachtoffer",
     "rows": [("niet_besproken", None), ("niet_gemeld", None), ("intern_besproken", None), ("intern_gemeld", None),
              ("besproken_of_gemeld", None)],
     "blocks": [SOORT, ERNST]},
    {"table": "T2.20", "filter": "slachtoffer",
     "rows": [("aangifte_zelf", None), ("aangifte_organisatie", None), ("aangifte_geen", None), ("aangifte_gedaan", None)],
     "blocks": [SOORT, ERNST]},
]

# Weighting cells (data/schemes/ambtsdragers.yaml): functie within gemeenten, bestuurslaag elsewhere.
CELLS = ["burgemeester", "wethouder", "raadslid", "provincie", "waterschap"]
MIN_N = 10  # monitor's --min-n: smaller groups are suppressed and not tested


def outcomes(table):
    """(row key, variable, level) of every estimated outcome: a 0/1 variable, or one indicator per level."""
    out = []
    for variable, levels in table["rows"]:
        if levels is None:
            out.append((variable, variable, None))
        else:
            out += [(f"{variable}={level}", variable, level) for level in levels]
    return out


def frame_totals(path):
    """N per weighting cell from the frame CSV (bestuurslaag,functie,N; functie * = the whole bestuurslaag)."""
    totals = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            totals[r["functie"] if r["functie"] != "*" else r["bestuurslaag"]] = float(r["N"])
    return totals


def t_two_sided(t, df):
    from scipy.special import stdtr
    return 2 * stdtr(df, -abs(t))


def finish(aggregates, cell_n):
    """Estimates and tests from the aggregates.

    aggregates: iterable of (table, row_key, block, group, cell, n, sw, swy, sw2, sw2y) where block is "" for the
    total column (group ""), sums over the base rows of that group and cell with the row's outcome observed:
    n = count, sw = sum w, swy = sum w y, sw2 = sum w^2, sw2y = sum w^2 y (y is 0/1, so y^2 = y).
    cell_n: rows per weighting cell in the whole file. Returns tidy rows (dicts).
    """
    n_all = sum(cell_n.values())
    cells = list(cell_n)
    index = {c: k for k, c in enumerate(cells)}
    acc = {}  # (table, row, block) -> group -> [n, sw, swy, sw2, sw2y] per cell
    for table, row, block, group, cell, n, sw, swy, sw2, sw2y in aggregates:
        groups = acc.setdefault((table, row, block), {})
        per_cell = groups.setdefault(group, [[0, 0.0, 0.0, 0.0, 0.0] for _ in cells])
        s = per_cell[index[cell]]
        s[0] += n; s[1] += sw; s[2] += swy; s[3] += sw2; s[4] += sw2y

    out = []
    for (table, row, block), groups in acc.items():
        spec = next(t for t in TABLES if t["table"] == table)
        order = next((b[1] for b in spec["blocks"] if b is not None and b[0] == block), [""])
        totals = {g: [sum(c[j] for c in groups[g]) for j in range(5)] for g in groups}
        for g in order:
            if g not in groups:
                continue
            n, sw, swy = totals[g][0], totals[g][1], totals[g][2]
            p = swy / sw if sw > 0 else float("nan")
            result = {"table": table, "row": row, "block": block, "column": g, "n": n,
                      "estimate": p if n >= MIN_N else float("nan"), "verdict": "", "p_value": float("nan")}
            if block and len(order) >= 2:
                result["verdict"], result["p_value"] = versus_rest(g, groups, totals, cells, cell_n, n_all)
            out.append(result)
    return out


def versus_rest(g, groups, totals, cells, cell_n, n_all):
    rest = [k for k in groups if k != g]
    n_g = totals[g][0]
    n_r = sum(totals[k][0] for k in rest)
    if n_g < MIN_N or n_r < MIN_N or n_g == 0 or n_r == 0:
        return "not_tested", float("nan")
    s_g, s_r = totals[g][1], sum(totals[k][1] for k in rest)
    p_g, p_r = totals[g][2] / s_g, sum(totals[k][2] for k in rest) / s_r
    ssq = 0.0
    dsq = 0.0
    for h, cell in enumerate(cells):
        a = groups[g][h]
        r = [sum(groups[k][h][j] for k in rest) for j in range(5)]
        # sum over the cell of d^2 (y^2 = y), and of d
        ssq += (a[4] - 2 * p_g * a[4] + p_g * p_g * a[3]) / (s_g * s_g)
        ssq += (r[4] - 2 * p_r * r[4] + p_r * p_r * r[3]) / (s_r * s_r)
        d_h = (a[2] - p_g * a[1]) / s_g - (r[2] - p_r * r[1]) / s_r
        dsq += d_h * d_h / cell_n[cell]
    v = n_all / (n_all - 1) * (ssq - dsq)
    df = n_g + n_r - 2
    if not v > 0 or df < 1:
        return "not_tested", float("nan")
    t = (p_g - p_r) / math.sqrt(v)
    p = float(t_two_sided(t, df))
    return ("higher" if p_g > p_r else "lower") if p < 0.05 else "not_significant", p


def write(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["table", "row", "block", "column", "n", "estimate", "verdict", "p_value"])
        for r in rows:
            w.writerow([r["table"], r["row"], r["block"], r["column"], r["n"], repr(r["estimate"]), r["verdict"],
                        repr(r["p_value"])])


def main(run):
    """python job_X.py DATA.csv FRAME.csv OUT.csv"""
    data, frame, out = sys.argv[1:4]
    aggregates, cell_n = run(data, frame_totals(frame))
    write(finish(aggregates, cell_n), out)
