#!/usr/bin/env python3
"""The edits that start the medewerkers file's steps 6 and 7 (docs/synthesis.md, "What the last knots demand"):
prints the `--set` / `--swap` options of `monitor synth` that move a file onto the solutions of the knots that the
annealing alone did not untie.

Step 6 (`--step 6`, from step 5's file):

  1. 181 victims who answer every question. Every table about the most recent incident has 181 respondents
     (Tabel 3.9-3.17), and the prevalence windows with Tabel 3.15's n's allow exactly 136 / 25 / 20 victims per
     bestuurslaag (scripts/knots.py, question 2). Step 5's file has 186 victims, each table missing a different
     five. So the provincie victims without an aangifte answer become non-victims (their forms set to 0; the
     questionnaire's rules then route the incident's questions out), and every other victim's unanswered
     question gets an answer (FILLS; the rules complete a multiple-response set from one item).
  2. The victims per bestuurslaag x geslacht of an allocation that meets the five prevalence windows (ALLOCATION,
     checked here): exchanges of questionnaires between a victim and a non-victim of the other sex in the same
     bestuurslaag, one at a time, each the one that leaves the lowest calibration loss (`monitor synth
     --iterations 1 --count-weight 15`, seed 1, on the file with the edits so far).
  3. Aangifte, soort incident and ernst: the nearest choice (fewest changed answers) that meets tekst 3.7's
     shares and n, Tabel 3.14's verbale agressie and bedreiging columns, Tabel 3.15's rows, Tabel 3.16's n's and
     Tabel 3.17's n's together, with Tabel 3.6's n's per soort kept, and the weighted shares by ernst (tekst 3.3:
     overall, per soort, per geslacht, and of all medewerkers with contact). An integer program; knots.py
     question 3 shows there is none with soort and ernst as they are.

Step 7 (`--step 7`, from step 6's file): the social-media answers. Tabel 3.4's columns by sociale media
persoonlijk are shares of weighted groups, so which respondents (victims or not) are in a group matters as well
as who is a victim. Few changed answers of sociale_media_persoonlijk that meet the 16 windows of those columns
(verbale agressie, bedreiging / intimidatie, fysieke agressie, slachtofferschap totaal) with the groups' n's
(198 / 137 / 151 / 208) kept: an integer program over every respondent, which HiGHS solves to within a relative
gap of 0.25 of the fewest (fast, and the same answer on every run, unlike a time limit).

Needs pulp and highspy (pip install pulp highspy). Step 6 takes about 4 minutes (some 3,000 calibration
evaluations), step 7 seconds.

Usage: python3 scripts/steer.py [--monitor PATH] [--step 6|7] FILE
"""
import argparse
import csv
import ctypes
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import knots  # noqa: E402  (window, weighed, AANGIFTE_BASE, PREVALENCE)

FORMS = ["verbale_agressie", "bedreiging_intimidatie", "fysieke_agressie"]
# The answer an unanswered question of a remaining victim gets (one item of a set: the rules complete it).
FILLS = {"aantal_incidenten": "1", "ernst": "4", "besproken_collega": "1", "gemeld_leidinggevende": "1",
         "niet_extern_gemeld": "1", "geregistreerd": "weet_ik_niet", "aangifte_geen": "1"}
# Victims per cell: one of question 2's solutions for step 5's composition, with the 19 men and 1 woman among the
# waterschap victims that Tabel 3.15 needs (question 1) as they are.
ALLOCATION = {("gemeente", "anders"): 3, ("gemeente", "man"): 65, ("gemeente", "vrouw"): 68,
              ("provincie", "man"): 8, ("provincie", "vrouw"): 17, ("waterschap", "man"): 19, ("waterschap", "vrouw"): 1}


def victim(r):
    return "1" in (r[f] for f in FORMS)


class Steering:
    def __init__(self, monitor, path):
        self.monitor, self.path = monitor, path
        with open(path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.by_id = {r["respondent_id"]: r for r in self.rows}
        self.out = os.path.join(tempfile.mkdtemp(), "start.csv")

    def evaluate(self, options):
        """The calibration loss (and targets met) of the file with `options` applied."""
        p = subprocess.run([self.monitor, "synth", "--survey", "medewerkers", "--start", self.path, *options, "--seed", "1",
                            "--iterations", "1", "--count-weight", "15", "-o", self.out], capture_output=True, text=True)
        if p.returncode:
            raise SystemExit(p.stderr)
        m = re.search(r"(\d+) of \d+ targets met, loss ([\d.]+)", p.stderr)
        return float(m.group(2)), int(m.group(1))

    def clear(self, rid):
        return [x for f in FORMS if self.by_id[rid][f] == "1" for x in ("--set", f"{rid}:{f}=0")]

    def complete_victims(self):
        removed = [r["respondent_id"] for r in self.rows
                   if victim(r) and r["bestuurslaag"] == "provincie" and r["aangifte_zelf"] == ""]
        cleared = [x for rid in removed for x in self.clear(rid)]
        options = list(cleared)
        for r in self.rows:
            if victim(r) and r["respondent_id"] not in removed:
                options += [x for col, value in FILLS.items() if r[col] == "" for x in ("--set", f"{r['respondent_id']}:{col}={value}")]
        print(f"steer.py: {len(removed)} victims become non-victims, {options.count('--set') - cleared.count('--set')} answers filled",
              file=sys.stderr)
        return options, set(removed)

    def check_allocation(self):
        """ALLOCATION meets the five prevalence windows with the file's weights and has Tabel 3.15's victims."""
        count, weight = {}, {}
        for r in knots.weighed(self.monitor, self.path):
            k = (r["bestuurslaag"], r["geslacht"])
            count[k], weight[k] = count.get(k, 0) + 1, float(r["weight"])
        for name, p, sel in knots.PREVALENCE:
            share = 100 * sum(weight[k] * ALLOCATION[k] for k in count if sel(k)) / sum(weight[k] * count[k] for k in count if sel(k))
            lo, hi = knots.window(p)
            if not lo <= share <= hi:
                raise SystemExit(f"steer.py: ALLOCATION gives {name} {share:.2f}, printed {p}")
        for laag, n in knots.AANGIFTE_BASE.items():
            if sum(v for k, v in ALLOCATION.items() if k[0] == laag) != n:
                raise SystemExit(f"steer.py: ALLOCATION has not {n} victims at {laag}")

    def exchanges(self, options, used):
        """Greedy exchanges until the victims per bestuurslaag x geslacht are ALLOCATION's."""
        have = {}
        for r in self.rows:
            if victim(r) and r["respondent_id"] not in used:
                k = (r["bestuurslaag"], r["geslacht"])
                have[k] = have.get(k, 0) + 1
        swaps = []
        for laag in ("provincie", "waterschap", "gemeente"):
            excess = have.get((laag, "man"), 0) - ALLOCATION[(laag, "man")]
            if excess != -(have.get((laag, "vrouw"), 0) - ALLOCATION[(laag, "vrouw")]):
                raise SystemExit(f"{laag}: the allocation does not keep the number of victims")
            frm, to = ("man", "vrouw") if excess > 0 else ("vrouw", "man")
            for _ in range(abs(excess)):
                victims = [r["respondent_id"] for r in self.rows if r["bestuurslaag"] == laag and r["geslacht"] == frm
                           and victim(r) and r["respondent_id"] not in used]
                others = {}  # one non-victim per contact x social media: the rest of their answers are the same
                for r in self.rows:
                    if r["bestuurslaag"] == laag and r["geslacht"] == to and not victim(r) and r["respondent_id"] not in used:
                        others.setdefault((r["contact_buiten_organisatie"], r["sociale_media_persoonlijk"]), r["respondent_id"])
                best = None
                for v in victims:
                    for o in others.values():
                        score = self.evaluate(options + swaps + ["--swap", f"{v}:{o}"])
                        if best is None or score < best[0]:
                            best = (score, v, o)
                score, v, o = best
                swaps += ["--swap", f"{v}:{o}"]
                used.update((v, o))
                print(f"steer.py: {laag}: exchange {v}:{o}, loss {score[0]:.3f}, {score[1]} targets met", file=sys.stderr)
        return swaps

    def aangifte(self, options):
        """Question 3 with soort incident and ernst free: the nearest answers that meet every aangifte window."""
        import pulp
        self.evaluate(options)
        rows = knots.weighed(self.monitor, self.out)
        V = [r for r in rows if victim(r)]
        W = [float(r["weight"]) for r in V]
        I = range(len(V))
        m = pulp.LpProblem("aangifte", pulp.LpMinimize)
        a = {(i, s): pulp.LpVariable(f"a{i}_{k}", cat="Binary") for i in I for k, s in enumerate(FORMS) if V[i][s] == "1"}
        z = {k: pulp.LpVariable(f"z{k[0]}_{FORMS.index(k[1])}", cat="Binary") for k in a}
        o = {k: pulp.LpVariable(f"o{k[0]}_{FORMS.index(k[1])}", cat="Binary") for k in a}
        y = {k: pulp.LpVariable(f"y{k[0]}_{FORMS.index(k[1])}", cat="Binary") for k in a}
        mf = {i: pulp.LpVariable(f"mf{i}", cat="Binary") for i in I}  # minder ernstig (ernst 1-4)
        q = {i: pulp.LpVariable(f"q{i}", 0, 1) for i in I}              # minder ernstig and aangifte
        for i in I:
            m += pulp.lpSum(a[k] for k in a if k[0] == i) == 1
        for k in a:
            m += z[k] <= a[k]
            m += o[k] <= a[k]
            m += y[k] >= z[k]
            m += y[k] >= o[k]
            m += y[k] <= z[k] + o[k]
        Z = lambda i: pulp.lpSum(z[k] for k in a if k[0] == i)
        O = lambda i: pulp.lpSum(o[k] for k in a if k[0] == i)
        Y = lambda i: pulp.lpSum(y[k] for k in a if k[0] == i)

        def share(idx, expr, p):
            lo, hi = knots.window(p)
            total = sum(W[i] for i in idx)
            e = pulp.lpSum(W[i] * expr(i) for i in idx)
            m.addConstraint(e >= lo / 100 * total)
            m.addConstraint(e <= hi / 100 * total)
        share(list(I), Z, 2)  # tekst 3.7
        share(list(I), O, 3)
        share(list(I), Y, 5)
        m += pulp.lpSum(Y(i) for i in I) == 9
        for s, (pz, po, pn) in (("verbale_agressie", (0, 2, 98)), ("bedreiging_intimidatie", (5, 5, 90))):  # Tabel 3.14
            ks = [k for k in a if k[1] == s]
            den = pulp.lpSum(W[k[0]] * a[k] for k in ks)
            for expr, p in ((lambda k: z[k], pz), (lambda k: o[k], po), (lambda k: a[k] - y[k], pn)):
                lo, hi = knots.window(p)
                e = pulp.lpSum(W[k[0]] * expr(k) for k in ks)
                m += 100 * e >= lo * den
                m += 100 * e <= hi * den
        for s, n in (("verbale_agressie", 134), ("bedreiging_intimidatie", 44), ("fysieke_agressie", 3)):  # Tabel 3.6
            m += pulp.lpSum(a[k] for k in a if k[1] == s) == n
        for laag, (t, og, ze) in (("gemeente", (4, 3, 1)), ("provincie", (0, 0, 0)), ("waterschap", (15, 10, 5))):  # Tabel 3.15
            idx = [i for i in I if V[i]["bestuurslaag"] == laag]
            share(idx, Y, t)
            share(idx, O, og)
            share(idx, Z, ze)
        for i in I:
            m += q[i] <= Y(i)
            m += q[i] <= mf[i]
            m += q[i] >= Y(i) + mf[i] - 1
        # Ernst (tekst 3.3, Tabel 3.6 / 3.7, Figuur 3.10): the weighted shares of minder ernstig overall, per soort
        # and per geslacht, and as a share of every medewerker with contact outside the organisation.
        b = {k: pulp.LpVariable(f"b{k[0]}_{FORMS.index(k[1])}", 0, 1) for k in a}  # soort k and minder ernstig
        for k in a:
            m += b[k] <= a[k]
            m += b[k] <= mf[k[0]]
            m += b[k] >= a[k] + mf[k[0]] - 1
        share(list(I), lambda i: mf[i], 73)
        share(list(I), lambda i: 1 - mf[i], 27)
        for s, (minder_p, ernstig_p) in (("verbale_agressie", (79, 21)), ("bedreiging_intimidatie", (60, 40))):
            ks = [k for k in a if k[1] == s]
            den = pulp.lpSum(W[k[0]] * a[k] for k in ks)
            for expr, p in ((lambda k: b[k], minder_p), (lambda k: a[k] - b[k], ernstig_p)):
                lo, hi = knots.window(p)
                e = pulp.lpSum(W[k[0]] * expr(k) for k in ks)
                m += 100 * e >= lo * den
                m += 100 * e <= hi * den
        for geslacht, ernstig_p in (("man", 37), ("vrouw", 18)):
            share([i for i in I if V[i]["geslacht"] == geslacht], lambda i: 1 - mf[i], ernstig_p)
        contact = sum(float(r["weight"]) for r in rows if r["contact_buiten_organisatie"] not in ("nooit", ""))
        with_contact = [i for i in I if V[i]["contact_buiten_organisatie"] not in ("nooit", "")]
        for expr, p in ((lambda i: mf[i], 21), (lambda i: 1 - mf[i], 8)):
            lo, hi = knots.window(p)
            e = pulp.lpSum(W[i] * expr(i) for i in with_contact)
            m += e >= lo / 100 * contact
            m += e <= hi / 100 * contact
        m += pulp.lpSum(mf.values()) == 130                                       # Tabel 3.17
        m += pulp.lpSum(mf[i] - q[i] for i in I) == 126                            # Tabel 3.16
        m += pulp.lpSum((1 - mf[i]) - (Y(i) - q[i]) for i in I) == 46
        minder = {i for i in I if V[i]["ernst"] in ("1", "2", "3", "4")}
        cost = []
        for k in a:
            r = V[k[0]]
            cost.append(1 - a[k] if r["soort_incident"] == k[1] else a[k])
            cost.append(a[k] - z[k] if r["aangifte_zelf"] == "1" else z[k])
            cost.append(a[k] - o[k] if r["aangifte_organisatie"] == "1" else o[k])
        cost += [1 - mf[i] if i in minder else mf[i] for i in I]
        m += pulp.lpSum(cost)
        status = quiet_solve(m)
        if status != "Optimal":
            raise SystemExit(f"steer.py: the aangifte program is {status}")
        sets = []
        for k in sorted(a):
            if a[k].value() < 0.5:
                continue
            i, r = k[0], V[k[0]]
            rid = r["respondent_id"]
            if r["soort_incident"] != k[1]:
                sets += ["--set", f"{rid}:soort_incident={k[1]}"]
            for var, col in ((z, "aangifte_zelf"), (o, "aangifte_organisatie")):
                if round(var[k].value()) != (r[col] == "1"):
                    sets += ["--set", f"{rid}:{col}={round(var[k].value())}"]
            if (mf[i].value() > 0.5) != (i in minder):
                sets += ["--set", f"{rid}:ernst={'4' if mf[i].value() > 0.5 else '5'}"]
        return sets


# Tabel 3.4, sociale media persoonlijk: the printed percentages per row, in the order of SOCIAL_MEDIA.
SOCIAL_MEDIA = ["dagelijks", "enkele_keren_per_week", "minder_dan_wekelijks", "geen"]
TABEL_3_4 = {"verbale_agressie": (31, 33, 23, 16), "bedreiging_intimidatie": (15, 19, 11, 13),
             "fysieke_agressie": (6, 0, 5, 1), "slachtoffer": (32, 35, 25, 19)}


def social_media(monitor, path):
    """Step 7: the nearest answers of sociale_media_persoonlijk that meet Tabel 3.4's social-media columns."""
    import pulp
    rows = knots.weighed(monitor, path)
    W = [float(r["weight"]) for r in rows]
    answered = [i for i, r in enumerate(rows) if r["sociale_media_persoonlijk"] in SOCIAL_MEDIA]
    has = lambda r, row: int(victim(r)) if row == "slachtoffer" else int(r[row] == "1")
    m = pulp.LpProblem("social_media", pulp.LpMinimize)
    x = {(i, c): pulp.LpVariable(f"x{i}_{k}", cat="Binary") for i in answered for k, c in enumerate(SOCIAL_MEDIA)}
    for i in answered:
        m += pulp.lpSum(x[i, c] for c in SOCIAL_MEDIA) == 1
    for c in SOCIAL_MEDIA:
        m += pulp.lpSum(x[i, c] for i in answered) == sum(1 for i in answered if rows[i]["sociale_media_persoonlijk"] == c)
    for row, printed in TABEL_3_4.items():
        for c, p in zip(SOCIAL_MEDIA, printed):
            lo, hi = knots.window(p)
            num = pulp.lpSum(W[i] * has(rows[i], row) * x[i, c] for i in answered)
            den = pulp.lpSum(W[i] * x[i, c] for i in answered)
            m += 100 * num >= lo * den
            m += 100 * num <= hi * den
    m += pulp.lpSum(1 - x[i, rows[i]["sociale_media_persoonlijk"]] for i in answered)
    status = quiet_solve(m, gap=0.25)
    if status != "Optimal":
        raise SystemExit(f"steer.py: the social-media program is {status}")
    return [x_ for i in answered for c in SOCIAL_MEDIA if x[i, c].value() > 0.5 and rows[i]["sociale_media_persoonlijk"] != c
            for x_ in ("--set", f"{rows[i]['respondent_id']}:sociale_media_persoonlijk={c}")]


def quiet_solve(m, gap=None):
    """Solves with HiGHS; its banner goes to the process's standard output, where the options go: keep it on stderr."""
    import pulp
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        return pulp.LpStatus[m.solve(pulp.HiGHS(msg=False, gapRel=gap))]
    finally:
        ctypes.CDLL(None).fflush(None)  # the C library's buffered banner, onto stderr before fd 1 is back
        os.dup2(saved, 1)
        os.close(saved)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--monitor", default=os.path.join(ROOT, ".build", "release", "monitor"))
    ap.add_argument("--step", type=int, choices=(6, 7), default=6)
    args = ap.parse_args()
    if args.step == 7:
        sets = social_media(args.monitor, args.file)
        print(f"steer.py: {len(sets) // 2} answers of sociale_media_persoonlijk change", file=sys.stderr)
        print(" ".join(sets))
        return
    s = Steering(args.monitor, args.file)
    options, used = s.complete_victims()
    print(f"steer.py: loss {s.evaluate(options)[0]:.3f} after them", file=sys.stderr)
    s.check_allocation()
    swaps = s.exchanges(options, used)
    sets = s.aangifte(options + swaps)
    print(" ".join(options + sets + swaps))


if __name__ == "__main__":
    sys.exit(main())
