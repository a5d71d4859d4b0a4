"""The benchmark job in pandas: read_csv of the needed columns (as strings), derivations with vectorised
comparisons, per outcome the weighted terms as columns, one groupby-sum per column block. See jobs.py."""

import numpy as np
import pandas as pd

import jobs


def binary(s):
    """'1' -> 1.0, '0' -> 0.0, anything else (missing codes, empty) -> NaN."""
    return np.where(s == "1", 1.0, np.where(s == "0", 0.0, np.nan))


def any_of(items):
    """Codebook `any`: 1 if an item is 1, 0 if every item is 0, else NaN."""
    stacked = np.column_stack(items)
    one = (stacked == 1).any(axis=1)
    zero = (stacked == 0).all(axis=1)
    return np.where(one, 1.0, np.where(zero, 0.0, np.nan))


def run(path, frame):
    df = pd.read_csv(path, usecols=jobs.COLUMNS, dtype=str, keep_default_na=False, na_filter=False)
    b = {x: binary(df[x].to_numpy()) for x in jobs.FORMS + jobs.BESPROKEN + jobs.GEMELD + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"]}
    d = pd.DataFrame({
        "cell": np.where(df["bestuurslaag"] == "gemeente", df["functie"], df["bestuurslaag"]),
        "bestuurslaag": df["bestuurslaag"], "geslacht": df["geslacht"],
        "contact_buiten_organisatie": df["contact_buiten_organisatie"], "soort_incident": df["soort_incident"],
        "type_ambtsdrager": df["functie"].map(jobs.TYPE_AMBTSDRAGER),
        "partijrichting": df["partij"].map(jobs.PARTIJRICHTING),
    })
    for x in jobs.FORMS + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"]:
        d[x] = b[x]
    d["bedreiging_intimidatie"] = any_of([b["bedreiging"], b["intimidatie"]])
    d["slachtoffer"] = any_of([b[x] for x in jobs.FORMS])
    d["intern_besproken"] = any_of([b[x] for x in jobs.BESPROKEN])
    d["intern_gemeld"] = any_of([b[x] for x in jobs.GEMELD])
    d["besproken_of_gemeld"] = any_of([d["intern_besproken"].to_numpy(), d["intern_gemeld"].to_numpy()])
    d["aangifte_gedaan"] = any_of([b["aangifte_zelf"], b["aangifte_organisatie"]])
    ernst = pd.to_numeric(df["ernst"], errors="coerce").to_numpy()
    d["ernst_categorie"] = np.where((ernst >= 1) & (ernst <= 4), "minder_ernstig",
                                    np.where((ernst >= 5) & (ernst <= 7), "zeer_ernstig", None))
    del df
    counts = d["cell"].value_counts()
    cell_n = counts.to_dict()
    d["w"] = d["cell"].map(frame) / d["cell"].map(counts)

    aggregates = []
    for spec in jobs.TABLES:
        base = d[d[spec["filter"]] == 1] if spec["filter"] else d
        outs = jobs.outcomes(spec)
        w = base["w"].to_numpy()
        terms = {"cell": base["cell"].to_numpy()}
        for k, (key, variable, level) in enumerate(outs):
            if level is None:
                y = base[variable].to_numpy(dtype=float)
            else:
                v = base[variable]
                y = np.where(v.isna(), np.nan, (v == level).astype(float))
            obs = ~np.isnan(y)
            y0 = np.where(obs, y, 0.0)
            terms.update({f"n{k}": obs.astype(np.int64), f"sw{k}": w * obs, f"swy{k}": w * y0,
                          f"sw2{k}": w * w * obs, f"sw2y{k}": w * w * y0})
        t = pd.DataFrame(terms, index=base.index)
        for block in spec["blocks"]:
            if block is None:
                name, sums = "", t.groupby("cell").sum()  # the key column is not summed
                sums.index = pd.MultiIndex.from_arrays([[""] * len(sums), sums.index])
            else:
                name, levels = block
                g = base[name]
                keep = g.isin(levels).to_numpy()
                sums = t[keep].drop(columns="cell").groupby([g[keep].to_numpy(), t["cell"][keep].to_numpy()]).sum()
            for (group, cell), r in zip(sums.index, sums.itertuples(index=False)):
                r = dict(zip(sums.columns, r))
                for k, (key, _, _) in enumerate(outs):
                    aggregates.append((spec["table"], key, name, group, cell, int(r[f"n{k}"]), r[f"sw{k}"], r[f"swy{k}"],
                                       r[f"sw2{k}"], r[f"sw2y{k}"]))
    return aggregates, cell_n


if __name__ == "__main__":
    jobs.main(run)
