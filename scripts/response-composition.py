#!/usr/bin/env python3
"""SIG-E-002: is the 2024 response of medewerkers composed like the 2022 response (Tabel 1.4, by functie)?

The report says the composition 'wijkt niet statistisch significant af' (lines 774-777 of the report text). This
script tests it the usual way: Pearson's X² test of homogeneity on the 2 × 8 table of counts (two independent
samples: the 2024 respondents of both panels against the 2022 Flitspanel respondents), df = 7, unweighted, as a
response composition is a count of respondents. The 2024 counts are read from a respondent file (default: the
bundled synthetic medewerkers file, whose functie counts are Tabel 1.4's by construction), the 2022 counts from
the published figures (data/published/monitor-2024-published.csv, ids T1.4|<functie>|Aantal 2022).

Usage: python3 scripts/response-composition.py [RESPONDENT_CSV]
Prints the table, X², df and p; exit 0. Standard library only.
"""
import csv
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLISHED = os.path.join(ROOT, "data", "published", "monitor-2024-published.csv")
DEFAULT = os.path.join(ROOT, "data", "monitor-2024-medewerkers.csv")
# codebook code of functie -> the published row label (Tabel 1.4)
LABELS = {
    "beleid": "Beleid / advies / onderzoek",
    "management": "Management / leidinggevend / coordinerende werkzaamheden",
    "ondersteuning": "Ondersteuning / personele taken / facilitair / secretarieel",
    "toezicht_handhaving": "Toezicht houden / handhaving / controle / inspectie",
    "hulpverlening": "Maatschappelijke / therapeutische hulpverlening",
    "dienstverlening": "Dienstverlening aan (publieks-)balie / receptiewerkzaamheden",
    "bestuurlijk": "Bestuurlijke taken",
    "anders": "Anders",
}


def upper_gamma_regularized(a, x):
    """Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, continued fraction otherwise (Numerical Recipes §6.2)."""
    if x <= 0:
        return 1.0
    ln_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        k = a
        while abs(term) > abs(total) * 1e-15:
            k += 1
            term *= x / k
            total += term
        return 1.0 - total * math.exp(ln_front)
    b, c, d = x + 1 - a, 1e300, 1.0 / (x + 1 - a)
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(ln_front) * h


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    published = {r["id"]: r for r in csv.DictReader(open(PUBLISHED, encoding="utf-8"))}
    counts_2024 = {code: 0 for code in LABELS}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row.get("functie") in counts_2024:
                counts_2024[row["functie"]] += 1
    counts_2022 = {code: int(published[f"T1.4|{label}|Aantal 2022"]["value"]) for code, label in LABELS.items()}
    n1, n2 = sum(counts_2024.values()), sum(counts_2022.values())
    x2 = 0.0
    print(f"{'functie':<22}{'2024':>6}{'2022':>6}")
    for code in LABELS:
        a, b = counts_2024[code], counts_2022[code]
        col = a + b
        for observed, n in ((a, n1), (b, n2)):
            expected = col * n / (n1 + n2)
            x2 += (observed - expected) ** 2 / expected
        print(f"{code:<22}{a:>6}{b:>6}")
    df = len(LABELS) - 1
    p = upper_gamma_regularized(df / 2, x2 / 2)
    print(f"{'totaal':<22}{n1:>6}{n2:>6}   (the report prints 657 for 2022; its rows add up to {n2})")
    print(f"Pearson X² = {x2:.3f}, df = {df}, p = {p:.4f}: "
          + ("significant at 0,05 (the report says: not significant)" if p < 0.05 else "not significant"))


if __name__ == "__main__":
    main()
