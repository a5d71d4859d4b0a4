#!/usr/bin/env python3
"""What the medewerkers figures that the calibration has not reached demand of any respondent file
(docs/synthesis.md, "What the last knots demand").

Reads a medewerkers respondent file (default: the bundled one), weighs it with `monitor weigh` (the report's
scheme, as `monitor reproduce` does) and answers three questions exactly:

  1. Tabel 3.15, waterschappen (n = 20): 15% aangifte, 10% door de organisatie, 5% zelf. Which mixes of men and
     women among the 20 victims allow those three windows at once, given the weights of men and women in a
     waterschap? (Plain enumeration.)
  2. Prevalence by bestuurslaag and geslacht (tekst 3.2 / Tabel 3.5: totaal 27, gemeenten 28, provincies en
     waterschappen 22, mannen 24, vrouwen 31): the nearest allocation of victims over the seven
     bestuurslaag x geslacht cells that meets all five windows with at least as many victims per bestuurslaag
     as Tabel 3.15 has respondents (136 / 25 / 20: every one of them is a victim), and whether it still does
     with the waterschap mix that question 1 needs. (Integer program.)
  3. Aangifte (Tabel 3.14, 3.15, tekst 3.7, Tabel 3.16's n's): with the file's victims, their soort incident,
     ernst and bestuurslaag as they are, is there any choice of who did aangifte (zelf / organisatie) that meets
     every printed window? If not, which group of figures is in the way? (Integer program.)

  4. Composition: for which numbers of men among the provincie and the waterschap respondents (the rest of the
     men at gemeenten, the file's 'anders' kept) has question 2's program any solution, the weights raked
     again for each composition as `monitor weigh` does? The report prints the geslacht margins and the
     bestuurslaag counts, not their cross; the synthesis model fixes it (data/synthesis/medewerkers.yaml).

Needs pulp and highspy (pip install pulp highspy) for questions 2 and 3; question 1 needs nothing.

Usage: python3 scripts/knots.py [--monitor PATH] [FILE]
"""
import argparse
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Tabel 3.15's group n's: the victims asked about aangifte, per bestuurslaag. A bestuurslaag has at least as many
# victims (more only if some stopped before the question).
AANGIFTE_BASE = {"gemeente": 136, "provincie": 25, "waterschap": 20}
PREVALENCE = [("totaal", 27, lambda k: True), ("gemeenten", 28, lambda k: k[0] == "gemeente"),
              ("provincies en waterschappen", 22, lambda k: k[0] != "gemeente"),
              ("mannen", 24, lambda k: k[1] == "man"), ("vrouwen", 31, lambda k: k[1] == "vrouw")]


def window(p):
    """The interval a printed whole percentage stands for."""
    return (p - 0.5, p + 0.5 - 1e-9)


def victim_program(name, counts, weights, windows):
    """An integer program over victims per (bestuurslaag, geslacht) cell: at most the cell's respondents, at least
    Tabel 3.15's victims per bestuurslaag, and each weighted prevalence window (select, low, high) in percent (a
    bound None is open). Returns the problem and its variables; the caller adds the objective."""
    import pulp
    m = pulp.LpProblem(name, pulp.LpMinimize)
    v = {k: pulp.LpVariable("v_" + "_".join(k), 0, c, cat="Integer") for k, c in counts.items()}
    for sel, lo, hi in windows:
        den = sum(weights[k] * c for k, c in counts.items() if sel(k))
        num = pulp.lpSum(weights[k] * v[k] for k in counts if sel(k))
        if lo is not None:
            m += num >= lo / 100 * den
        if hi is not None:
            m += num <= hi / 100 * den
    for laag, n in AANGIFTE_BASE.items():
        m += pulp.lpSum(v[k] for k in counts if k[0] == laag) >= n
    return m, v


def prevalence_windows():
    return [(sel, *window(p)) for _, p, sel in PREVALENCE]


def weighed(monitor, path):
    out = subprocess.run([monitor, "weigh", path, "-q"], capture_output=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out.decode())))


def question1(rows):
    w = {}
    for r in rows:
        if r["bestuurslaag"] == "waterschap":
            w[r["geslacht"]] = float(r["weight"])
    wm, wf = w["man"], w["vrouw"]
    victims = [r for r in rows if r["bestuurslaag"] == "waterschap" and r["aangifte_zelf"] in ("0", "1")]
    men = sum(1 for r in victims if r["geslacht"] == "man")
    print(f"## 1. Tabel 3.15, waterschappen (n = {len(victims)})\n")
    print(f"Weights in a waterschap: man {wm:.4f}, vrouw {wf:.4f}. The file's victims: {men} men, {len(victims) - men} women.\n"
          .replace(" 1 men", " 1 man").replace(" 1 women", " 1 woman"))
    lo = {k: window(p) for k, p in (("tot", 15), ("org", 10), ("zelf", 5))}
    ok = []
    for m in range(0, len(victims) + 1):
        f = len(victims) - m
        total = m * wm + f * wf
        found = None
        # organisatie: a men + b women; zelf: c men + d women, nobody both (the union is the total).
        for a in range(0, min(m, 4) + 1):
            for b in range(0, min(f, 4) + 1):
                org = 100 * (a * wm + b * wf) / total
                if not lo["org"][0] <= org <= lo["org"][1]:
                    continue
                for c in range(0, min(m - a, 3) + 1):
                    for d in range(0, min(f - b, 3) + 1):
                        zelf = 100 * (c * wm + d * wf) / total
                        tot = 100 * ((a + c) * wm + (b + d) * wf) / total
                        if lo["zelf"][0] <= zelf <= lo["zelf"][1] and lo["tot"][0] <= tot <= lo["tot"][1]:
                            found = found or (a, b, c, d, org, zelf, tot)
        if found:
            a, b, c, d, org, zelf, tot = found
            ok.append(m)
            print(f"- {m} men / {f} women:".replace(" 1 men", " 1 man").replace(" 1 women", " 1 woman") + f" organisatie {a} men + {b} women ({org:.2f}%), zelf {c} + {d} ({zelf:.2f}%), total {tot:.2f}%")
    print(f"\nFeasible numbers of men among the {len(victims)}: {ok}.\n")
    return ok, len(victims)


def question2(rows, men_ok, n_ws):
    import pulp
    cells = {}
    for r in rows:
        k = (r["bestuurslaag"], r["geslacht"])
        c = cells.setdefault(k, [0, float(r["weight"]), 0])
        c[0] += 1
        if "1" in (r["verbale_agressie"], r["bedreiging_intimidatie"], r["fysieke_agressie"]):
            c[2] += 1
    keys = sorted(cells)
    counts, weights = {k: cells[k][0] for k in keys}, {k: cells[k][1] for k in keys}

    def share(sel, x):
        den = sum(cells[k][1] * cells[k][0] for k in keys if sel(k))
        return 100 * sum(cells[k][1] * x[k] for k in keys if sel(k)) / den

    def solve(extra=None):
        m, v = victim_program("cells", counts, weights, prevalence_windows())
        d = {k: pulp.LpVariable("d_" + "_".join(k), 0) for k in keys}
        for k in keys:
            m += d[k] >= v[k] - cells[k][2]
            m += d[k] >= cells[k][2] - v[k]
        if extra:
            extra(m, v)
        m += pulp.lpSum(d.values())
        status = pulp.LpStatus[m.solve(pulp.HiGHS(msg=False))]
        return status, {k: int(round(v[k].value())) for k in keys} if status == "Optimal" else None

    print("## 2. Prevalence by bestuurslaag and geslacht\n")
    print("| cell | respondents | weight | victims in the file | nearest allocation | with the waterschap mix of 1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    status, near = solve()
    n_ws_file = cells[("waterschap", "man")][2] + cells[("waterschap", "vrouw")][2]
    few = [x for x in men_ok if x <= n_ws // 2]
    many = [x for x in men_ok if x > n_ws // 2]

    def mix(m, v):
        # as many waterschap victims as the file has, the men among them as question 1 allows (many, else few)
        m += v[("waterschap", "man")] + v[("waterschap", "vrouw")] == n_ws_file
        if many:
            m += v[("waterschap", "man")] >= min(many)
        else:
            m += v[("waterschap", "man")] <= max(few)
    status2, mixed = solve(mix) if men_ok else ("no mix", None)
    for k in keys:
        print(f"| {k[0]} {k[1]} | {cells[k][0]} | {cells[k][1]:.4f} | {cells[k][2]} | {near[k] if near else '-'} | {mixed[k] if mixed else '-'} |")
    for label, x in (("file", {k: cells[k][2] for k in keys}), ("nearest", near), ("with the mix", mixed)):
        if x:
            print(f"\n{label}: " + ", ".join(f"{name} {share(sel, x):.2f} (printed {p})" for name, p, sel in PREVALENCE), end="")
    print(f"\n\nnearest: {status}; with the waterschap mix: {status2}.\n")
    if status != "Optimal":
        # The two windows in the way: the least totaal any allocation gives with vrouwen at 30.5% or more and
        # Tabel 3.15's victims per bestuurslaag (a bound for any file of this composition).
        m, v = victim_program("least", counts, weights, [(lambda k: k[1] == "vrouw", window(31)[0], None)])
        m += pulp.lpSum(weights[k] * v[k] for k in keys)
        m.solve(pulp.HiGHS(msg=False))
        least = {k: int(round(v[k].value())) for k in keys}
        print(f"With vrouwen at 30.5% or more and {' / '.join(str(n) for n in AANGIFTE_BASE.values())} victims per bestuurslaag, "
              f"totaal is at least {share(lambda k: True, least):.2f}% (printed 27): no file with these respondents' "
              "bestuurslaag and geslacht meets both (question 4).\n")


def question3(rows):
    import pulp
    victims = [r for r in rows if r["aangifte_zelf"] in ("0", "1")]
    W = lambda r: float(r["weight"])

    def build(skip):
        m = pulp.LpProblem("aangifte", pulp.LpMinimize)
        z = [pulp.LpVariable(f"z{i}", cat="Binary") for i in range(len(victims))]
        o = [pulp.LpVariable(f"o{i}", cat="Binary") for i in range(len(victims))]
        y = [pulp.LpVariable(f"y{i}", cat="Binary") for i in range(len(victims))]
        for i in range(len(victims)):
            m += y[i] >= z[i]
            m += y[i] >= o[i]
            m += y[i] <= z[i] + o[i]

        def share(group, sel, var, p):
            if group in skip:
                return
            idx = [i for i, r in enumerate(victims) if sel(r)]
            total = sum(W(victims[i]) for i in idx)
            lo, hi = window(p)
            expr = pulp.lpSum(W(victims[i]) * var(i) for i in idx)
            m.addConstraint(expr >= lo / 100 * total)
            m.addConstraint(expr <= hi / 100 * total)
        every = lambda r: True
        share("tekst 3.7", every, lambda i: z[i], 2)
        share("tekst 3.7", every, lambda i: o[i], 3)
        share("tekst 3.7", every, lambda i: y[i], 5)
        verbaal = lambda r: r["soort_incident"] == "verbale_agressie"
        bedreiging = lambda r: r["soort_incident"] == "bedreiging_intimidatie"
        share("Tabel 3.14 verbaal", verbaal, lambda i: z[i], 0)
        share("Tabel 3.14 verbaal", verbaal, lambda i: o[i], 2)
        share("Tabel 3.14 verbaal", verbaal, lambda i: 1 - y[i], 98)
        share("Tabel 3.14 bedreiging", bedreiging, lambda i: z[i], 5)
        share("Tabel 3.14 bedreiging", bedreiging, lambda i: o[i], 5)
        share("Tabel 3.14 bedreiging", bedreiging, lambda i: 1 - y[i], 90)
        for laag, (tot, org, zelf) in (("gemeente", (4, 3, 1)), ("provincie", (0, 0, 0)), ("waterschap", (15, 10, 5))):
            sel = lambda r, laag=laag: r["bestuurslaag"] == laag
            share("Tabel 3.15 " + laag, sel, lambda i: y[i], tot)
            share("Tabel 3.15 " + laag, sel, lambda i: o[i], org)
            share("Tabel 3.15 " + laag, sel, lambda i: z[i], zelf)
        if "n" not in skip:
            m += pulp.lpSum(y) == 9  # tekst 3.7: n = 9 who did aangifte
        if "Tabel 3.16 n's" not in skip:
            m += pulp.lpSum(1 - y[i] for i, r in enumerate(victims) if r["ernst"] in ("1", "2", "3", "4")) == 126
            m += pulp.lpSum(1 - y[i] for i, r in enumerate(victims) if r["ernst"] in ("5", "6", "7")) == 46
        m += pulp.lpSum(z) + pulp.lpSum(o)
        return pulp.LpStatus[m.solve(pulp.HiGHS(msg=False))]

    print(f"## 3. Aangifte with the file's {len(victims)} victims as they are\n")
    print(f"- every window: {build(set())}")
    for group in ("tekst 3.7", "Tabel 3.14 verbaal", "Tabel 3.14 bedreiging", "Tabel 3.15 gemeente", "Tabel 3.15 provincie",
                  "Tabel 3.15 waterschap", "n", "Tabel 3.16 n's"):
        print(f"- without {group}: {build({group})}")
    print()


def raked(counts):
    """Weights per (bestuurslaag, geslacht) cell for cell counts `counts`: raking on the two margins of
    data/schemes/medewerkers.yaml (frames in data/frames), scaled to average 1, as `monitor weigh` does."""
    def frame(name, key):
        with open(os.path.join(ROOT, "data", "frames", name)) as f:
            return {r[key]: float(r["N"]) for r in csv.DictReader(f)}
    lagen, geslachten = frame("medewerkers-2024-bestuurslaag.csv", "bestuurslaag"), frame("medewerkers-2024-geslacht.csv", "geslacht")
    n = sum(counts.values())
    tl = {l: N / sum(lagen.values()) * n for l, N in lagen.items()}
    tg = {g: N / sum(geslachten.values()) * n for g, N in geslachten.items()}
    a, b = {l: 1.0 for l in tl}, {g: 1.0 for g in tg}
    for _ in range(1000):
        for l in tl:
            a[l] = tl[l] / sum(b[g] * c for (l2, g), c in counts.items() if l2 == l)
        for g in tg:
            if any(g2 == g and c for (_, g2), c in counts.items()):
                b[g] = tg[g] / sum(a[l] * c for (l, g2), c in counts.items() if g2 == g)
    return {k: a[k[0]] * b[k[1]] for k in counts}


def prevalence_feasible(counts, weights):
    """Whether some number of victims per cell meets the five prevalence windows and Tabel 3.15's n's."""
    import pulp
    m, v = victim_program("composition", counts, weights, prevalence_windows())
    m += pulp.lpSum(v.values())
    return pulp.LpStatus[m.solve(pulp.HiGHS(msg=False))] == "Optimal"


def question4(rows):
    counts = {}
    for r in rows:
        k = (r["bestuurslaag"], r["geslacht"])
        counts[k] = counts.get(k, 0) + 1
    file_weights = {(r["bestuurslaag"], r["geslacht"]): float(r["weight"]) for r in rows}
    check = raked(counts)
    assert max(abs(check[k] - file_weights[k]) for k in counts) < 1e-9, "raking here differs from monitor weigh"
    laag = lambda l: sum(c for k, c in counts.items() if k[0] == l)
    men = sum(c for k, c in counts.items() if k[1] == "man")
    anders = {k: c for k, c in counts.items() if k[1] == "anders"}
    n_p, n_w = laag("provincie"), laag("waterschap")
    pm0, wm0 = counts.get(("provincie", "man"), 0), counts.get(("waterschap", "man"), 0)
    print("## 4. Composition: men among the provincie and waterschap respondents\n")
    print(f"The file: {pm0} of {n_p} provincie and {wm0} of {n_w} waterschap respondents are men; question 2's program "
          f"{'has' if prevalence_feasible(counts, check) else 'has no'} solution with its weights.\n")
    print("| men in provincie | men in waterschap for which the program has a solution |")
    print("| ---: | --- |")
    for pm in sorted(set(range(0, n_p + 1, 2)) | {pm0}):
        ok = []
        for wm in range(0, n_w + 1):
            c = dict(anders)
            c[("provincie", "man")], c[("provincie", "vrouw")] = pm, n_p - pm - anders.get(("provincie", "anders"), 0)
            c[("waterschap", "man")], c[("waterschap", "vrouw")] = wm, n_w - wm - anders.get(("waterschap", "anders"), 0)
            c[("gemeente", "man")] = men - pm - wm
            c[("gemeente", "vrouw")] = laag("gemeente") - c[("gemeente", "man")] - anders.get(("gemeente", "anders"), 0)
            if min(c.values()) < 0:
                continue
            if prevalence_feasible(c, raked(c)):
                ok.append(wm)
        if ok or pm == pm0:
            spans = []
            for x in ok:
                if spans and spans[-1][1] == x - 1:
                    spans[-1][1] = x
                else:
                    spans.append([x, x])
            print(f"| {pm} | {', '.join(f'{a}-{b}' if a != b else str(a) for a, b in spans) or 'none'} |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", default=os.path.join(ROOT, "data", "monitor-2024-medewerkers.csv"))
    ap.add_argument("--monitor", default=os.path.join(ROOT, ".build", "release", "monitor"))
    args = ap.parse_args()
    rows = weighed(args.monitor, args.file)
    print(f"# Knots of {os.path.relpath(args.file, ROOT)}\n")
    men_ok, n_ws = question1(rows)
    try:
        import pulp  # noqa: F401
    except ImportError:
        print("(questions 2 and 3 need pulp and highspy: pip install pulp highspy)")
        return
    question2(rows, men_ok, n_ws)
    question3(rows)
    question4(rows)


if __name__ == "__main__":
    sys.exit(main())
