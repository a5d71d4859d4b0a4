"""The estimate job in polars (issue 21): what
`monitor estimate FILE --var slachtoffer --by geslacht --cell bestuurslaag,functie --frame FRAME` computes, as
point estimates only (no standard errors, intervals or effective n: polars has no survey variance): the weighted
share of victims (codebook `slachtoffer`: any of the four forms 1, all four 0, else missing) overall and per
geslacht (the codebook's valid levels), weights N_h / n_h post-stratified to the frame's cells, and the unweighted
n with slachtoffer observed. Writes CSV: group, n, estimate (group empty for the whole sample).

    python job_estimate_polars.py DATA FRAME OUT
"""

import csv
import sys

import polars as pl

import jobs

GESLACHT = ["man", "vrouw", "anders"]


def run(path, frame):
    b = {name: pl.when(pl.col(name) == "1").then(1).when(pl.col(name) == "0").then(0).otherwise(None) for name in jobs.FORMS}
    one = pl.any_horizontal([(b[x] == 1).fill_null(False) for x in jobs.FORMS])
    zero = pl.all_horizontal([(b[x] == 0).fill_null(False) for x in jobs.FORMS])
    slachtoffer = pl.when(one).then(1.0).when(zero).then(0.0).otherwise(None)
    cell = pl.when(pl.col("bestuurslaag") == "gemeente").then(pl.col("functie")).otherwise(pl.col("bestuurslaag"))
    frame_n = pl.DataFrame({"cell": list(frame), "N": list(frame.values())}).lazy()
    df = (
        pl.scan_csv(path, infer_schema=False).select(["bestuurslaag", "functie", "geslacht"] + jobs.FORMS)
        .with_columns(cell.alias("cell"), slachtoffer.alias("y"))
        .join(frame_n, on="cell", how="left")
        .with_columns((pl.col("N") / pl.len().over("cell")).alias("w"))
        .filter(pl.col("y").is_not_null())
        .with_columns((pl.col("w") * pl.col("y")).alias("wy"))
    )
    overall = df.select(pl.len().alias("n"), pl.col("w").sum().alias("sw"), pl.col("wy").sum().alias("swy"))
    groups = (df.filter(pl.col("geslacht").is_in(GESLACHT))
              .group_by("geslacht").agg(pl.len().alias("n"), pl.col("w").sum().alias("sw"), pl.col("wy").sum().alias("swy")))
    o, g = pl.collect_all([overall, groups])
    rows = [("", o["n"][0], o["swy"][0] / o["sw"][0])]
    by = {r["geslacht"]: r for r in g.iter_rows(named=True)}
    rows += [(k, by[k]["n"], by[k]["swy"] / by[k]["sw"]) for k in GESLACHT if k in by]
    return rows


if __name__ == "__main__":
    data, frame, out = sys.argv[1:4]
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "n", "estimate"])
        for group, n, estimate in run(data, jobs.frame_totals(frame)):
            w.writerow([group, n, repr(estimate)])
