#!/usr/bin/env python3
"""Which weighting frame do the published 2024 Monitor figures imply?

Stdlib only. Reads the frames in data/frames/ and compares, for each candidate frame, the
bestuurslaag and total percentages it implies with the printed ones (docs/frames.md explains).

Printed percentages are rounded, so a printed value v stands for the interval [v - 0.5, v + 0.5).
A weighted mean of rounded inputs is therefore an interval, too; a frame "fits" when that interval
overlaps the interval of the printed aggregate.

Usage: python3 scripts/frames-check.py [path/to/monitor-2024-published.csv]
       (the optional CSV is used only to cross-check the hard-coded published values below)
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAMES = os.path.join(ROOT, "data", "frames")
DEFAULT_REFERENCE = os.path.join(ROOT, "..", "shared", "reference", "monitor-2024-published.csv")

# --------------------------------------------------------------------------- published values
# (value, id in monitor-2024-published.csv, line in the report text)
PUB = {
    # Tabel 2.3, % slachtoffer agressie/intimidatie, 2024 and 2022
    "burgemeester": (70, "T2.3|Burgemeesters|2024", 1201),
    "wethouder": (60, "T2.3|Wethouders|2024", 1203),
    "raadslid": (40, "T2.3|Raadsleden|2024", 1205),
    "statenlid": (49, "T2.3|Provinciale Statenleden|2024", 1207),
    "burgemeester_2022": (77, "T2.3|Burgemeesters|2022", 1201),
    "wethouder_2022": (67, "T2.3|Wethouders|2022", 1203),
    "raadslid_2022": (45, "T2.3|Raadsleden|2022", 1205),
    "voorzitters": (66, "T2.3|Voorzitters|2024", 1211),
    "dagelijks_bestuur": (57, "T2.3|Dagelijks bestuurders|2024", 1213),
    "volksvertegenwoordigers": (38, "T2.3|Volksvertegenwoordigers|2024", 1215),
    # Tabel 2.2, column Totaal
    "gemeente": (47, "T2.2|Gemeenten|Totaal", 1101),
    "provincie": (47, "T2.2|Provincies|Totaal", 1103),
    "waterschap": (23, "T2.2|Waterschappen|Totaal", 1105),
    # Figuur 2.2 (image), running text
    "totaal": (45, "tx2.2|Slachtofferschap afgelopen 12 maanden|Totaal|Totaal", 1058),
    "totaal_2022": (49, "tx2.2|Slachtofferschap trend|Totaal|Totaal|2022", 1148),
    # Medewerkers: Figuur 3.2/3.3 (images) via running text, Tabel 3.5
    "m_totaal": (27, "tx3.2|Slachtofferschap afgelopen 12 maanden|Totaal|Totaal", 3404),
    "m_verbaal": (26, "tx3.2|Slachtofferschap afgelopen 12 maanden|Verbale agressie|Totaal", 3406),
    "m_gemeente": (28, "tx3.2|Slachtofferschap naar bestuurslaag|Gemeenten|Totaal", 3414),
    "m_prov_ws": (22, "tx3.2|Slachtofferschap naar bestuurslaag|Provincies en waterschappen|Totaal", 3415),
    "m_man": (24, "T3.5|Slachtofferschap totaal|Mannen", 3672),
    "m_vrouw": (31, "T3.5|Slachtofferschap totaal|Vrouwen", 3672),
    "m_man_verbaal": (22, "T3.5|Verbale agressie|Mannen", 3666),
    "m_vrouw_verbaal": (30, "T3.5|Verbale agressie|Vrouwen", 3666),
}

# Respondents (Tabel 1.2, lines 656-662, n = 1082; waterschap total corrected 195 -> 162, and
# bijlage B Tabel 4.3, lines 5689-5723). The prevalence base is n = 1076, split by function
# unpublished, so unweighted figures below are approximate (6 respondents fewer).
RESP = {"burgemeester": 78, "wethouder": 256, "raadslid": 453,
        "cdk": 6, "gedeputeerde": 15, "statenlid": 112,
        "dijkgraaf": 8, "lid_db": 31, "lid_ab": 123}
RESP_LAAG = {"gemeente": 787, "provincie": 133, "waterschap": 162}
INVITED_2022 = {"burgemeester": 344, "wethouder": 1347, "raadslid": 8476}   # Tabel 4.3, 2022 columns
# Medewerkers (Tabel 1.3, lines 753-759; Tabel 3.5 group n, lines 3658-3662)
M_RESP_LAAG = {"gemeente": 489, "provincie": 117, "waterschap": 88}
M_RESP_SEKSE = {"man": 398, "vrouw": 293}          # 3 of 694 are neither


def iv(key):
    v = PUB[key][0]
    return (v - 0.5, v + 0.5)


def wmean(parts):
    """parts: list of (weight, (lo, hi)). Returns (lo, mid, hi) of the weighted mean."""
    total = sum(w for w, _ in parts)
    lo = sum(w * r[0] for w, r in parts) / total
    hi = sum(w * r[1] for w, r in parts) / total
    mid = sum(w * (r[0] + r[1]) / 2 for w, r in parts) / total
    return lo, mid, hi


def fits(rng, key):
    a, b = iv(key)
    return "FITS" if rng[0] < b and rng[2] >= a else "no"


def fmt(rng):
    return f"{rng[1]:5.1f}  [{rng[0]:5.2f}, {rng[2]:5.2f}]"


def read_frame(name):
    with open(os.path.join(FRAMES, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, [(tuple(r[:-1]), float(r[-1])) for r in body]


def ambtsdragers_frame(name):
    """Returns {functie or bestuurslaag: N} from a bestuurslaag,functie,N frame."""
    _, rows = read_frame(name)
    out = {}
    for (laag, functie), n in rows:
        out[functie if functie != "*" else laag] = n
    return out


def cross_check(path):
    if not os.path.exists(path):
        print(f"(reference CSV {path} not found: published values not cross-checked)\n")
        return
    with open(path, newline="", encoding="utf-8") as f:
        ref = {r["id"]: r for r in csv.DictReader(f)}
    bad = []
    for key, (v, rid, line) in PUB.items():
        r = ref.get(rid)
        if r is None or float(r["value"]) != v or int(r["source_line"]) != line:
            bad.append((key, v, rid, line, r and (r["value"], r["source_line"])))
    if bad:
        for b in bad:
            print("MISMATCH with reference CSV:", b)
        sys.exit(1)
    print(f"published values cross-checked against {path}: {len(PUB)} ok\n")


def section(title):
    print()
    print(title)
    print("-" * len(title))


def ambtsdragers():
    invited = ambtsdragers_frame("ambtsdragers-2024-uitgenodigd.csv")
    population = ambtsdragers_frame("ambtsdragers-2024-populatie.csv")
    invited_615 = dict(invited, provincie=615.0)
    fun = {f: iv(f) for f in ("burgemeester", "wethouder", "raadslid")}

    def gemeente(frame):
        return wmean([(frame[f], fun[f]) for f in fun])

    def totaal(frame, gem):
        gem_n = sum(frame[f] for f in fun)
        parts = [(gem_n, (gem[0], gem[2])), (frame["provincie"], iv("provincie")),
                 (frame["waterschap"], iv("waterschap"))]
        lo, _, hi = wmean(parts)
        mid = (gem_n * gem[1] + frame["provincie"] * PUB["provincie"][0]
               + frame["waterschap"] * PUB["waterschap"][0]) / (gem_n + frame["provincie"] + frame["waterschap"])
        return lo, mid, hi

    resp_frame = {f: float(RESP[f]) for f in fun}
    resp_frame.update({k: float(v) for k, v in RESP_LAAG.items() if k != "gemeente"})
    # bestuurslaag-only weighting: gemeente = unweighted mix, laag totals from the invited frame
    candidates = [
        ("invited frame (Tabel 4.3, provincie 645)", invited, gemeente(invited)),
        ("invited frame, provincie as printed 615", invited_615, gemeente(invited_615)),
        ("full population (raadsleden 8476)", population, gemeente(population)),
        ("unweighted (respondents, Tabel 1.2)", resp_frame, gemeente(resp_frame)),
        ("bestuurslaag only, no functie weighting", invited, gemeente(resp_frame)),
    ]

    section("Ambtsdragers 2024: % slachtoffer agressie/intimidatie (Tabel 2.2 / Figuur 2.2)")
    print("Inputs: functie % from Tabel 2.3 (burgemeesters 70, wethouders 60, raadsleden 40); provincie 47 and")
    print("waterschap 23 from Tabel 2.2. Provincie and waterschap are weighted by bestuurslaag only, so their")
    print("own percentages are the same under every frame; the frames differ in the gemeente mix and the")
    print("bestuurslaag shares of the total. Intervals carry the rounding of the printed inputs.\n")
    print(f"{'frame':45s} {'gemeenten (publ. 47)':32s} {'totaal (publ. 45)':32s}")
    for name, frame, gem in candidates:
        tot = totaal(frame, gem)
        print(f"{name:45s} {fmt(gem)} {fits(gem, 'gemeente'):4s}  {fmt(tot)} {fits(tot, 'totaal'):4s}")

    gem_i, gem_p = gemeente(invited), gemeente(population)
    tot_i, tot_p = totaal(invited, gem_i), totaal(population, gem_p)
    print()
    print("Point arithmetic (printed values as exact):")
    for label, fr in (("invited", invited), ("population", population)):
        num = " + ".join(f"{int(fr[f])}*{PUB[f][0]}" for f in fun)
        den = sum(fr[f] for f in fun)
        val = sum(fr[f] * PUB[f][0] for f in fun) / den
        print(f"  gemeente, {label:10s}: ({num}) / {int(den)} = {val:.2f}")
    for label, fr, g in (("invited", invited, gem_i), ("population", population, gem_p)):
        gn = sum(fr[f] for f in fun)
        print(f"  totaal,   {label:10s}: ({int(gn)}*{g[1]:.2f} + {int(fr['provincie'])}*47 + {int(fr['waterschap'])}*23)"
              f" / {int(gn + fr['provincie'] + fr['waterschap'])} = {(gn * g[1] + fr['provincie'] * 47 + fr['waterschap'] * 23) / (gn + fr['provincie'] + fr['waterschap']):.2f}")
    print()
    print(f"Headline (Figuur 2.2, printed 45%) under the full-population frame: {tot_p[1]:.1f}% "
          f"(rounding interval {tot_p[0]:.1f}-{tot_p[2]:.1f}); gemeenten {gem_p[1]:.1f}% instead of 47%.")

    section("Trend check: gemeenten 2022 -> 2024 (text line 1172: 'bij gemeenten ... nagenoeg gelijk')")
    fun22 = {f: iv(f + "_2022") for f in fun}
    g22 = wmean([(INVITED_2022[f], fun22[f]) for f in fun])
    print(f"2022 (all raadsleden invited, 344/1347/8476, Tabel 2.3 2022: 77/67/45): gemeenten {fmt(g22)}")
    print(f"2024 invited frame:                                             gemeenten {fmt(gem_i)}")
    print(f"2024 full-population frame (same definition as 2022):           gemeenten {fmt(gem_p)}")
    print(f"=> like for like the gemeente share drops {g22[1] - gem_p[1]:.1f} points, not {g22[1] - gem_i[1]:.1f}; "
          "the 2024 invited frame gives raadsleden 65% of the gemeente weight instead of 83%.")

    section("Type ambtsdrager check (Tabel 2.3 'Volksvertegenwoordigers' 38%)")
    print("Volksvertegenwoordigers = raadsleden (40) + statenleden (49) + AB-leden (unpublished). Statenleden")
    print("and AB-leden enter with their bestuurslaag weight times their respondent share (112/133, 123/162).")
    print("Solving for the AB-leden percentage the printed 38% implies:")
    for label, fr in (("invited", invited), ("population", population), ("unweighted", None)):
        if fr is None:
            n_r, n_s, n_a = RESP["raadslid"], RESP["statenlid"], RESP["lid_ab"]
        else:
            n_r = fr["raadslid"]
            n_s = fr["provincie"] * RESP["statenlid"] / RESP_LAAG["provincie"]
            n_a = fr["waterschap"] * RESP["lid_ab"] / RESP_LAAG["waterschap"]
        tot = n_r + n_s + n_a
        vals = []
        for vv in iv("volksvertegenwoordigers"):
            for r in iv("raadslid"):
                for s in iv("statenlid"):
                    vals.append((vv * tot - r * n_r - s * n_s) / n_a)
        mid = (38 * tot - 40 * n_r - 49 * n_s) / n_a
        lo, hi = max(0.0, min(vals)), min(100.0, max(vals))
        print(f"  {label:10s}: weights raad {n_r:7.1f}, staten {n_s:6.1f}, AB {n_a:6.1f} -> AB-leden {mid:6.1f}% "
              f"(feasible range {lo:.1f}-{hi:.1f}%)")
        if label == "population":
            ab_max_pop = hi
    # Waterschap 23% = (8*dijkgraaf + 31*DB + 123*AB) / 162 (respondent mix; weighting within a
    # waterschap is uniform). With AB-leden at most ab_max_pop, dijkgraven + DB-leden must average:
    need = (iv("waterschap")[0] * RESP_LAAG["waterschap"] - ab_max_pop * RESP["lid_ab"]) / (RESP["dijkgraaf"] + RESP["lid_db"])
    # Dagelijks bestuurders 57% (wethouders 60 + gedeputeerden + DB-leden) caps the DB-leden, also at the edges:
    fr = population
    n_w = fr["wethouder"]
    n_g = fr["provincie"] * RESP["gedeputeerde"] / RESP_LAAG["provincie"]
    n_d = fr["waterschap"] * RESP["lid_db"] / RESP_LAAG["waterschap"]
    db_max = (iv("dagelijks_bestuur")[1] * (n_w + n_g + n_d) - iv("wethouder")[0] * n_w) / n_d
    print(f"Waterschap is 23% with AB-leden 123 of its 162 respondents. With AB-leden <= {ab_max_pop:.1f}% (population")
    print(f"frame) the 39 dijkgraven + DB-leden must average >= {need:.1f}%, while 'Dagelijks bestuurders' 57% caps DB-leden")
    print(f"at {db_max:.1f}% even with every printed input at its rounding edge and gedeputeerden at 0%. The population")
    print("frame survives only at the edges of rounding (and with a negative point estimate for AB-leden); the")
    print("invited frame fits with ordinary values.")

def implied_share(total, a, b):
    """Share s of group a in a two-group mix with total = s*a + (1-s)*b, over the rounding corners."""
    vals = []
    for t in iv(total):
        for x in iv(a):
            for y in iv(b):
                if x != y:
                    vals.append((t - y) / (x - y))
    mid = (PUB[total][0] - PUB[b][0]) / (PUB[a][0] - PUB[b][0])
    return max(0.0, min(vals)), mid, min(1.0, max(vals))


def medewerkers():
    _, laag = read_frame("medewerkers-2024-bestuurslaag.csv")
    _, sekse = read_frame("medewerkers-2024-geslacht.csv")
    laag = {k[0]: n for k, n in laag}
    sekse = {k[0]: n for k, n in sekse}
    section("Medewerkers 2024 (Figuur 3.2/3.3 via text, Tabel 3.5)")
    lo, mid, hi = implied_share("m_totaal", "m_gemeente", "m_prov_ws")
    frame_g = laag["gemeente"] / sum(laag.values())
    resp_g = M_RESP_LAAG["gemeente"] / sum(M_RESP_LAAG.values())
    print("Gemeente share of the weighted total implied by totaal 27 = s*28 + (1-s)*22:")
    print(f"  implied {mid:.3f} (feasible {lo:.3f}-{hi:.3f}); frame (BZK fte 2022) {frame_g:.3f} "
          f"{'FITS' if lo <= frame_g <= hi else 'no'}; unweighted 489/694 {resp_g:.3f} "
          f"{'FITS' if lo <= resp_g <= hi else 'no'}")
    a = implied_share("m_totaal", "m_vrouw", "m_man")
    b = implied_share("m_verbaal", "m_vrouw_verbaal", "m_man_verbaal")
    lo, hi = max(a[0], b[0]), min(a[2], b[2])
    mv = sekse["man"] + sekse["vrouw"]
    frame_v = sekse["vrouw"] / mv
    resp_v = M_RESP_SEKSE["vrouw"] / sum(M_RESP_SEKSE.values())
    print("Female share (among men + women) implied by totaal 27 = s*31 + (1-s)*24 and verbaal 26 = s*30 + (1-s)*22:")
    print(f"  totaal {a[1]:.3f} ({a[0]:.3f}-{a[2]:.3f}); verbaal {b[1]:.3f} ({b[0]:.3f}-{b[2]:.3f}); both: {lo:.3f}-{hi:.3f}")
    print(f"  frame {frame_v:.3f} {'FITS' if lo <= frame_v <= hi else 'no'}; unweighted 293/691 {resp_v:.3f} "
          f"{'FITS' if lo <= resp_v <= hi else 'no'}")
    print("=> the medewerkers tables are consistent with the frame and with no weighting at all: they cannot")
    print("   tell the frames apart (the 3 'anders' respondents are in the totals but in neither gender group).")


def main():
    cross_check(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_REFERENCE)
    ambtsdragers()
    medewerkers()


if __name__ == "__main__":
    main()
