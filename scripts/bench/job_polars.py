"""The benchmark job in polars: lazy scan of the needed columns, derivations as expressions, one group-by per
column block (all outcomes of the table at once), run together with collect_all. See jobs.py."""

import polars as pl

import jobs


def binary(name):
    c = pl.col(name)
    return pl.when(c == "1").then(pl.lit(1, pl.Int8)).when(c == "0").then(pl.lit(0, pl.Int8)).otherwise(None)


def any_of(exprs):
    """Codebook `any`: 1 if an item is 1, 0 if every item is 0, else missing."""
    one = pl.any_horizontal([(e == 1).fill_null(False) for e in exprs])
    zero = pl.all_horizontal([(e == 0).fill_null(False) for e in exprs])
    return pl.when(one).then(pl.lit(1, pl.Int8)).when(zero).then(pl.lit(0, pl.Int8)).otherwise(None)


def run(path, frame):
    lf = pl.scan_csv(path, infer_schema=False).select(jobs.COLUMNS)
    b = {name: binary(name) for name in jobs.FORMS + jobs.BESPROKEN + jobs.GEMELD + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"]}
    ernst = pl.col("ernst").cast(pl.Float64, strict=False)
    bands = pl.when((ernst >= 1) & (ernst <= 4)).then(pl.lit("minder_ernstig")).when((ernst >= 5) & (ernst <= 7)).then(pl.lit("zeer_ernstig"))
    intern_besproken = any_of([b[x] for x in jobs.BESPROKEN])
    intern_gemeld = any_of([b[x] for x in jobs.GEMELD])
    cell = pl.when(pl.col("bestuurslaag") == "gemeente").then(pl.col("functie")).otherwise(pl.col("bestuurslaag"))
    frame_n = pl.DataFrame({"cell": list(frame), "N": list(frame.values())}).lazy()
    derived = (
        lf.with_columns(cell.alias("cell"))
        .join(frame_n, on="cell", how="left")
        .with_columns(
            (pl.col("N") / pl.len().over("cell")).alias("w"),
            *[b[x].alias(x) for x in jobs.FORMS + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"]],
            any_of([b["bedreiging"], b["intimidatie"]]).alias("bedreiging_intimidatie"),
            any_of([b[x] for x in jobs.FORMS]).alias("slachtoffer"),
            intern_besproken.alias("intern_besproken"),
            intern_gemeld.alias("intern_gemeld"),
            any_of([intern_besproken, intern_gemeld]).alias("besproken_of_gemeld"),
            any_of([b["aangifte_zelf"], b["aangifte_organisatie"]]).alias("aangifte_gedaan"),
            bands.alias("ernst_categorie"),
            pl.col("functie").replace_strict(jobs.TYPE_AMBTSDRAGER, default=None).alias("type_ambtsdrager"),
            pl.col("partij").replace_strict(jobs.PARTIJRICHTING, default=None).alias("partijrichting"),
        )
        .drop([x for x in jobs.BESPROKEN + jobs.GEMELD])
    ).collect()
    cell_n = dict(derived.group_by("cell").len().iter_rows())

    queries, keys = [], []
    for spec in jobs.TABLES:
        base = derived.lazy()
        if spec["filter"]:
            base = base.filter(pl.col(spec["filter"]) == 1)
        outs = jobs.outcomes(spec)
        ys = {}
        for key, variable, level in outs:
            ys[key] = pl.col(variable).cast(pl.Float64) if level is None else (
                pl.when(pl.col(variable).is_null()).then(None).otherwise((pl.col(variable) == level).cast(pl.Float64)))
        sums = []
        for k, (key, _, _) in enumerate(outs):
            y, w = ys[key], pl.col("w")
            obs = y.is_not_null()
            sums += [obs.sum().alias(f"n{k}"), w.filter(obs).sum().alias(f"sw{k}"), (w * y).sum().alias(f"swy{k}"),
                     (w * w).filter(obs).sum().alias(f"sw2{k}"), (w * w * y).sum().alias(f"sw2y{k}")]
        for block in spec["blocks"]:
            if block is None:
                q = base.with_columns(pl.lit("").alias("group"))
                name = ""
            else:
                name, levels = block
                q = base.filter(pl.col(name).is_in(levels)).with_columns(pl.col(name).alias("group"))
            queries.append(q.group_by(["group", "cell"]).agg(sums))
            keys.append((spec["table"], name, outs))
    aggregates = []
    for (table, block, outs), result in zip(keys, pl.collect_all(queries)):
        for r in result.iter_rows(named=True):
            for k, (key, _, _) in enumerate(outs):
                aggregates.append((table, key, block, r["group"], r["cell"], r[f"n{k}"], r[f"sw{k}"] or 0.0,
                                   r[f"swy{k}"] or 0.0, r[f"sw2{k}"] or 0.0, r[f"sw2y{k}"] or 0.0))
    return aggregates, cell_n


if __name__ == "__main__":
    jobs.main(run)
