"""The benchmark job in DuckDB: read_csv of the needed columns into a table with the derived variables and
weights (SQL CASE expressions, a window count per cell), then one GROUP BY query per table (UNION ALL over its
column blocks, all outcomes as conditional sums). See jobs.py."""

import duckdb

import jobs


def binary(name):
    return f"CASE {name} WHEN '1' THEN 1 WHEN '0' THEN 0 END"


def any_of(exprs):
    """Codebook `any`: 1 if an item is 1, 0 if every item is 0, else missing (NULL)."""
    one = " OR ".join(f"coalesce(({e}) = 1, false)" for e in exprs)
    zero = " AND ".join(f"coalesce(({e}) = 0, false)" for e in exprs)
    return f"CASE WHEN {one} THEN 1 WHEN {zero} THEN 0 END"


def recode(name, mapping):
    return "CASE " + name + " " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in mapping.items()) + " END"


def run(path, frame):
    con = duckdb.connect()
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in jobs.COLUMNS)
    b = {x: binary(x) for x in jobs.FORMS + jobs.BESPROKEN + jobs.GEMELD + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"]}
    intern_besproken = any_of([b[x] for x in jobs.BESPROKEN])
    intern_gemeld = any_of([b[x] for x in jobs.GEMELD])
    frame_values = ", ".join(f"('{c}', {n})" for c, n in frame.items())
    ernst = "TRY_CAST(ernst AS DOUBLE)"
    con.execute(f"""
        CREATE TABLE d AS
        WITH raw AS (
            SELECT {", ".join(jobs.COLUMNS)},
                   CASE WHEN bestuurslaag = 'gemeente' THEN functie ELSE bestuurslaag END AS cell
            FROM read_csv('{path}', header = true, all_varchar = true)
        )
        SELECT cell, f.n_frame / count(*) OVER (PARTITION BY cell) AS w,
               bestuurslaag, geslacht, contact_buiten_organisatie, soort_incident,
               {recode("functie", jobs.TYPE_AMBTSDRAGER)} AS type_ambtsdrager,
               {recode("partij", jobs.PARTIJRICHTING)} AS partijrichting,
               {", ".join(f"{b[x]} AS {x}" for x in jobs.FORMS + jobs.AANGIFTE + ["niet_besproken", "niet_gemeld"])},
               {any_of([b["bedreiging"], b["intimidatie"]])} AS bedreiging_intimidatie,
               {any_of([b[x] for x in jobs.FORMS])} AS slachtoffer,
               {intern_besproken} AS intern_besproken,
               {intern_gemeld} AS intern_gemeld,
               {any_of([intern_besproken, intern_gemeld])} AS besproken_of_gemeld,
               {any_of([b["aangifte_zelf"], b["aangifte_organisatie"]])} AS aangifte_gedaan,
               CASE WHEN {ernst} >= 1 AND {ernst} <= 4 THEN 'minder_ernstig'
                    WHEN {ernst} >= 5 AND {ernst} <= 7 THEN 'zeer_ernstig' END AS ernst_categorie
        FROM raw JOIN (VALUES {frame_values}) f(cell_frame, n_frame) ON raw.cell = f.cell_frame
    """)
    cell_n = dict(con.execute("SELECT cell, count(*) FROM d GROUP BY cell").fetchall())

    aggregates = []
    for spec in jobs.TABLES:
        outs = jobs.outcomes(spec)
        sums = []
        for key, variable, level in outs:
            y = variable if level is None else f"CASE WHEN {variable} IS NULL THEN NULL WHEN {variable} = '{level}' THEN 1 ELSE 0 END"
            sums += [f"count({y})", f"sum(w) FILTER (WHERE ({y}) IS NOT NULL)", f"sum(w * ({y}))",
                     f"sum(w * w) FILTER (WHERE ({y}) IS NOT NULL)", f"sum(w * w * ({y}))"]
        where = f"{spec['filter']} = 1" if spec["filter"] else "true"
        parts = []
        for block in spec["blocks"]:
            if block is None:
                parts.append(f"SELECT '' AS block, '' AS grp, cell, {', '.join(sums)} FROM d WHERE {where} GROUP BY cell")
            else:
                name, levels = block
                in_list = ", ".join(f"'{v}'" for v in levels)
                parts.append(f"SELECT '{name}' AS block, {name} AS grp, cell, {', '.join(sums)} FROM d "
                             f"WHERE {where} AND {name} IN ({in_list}) GROUP BY {name}, cell")
        for r in con.execute(" UNION ALL ".join(parts)).fetchall():
            block, group, cell = r[0], r[1], r[2]
            for k, (key, _, _) in enumerate(outs):
                n, sw, swy, sw2, sw2y = r[3 + 5 * k: 8 + 5 * k]
                aggregates.append((spec["table"], key, block, group, cell, n, sw or 0.0, swy or 0.0, sw2 or 0.0, sw2y or 0.0))
    return aggregates, cell_n


if __name__ == "__main__":
    jobs.main(run)
