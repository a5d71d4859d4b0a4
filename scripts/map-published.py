#!/usr/bin/env python3
"""Link the published 2024 figures and significance statements to the cells the table catalogue computes.

Python 3 + PyYAML. Writes two files next to the reference CSVs (data/published/):

- cells.csv (`id,survey,table,row,column,n_check,reason`): every 2024 figure of the four families (prevalence,
  severity, reporting, aangifte) of the two surveys, once. A figure that a specification lists in `published`
  gets the table key, the tidy row key and the column (`total` or `<block>=<code>`) of the cell that reproduces
  it, and `n_check`: which printed n of the figure is that cell's n (`base`: base_n is the row's n in the whole
  base; `group`: group_n is the cell's n; `both`; `none`, with the reason). A figure no specification lists has
  empty table/row/column and the reason why.
- significance-map.csv (`id,survey,table,row,block,group_a,group_b,reason`): every statement of
  monitor-2024-significance.csv. A comparison a specification computes gets the table, the row key, the column
  block (empty for the Totaal column), group_a (a code of the block, or `total`) and group_b (`rest`: the group
  against the rest of its block; a code of the same block: pairwise; `wave:YYYY`: 2024 against that wave's
  published figure in the spec's `previous`), chosen so that the statement's verdict reads "group_a is <verdict>
  than group_b". Otherwise the table..group_b fields are empty and the reason says why.

Cells are found by matching the published row_group/row/column labels against the tidy output's row and column
labels (`monitor tables --format csv`), restricted to the specification(s) that list the id; OVERRIDES decide
what matching cannot (ambiguous or differently worded labels). The tidy output comes from the monitor binary
run on the bundled data (every cell of every specification is in it, whatever the data) or from --tidy files.

The result is checked: every id in every specification's `published` list maps to exactly one cell that exists
in the tidy output of a specification listing it (ids listed by two specifications are resolved in SHARED);
every one of the family figures of 2024 appears exactly once (mapped, or unmapped with a reason); every
significance mapping names an existing row, block, groups and (for waves) a previous figure. Any problem: exit 1.

Usage: python3 scripts/map-published.py [--check] [--monitor PATH | --tidy CSV ...] [--verbose]
       --check   validate the committed files (regenerate in memory, compare, check) without writing
       --monitor the monitor binary (default: $MONITOR, else .build/release/monitor, .build/debug/monitor or
                 another .build*/ build of it)
       --tidy    tidy CSV(s) of `monitor tables --format csv` to use instead of running the binary
       --verbose print how every mapped id was found (label match or override) and its labels
"""
import argparse
import collections
import csv
import glob
import io
import itertools
import os
import re
import subprocess
import sys
import unicodedata

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("map-published: PyYAML is missing (pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLISHED = os.path.join(ROOT, "data", "published")
REFERENCE = os.path.join(PUBLISHED, "monitor-2024-published.csv")
SIGNIFICANCE = os.path.join(PUBLISHED, "monitor-2024-significance.csv")
CELLS_OUT = os.path.join(PUBLISHED, "cells.csv")
SIG_OUT = os.path.join(PUBLISHED, "significance-map.csv")
SPECS = os.path.join(ROOT, "data", "tables")

SURVEYS = ("ambtsdragers", "medewerkers", "organisaties")
# Every family of the reference: the report's four, the response tables and the other sections (issue 24).
FOUR_FAMILIES = ("prevalence", "severity", "reporting", "aangifte")
FAMILIES = FOUR_FAMILIES + ("response", "other")
# The reason of a figure outside the four families that no specification lists yet.
NOT_SPECIFIED = "not specified: "
YEAR = "2024"
CELL_COLUMNS = ["id", "survey", "table", "row", "column", "n_check", "reason"]
SIG_COLUMNS = ["id", "survey", "table", "row", "block", "group_a", "group_b", "reason"]

# ================================================================================================ decisions
# Ids that two specifications list (the same quantity in both): which one the id is mapped to.
SHARED = {
    "tx2.7|Gemeld of besproken|Besproken of gemeld|Totaal": "F2.12",        # '= Figuur 2.12'
    "tx2.7|Intern besproken|Besproken (totaal)|Totaal": "T2.14",            # '= 100 - 34 (Tabel 2.14)'
    "txMS-A|Intern|Besproken|Totaal": "T2.14",                               # '= 100 - 34 (Tabel 2.14)'
    "txMS-A|Intern|Gemeld|Totaal": "T2.14",                                  # '= 100 - 56 (Tabel 2.14)'
    "tx3.7|Gemeld en/of besproken|Gemeld en/of besproken|Totaal": "F3.17",  # Figuur 3.17's number
    "tx3.7|Intern gemeld|Gemeld (totaal)|Totaal": "T3.11",                   # '= 100 - 49 (Tabel 3.11)'
    "txMS-M|Intern|Besproken|Totaal": "T3.11",                               # '= 100 - 16 (Tabel 3.11)'
    "txMS-M|Intern|Gemeld|Totaal": "T3.11",                                  # '= 100 - 49 (Tabel 3.11)'
}

# Cells that label matching cannot decide: id -> (table, row, column). Each is a figure whose labels are worded
# differently from the table's (complements quoted by the text, summary wording), match two cells equally, or
# match the wrong one (a 'Totaal' label that means the measure, not the Totaal column).
OVERRIDES = {
    # ambtsdragers
    "tx2.3|Ernst meest recente ervaring|Ernstig|Totaal": ("F2.9", "ernst_categorie=zeer_ernstig", "total"),
    "txMS-A|Intern|Besproken|Totaal": ("T2.14", "intern_besproken", "total"),      # = 100 - niet besproken
    "txMS-A|Intern|Gemeld|Totaal": ("T2.14", "intern_gemeld", "total"),            # = 100 - niet gemeld
    "txMS-A|Besproken naar ernst|Ernstig|Besproken": ("T2.15", "intern_besproken", "ernst_categorie=zeer_ernstig"),
    "txMS-A|Besproken naar ernst|Minder ernstig|Besproken":
        ("T2.15", "intern_besproken", "ernst_categorie=minder_ernstig"),
    "txMS-A|Gemeld naar ernst|Ernstig|Gemeld": ("T2.15", "intern_gemeld", "ernst_categorie=zeer_ernstig"),
    "txMS-A|Gemeld naar ernst|Minder ernstig|Gemeld": ("T2.15", "intern_gemeld", "ernst_categorie=minder_ernstig"),
    "txMS-A|Geregistreerd naar ernst|Ernstig|Geregistreerd":
        ("F2.13", "geregistreerd=ja", "ernst_categorie=zeer_ernstig"),
    "txMS-A|Geregistreerd naar ernst|Minder ernstig|Geregistreerd":
        ("F2.13", "geregistreerd=ja", "ernst_categorie=minder_ernstig"),
    "tx2.7|Aangifte trend|Ernstig|Totaal": ("T2.24", "aangifte_gedaan", "ernst_categorie=zeer_ernstig"),
    "tx2.7|Aangifte trend|Minder ernstig|Totaal": ("T2.24", "aangifte_gedaan", "ernst_categorie=minder_ernstig"),
    "txMS-A|Aangifte naar ernst|Ernstig|Aangifte gedaan": ("T2.24", "aangifte_gedaan", "ernst_categorie=zeer_ernstig"),
    "txMS-A|Slachtofferschap naar overheid|Gemeenten en provincies|Totaal":
        ("T2.2", "slachtoffer", "bestuurslaag_gemeente_provincie=gemeente_provincie"),
    # satisfaction: '(zeer) tevreden' / '(zeer) ontevreden' are the 3-way groupings, 'zeer ontevreden' the raw answer
    "tx2.7|Tevredenheid|Bespreken|(Zeer) tevreden": ("F2.11", "tevredenheid_bespreken_groep=tevreden", "total"),
    "tx2.7|Tevredenheid|Melden|Zeer ontevreden": ("F2.11", "tevredenheid_melden=zeer_ontevreden", "total"),
    "tx2.7|Tevredenheid bespreken|Voorzitters|(Zeer) tevreden":
        ("F2.11", "tevredenheid_bespreken_groep=tevreden", "type_ambtsdrager=voorzitter"),
    "tx2.7|Tevredenheid bespreken|Volksvertegenwoordigers|(Zeer) tevreden":
        ("F2.11", "tevredenheid_bespreken_groep=tevreden", "type_ambtsdrager=volksvertegenwoordiger"),
    "tx2.7|Tevredenheid melden|Voorzitters|(Zeer) tevreden":
        ("F2.11", "tevredenheid_melden_groep=tevreden", "type_ambtsdrager=voorzitter"),
    "tx2.7|Tevredenheid melden|Volksvertegenwoordigers|(Zeer) tevreden":
        ("F2.11", "tevredenheid_melden_groep=tevreden", "type_ambtsdrager=volksvertegenwoordiger"),
    "tx2.7|Tevredenheid externe melding|Externe melding|(Zeer) tevreden":
        ("T2.33", "tevredenheid_extern_groep=tevreden", "total"),
    "tx2.7|Tevredenheid externe melding|Externe melding|(Zeer) ontevreden":
        ("T2.33", "tevredenheid_extern_groep=ontevreden", "total"),
    # the second Tabel 2.10 (daders by year): its 2024 column is Tabel 2.9's Totaal
    "T2.10b|Burger (geen ondernemer)|2024": ("T2.9", "dader_burger", "total"),
    "T2.10b|Dader is onbekend|2024": ("T2.9", "dader_onbekend", "total"),
    "T2.10b|Een anoniem sociale media-account*|2024": ("T2.9", "dader_anoniem_sociale_media", "total"),
    "T2.10b|Ondernemer|2024": ("T2.9", "dader_ondernemer", "total"),
    "T2.10b|Persoon (vermoedelijk) betrokken bij georganiseerde misdaad en/of ondermijning|2024":
        ("T2.9", "dader_georganiseerde_misdaad", "total"),
    "T2.10b|Iemand anders|2024": ("T2.9", "dader_anders", "total"),
    # medewerkers
    "tx3.2|Herhaald slachtofferschap|Meer dan een keer slachtoffer|% van slachtoffers":
        ("F3.6", "herhaaldelijk_slachtoffer=herhaaldelijk", "total"),
    "tx3.2|Slachtofferschap naar contact|< 1x per week|Totaal":
        ("T3.4", "slachtoffer", "contact_buiten_organisatie=minder_dan_wekelijks"),       # not sociale media
    "tx3.7|Intern gemeld|Gemeld (totaal)|Totaal": ("T3.11", "intern_gemeld", "total"),      # = 100 - niet gemeld
    "txMS-M|Intern|Besproken|Totaal": ("T3.11", "intern_besproken", "total"),               # = 100 - niet besproken
    "txMS-M|Intern|Gemeld|Totaal": ("T3.11", "intern_gemeld", "total"),                     # = 100 - niet gemeld
    "txMS-M|Aangifte|Geen aangifte (medewerker of organisatie)|Totaal": ("F3.20", "aangifte_geen", "total"),
    "txConcl-M|Aangifte|Aangifte gedaan|Totaal": ("F3.20", "aangifte_gedaan", "total"),
    "tx3.7|Aangifte trend|Gemeenten (totaal aangifte)|Totaal": ("T3.15", "aangifte_gedaan", "bestuurslaag=gemeente"),
    # Figuur 3.3: gemeenten is in two blocks (bestuurslaag, and the combined bestuurslaag_provincie_waterschap)
    "tx3.2|Slachtofferschap naar bestuurslaag|Gemeenten|Totaal": ("F3.3", "slachtoffer", "bestuurslaag=gemeente"),
    "txMS-M|Slachtofferschap naar bestuurslaag|Gemeenten|Totaal": ("F3.3", "slachtoffer", "bestuurslaag=gemeente"),
    "tx3.2|Slachtofferschap naar bestuurslaag|Provincies en waterschappen|Totaal":
        ("F3.3", "slachtoffer", "bestuurslaag_provincie_waterschap=provincie_waterschap"),
    "txMS-M|Slachtofferschap naar bestuurslaag|Provincies en waterschappen|Totaal":
        ("F3.3", "slachtoffer", "bestuurslaag_provincie_waterschap=provincie_waterschap"),
    # Figuur 3.18: 'ontevreden' in the text is the (zeer) ontevreden grouping
    "tx3.7|Tevredenheid|Bespreken|(Zeer) ontevreden": ("F3.18", "tevredenheid_bespreken_groep=ontevreden", "total"),
    "tx3.7|Tevredenheid|Opvolging melding|(Zeer) tevreden": ("F3.18", "tevredenheid_melden_groep=tevreden", "total"),
    "tx3.7|Tevredenheid|Opvolging melding|(Zeer) ontevreden": ("F3.18", "tevredenheid_melden_groep=ontevreden", "total"),
    "tx3.7|Ontevredenheid naar ernst|Ernstig|Ontevreden bespreken":
        ("F3.18", "tevredenheid_bespreken_groep=ontevreden", "ernst_categorie=zeer_ernstig"),
    "tx3.7|Ontevredenheid naar ernst|Ernstig|Ontevreden opvolging melding":
        ("F3.18", "tevredenheid_melden_groep=ontevreden", "ernst_categorie=zeer_ernstig"),
    "tx3.7|Ontevredenheid naar ernst|Minder ernstig|Ontevreden bespreken":
        ("F3.18", "tevredenheid_bespreken_groep=ontevreden", "ernst_categorie=minder_ernstig"),
    "tx3.7|Ontevredenheid naar ernst|Minder ernstig|Ontevreden opvolging melding":
        ("F3.18", "tevredenheid_melden_groep=ontevreden", "ernst_categorie=minder_ernstig"),
    # response (chapter 1, bijlage B, summary): the margins of Tabel 1.2 are blocks of their own ('Totaal' is in
    # every label), and the text's response figures are the tables' Totaal cells
    "T1.2|Totaal voorzitters dagelijks bestuur|Totaal": ("T1.2", "respons", "type_ambtsdrager=voorzitter"),
    "T1.2|Totaal leden dagelijks bestuur|Totaal": ("T1.2", "respons", "type_ambtsdrager=dagelijks_bestuur"),
    "T1.2|Totaal volksvertegenwoordigers|Totaal": ("T1.2", "respons", "type_ambtsdrager=volksvertegenwoordiger"),
    "T1.2|Totaal gemeente|Gemeenten": ("T1.2", "respons", "bestuurslaag=gemeente"),
    "T1.2|Totaal provincie|Provincies": ("T1.2", "respons", "bestuurslaag=provincie"),
    "T1.2|Totaal waterschap|Waterschappen": ("T1.2", "respons", "bestuurslaag=waterschap"),
    "tx1.2|Respons|Ingevuld|Aantal": ("T1.2", "respons", "total"),
    "txMS-A|Respons|Ingevuld|Aantal": ("T1.2", "respons", "total"),
    "tx1.2|Respons|Benaderd|Aantal": ("T6.3", "uitgenodigd", "total"),
    "tx1.2|Respons|Responspercentage|%": ("T6.3", "responspercentage", "total"),
    "txMS-A|Respons|Responspercentage|%": ("T6.3", "responspercentage", "total"),
    "tx1.2|Steekproef raadsleden|Raadsleden benaderd|Aantal": ("T6.3", "uitgenodigd", "functie=raadslid"),
    **{f"T4.3B|{laag}|{label}|%|2024": ("T6.3", "responspercentage", column) for laag, label, column in (
        ("Gemeente", "Burgemeesters", "functie=burgemeester"), ("Gemeente", "Wethouders", "functie=wethouder"),
        ("Gemeente", "Raadsleden", "functie=raadslid"), ("Gemeente", "Totaal", "bestuurslaag=gemeente"),
        ("Provincie", "CvK", "functie=cdk"), ("Provincie", "Gedeputeerden", "functie=gedeputeerde"),
        ("Provincie", "Statenleden", "functie=statenlid"), ("Provincie", "Totaal", "bestuurslaag=provincie"),
        ("Waterschap", "Dijkgraven/Watergraven", "functie=dijkgraaf"), ("Waterschap", "DB-leden", "functie=lid_db"),
        ("Waterschap", "AB-leden", "functie=lid_ab"), ("Waterschap", "Totaal", "bestuurslaag=waterschap"))},
    # the 'Totaal' rows of each bestuurslaag are the bestuurslaag's cells, not the Totaal column
    **{f"T4.3B|{laag}|Totaal|{label}|2024": ("T6.3", row, f"bestuurslaag={code}")
       for laag, code in (("Gemeente", "gemeente"), ("Provincie", "provincie"), ("Waterschap", "waterschap"))
       for label, row in (("Totaal uitgenodigd", "uitgenodigd"), ("Respons", "respons"))},
    "tx1.2.2|Respons|Deelnemers|Aantal": ("T1.3", "respons", "total"),
    "txMS-M|Respons|Ingevuld|Aantal": ("T1.3", "respons", "total"),
    # organisaties
    "tx1.2.3|Respons|Organisaties ingevuld|Aantal": ("T1.5", "deelgenomen", "total"),
    "tx1.2.3|Respons|Responspercentage|%": ("T1.5", "responspercentage", "total"),
    "txMS-O|Respons|Responspercentage|%": ("T1.5", "responspercentage", "total"),
    "txMS-O|Respons|Gemeenten|Aantal": ("T1.5", "deelgenomen", "bestuurslaag=gemeente"),
    "txMS-O|Respons|Provincies|Aantal": ("T1.5", "deelgenomen", "bestuurslaag=provincie"),
    "txMS-O|Respons|Waterschappen|Aantal": ("T1.5", "deelgenomen", "bestuurslaag=waterschap"),
    # Tabel 4.1 prints each cell as a count with its percentage: the count rows are `aantal`
    **{f"T4.1|{level}|{column}{suffix}": ("T4.1", ("beleid_gerichtheid=" if suffix else "aantal=") + level, cell)
       for level in ("doelgroepgericht", "generiek")
       for column, cell, suffixes in (("Totaal", "total", ("", " %")), ("Gemeenten", "bestuurslaag=gemeente", ("", " %")),
                                      ("Provincies", "bestuurslaag=provincie", ("",)),
                                      ("Waterschappen", "bestuurslaag=waterschap", ("",)))
       for suffix in suffixes},
    "T4.2a|Voor medewerkers|%": ("T4.2", "functionaris_medewerkers", "total"),
    "T4.2a|Voor bestuurders|%": ("T4.2", "functionaris_bestuurders", "total"),
    "T4.2a|Voor volksvertegenwoordigers|%": ("T4.2", "functionaris_volksvertegenwoordigers", "total"),
    "T4.2a|Nee|%": ("T4.2", "functionaris_nee", "total"),
}

# Figures that are not one cell but follow from cells (data/published/README.md): a rank among a column's rows
# (`rank=K`), a decrease in percentage points since a wave of the spec's `previous` (`decrease:WAVE:<row>`), a
# product with another table's Totaal percentage (`times:<table>:<row there>:<row here>`), an
# unweighted count of respondents (n_check `count`: of the row's level, or with a valid answer when the row has no
# level). id -> (table, row, column, n_check).
DERIVED = {
    "T2.18|2024|Belangrijkste reden": ("T2.17", "rank=1", "total", "none"),
    "T2.18|2024|Tweede reden": ("T2.17", "rank=2", "total", "none"),
    "T2.18|2024|Derde reden": ("T2.17", "rank=3", "total", "none"),
    "tx2.2|Slachtofferschap trend|Dagelijks bestuurders: afname 2022-2024|procentpunt":
        ("T2.3", "decrease:2022:slachtoffer", "type_ambtsdrager=dagelijks_bestuur", "none"),
    # Figuur 2.10's shares of all ambtsdragers are prevalence x the split among rated victims (F2.10's notes)
    "tx2.3|Aandeel alle ambtsdragers met incident|Minder ernstig incident|Totaal":
        ("F2.9", "times:F2.2:slachtoffer:ernst_categorie=minder_ernstig", "total", "none"),
    "tx2.3|Aandeel alle ambtsdragers met incident|(Zeer) ernstig incident|Totaal":
        ("F2.9", "times:F2.2:slachtoffer:ernst_categorie=zeer_ernstig", "total", "none"),
    "txMS-A|Aandeel alle ambtsdragers met incident|(Zeer) ernstig incident|Totaal":
        ("F2.9", "times:F2.2:slachtoffer:ernst_categorie=zeer_ernstig", "total", "none"),
    "tx3.7|Tevredenheid opvolging aangifte|Aantal respondenten|Totaal (n)":
        ("F3.20.1", "tevredenheid_aangifte_groep", "total", "count"),
    "tx3.7|Tevredenheid opvolging aangifte|(Zeer) ontevreden|Aantal":
        ("F3.20.1", "tevredenheid_aangifte_groep=ontevreden", "total", "count"),
    "tx3.7|Tevredenheid opvolging aangifte|(Zeer) tevreden|Aantal":
        ("F3.20.1", "tevredenheid_aangifte_groep=tevreden", "total", "count"),
}

# Family figures of 2024 that no specification lists: (pattern on the id, reason). First match wins. A reason
# starts with its kind ("kind: detail"); the summary counts the kinds.
UNMAPPED = [
    (r"^tx2\.2\|Slachtofferschap trend\|Verbale agressie \(referent",
     "ambiguous referent: '45 naar 37 procent' (Figuur 2.4/2.5, images) matches no 2024 cell; "
     "Figuur 2.4 and 2.5 are not specified"),
    (r"^T3\.11\|Het interne registratiesysteem\|Besproken$",
     "not a cell: printed '-'; the registratiesysteem is only a melden answer (no besproken item)"),
    # response (chapter 1, bijlage B): design facts and the address file, which no respondent file holds
    (r"^tx1\.2\|Steekproef raadsleden\|Gemeenten in steekproef",
     "not in the data: the 122 sampled gemeenten are a design fact; the respondent file names only gemeenten with a "
     "respondent (gemeentecode), and no frame file lists the sample"),
    (r"^tx1\.2\|Respons\|Volledig ingevuld\|",
     "not in the codebook: whether a respondent completed the whole questionnaire (footnote 2: 975, 90%) is not a "
     "variable of the respondent file"),
    (r"^tx1\.2\.2\|I&O Research Panel\|",
     "not in the data: the size of the I&O Research Panel and of its sample (footnote 3) are facts of the panel, not "
     "of respondents, and the report gives no breakdown a frame file could hold"),
    (r"^T4\.4B\|[^|]*\|% persoonlijke e-mailadressen openbaar beschikbaar$",
     "not in the data: the share of personal e-mail addresses publicly available describes the address file the "
     "invitations were sent from; the report prints only percentages, of address counts it does not give"),
    # organisaties
    (r"^T1\.6\|",
     "not survey data: Tabel 1.6 counts the verdiepende interviews (Deel 4, 16 organisations), a qualitative part "
     "of the study with organisations that are not the 117 respondents of the organisatievragenlijst"),

]

# n_check exceptions: (table, rows or None, id pattern or None, base usable?, group usable?, reason). The
# first rule that fits decides; otherwise a printed base_n is the row's n in the whole base and a printed
# group_n is the cell's n.
T214_GEMELD = {"gemeld_collega", "gemeld_voorzitter", "gemeld_secretaris", "gemeld_ambtenaren", "gemeld_griffier",
               "gemeld_veiligheidsadviseur", "gemeld_vertrouwenspersoon", "gemeld_anders", "niet_gemeld",
               "intern_gemeld"}
N_RULES = [
    ("T2.3", None, None, True, False,
     "group_n 1.076 is the n of the report's 2024 column (all ambtsdragers), not of the group"),
    ("T2.6", None, r"^T2\.6a\|(?!totaal)", True, False,
     "group_n 421 is the n of the report's 2024 column (all victims with a score), not of the type"),
    ("T2.14", T214_GEMELD, None, False, False,
     "base_n 414 is the n of the besproken question; the gemeld question has n=411 (Tabel 2.16, Figuur 2.12)"),
    ("T2.15", {"niet_gemeld", "intern_gemeld"}, None, False, False,
     "base_n 414 and the column n's are those of the besproken question; the gemeld question has n=411 "
     "(Tabel 2.16)"),
    ("F2.12", {"intern_besproken"}, None, False, False,
     "n=411 is the figure's n (the gemeld question); intern besproken has the besproken question's n "
     "(414, Tabel 2.14)"),
    ("F2.12", {"besproken_of_gemeld"}, None, False, False,
     "n=411 is the gemeld question's n; 'gemeld of besproken' also counts respondents who answered only the "
     "besproken question (n=414), so its n lies between 411 and 414"),
    ("T2.24", None, r"^txConcl-A\|", False, False,
     "no n printed; the conclusions' 'vijf procent' speaks of both surveys together (Tabel 2.24: 6%)"),
    ("F3.21", None, None, False, False,
     "base_n 171 (running text) disagrees with n=172 (126 + 46) of Tabel 3.16 for the same base and question"),
    ("T3.15", None, r"^tx3\.7\|Aangifte trend\|Gemeenten", False, True,
     "base_n 136 is the gemeenten column's n, not the whole base (181)"),
    ("T3.1", None, None, False, False,
     "group_n is the statement's n over both groups (printed in the row label: the row's n in the whole base, "
     "which no column of the table holds), not the group's"),
    ("T3.18", None, None, False, False,
     "group_n is the statement's n over both groups (printed in the row label: the row's n in the whole base, "
     "which no column of the table holds), not the group's"),
    ("T3.19", None, None, False, False,
     "base_n 345 is the smallest n of the six statements ('n min 2024'), not each statement's n"),
    ("T3.20", None, None, False, False,
     "base_n 583 is the smallest n of the three statements ('n min 2024'), not each statement's n"),
    ("T3.21", None, None, False, False,
     "base_n 474 is the smallest n of the five statements ('n min 2024'), not each statement's n"),
]

# Significance statements: id -> (table, row, block, group_a, group_b, reason). Mapped statements name the
# comparison; unmapped ones have None for the table and the reason. Multi-part statements are mapped to their
# first named comparison; the reason names the rest.
NOT_FAMILY = "outside the four families: "
SIG = {
    "SIG-E-001": ("F3.3", "slachtoffer", "bestuurslaag", "gemeente", "rest",
                  "the rest of the block is provincies + waterschappen, the report's combined group; SIG-E-011 "
                  "is the same test on the combined block (bestuurslaag_provincie_waterschap)"),
    "SIG-E-002": (None, NOT_FAMILY + "response composition (Tabel 1.4)"),
    "SIG-E-003": ("T2.2", "slachtoffer", "partijrichting", "progressief", "lokaal_overig", ""),
    "SIG-E-004": ("T2.2", "slachtoffer", "partijrichting", "progressief", "conservatief", ""),
    "SIG-E-005": ("T2.6", "ernst_categorie=zeer_ernstig", "soort_incident", "verbale_agressie", "wave:2018", ""),
    "SIG-E-006": ("T2.6", "ernst_categorie=zeer_ernstig", "soort_incident", "bedreiging", "wave:2022",
                  "also intimidatie and the waves 2018/2020 (whose bedreiging figures are bedreiging/intimidatie "
                  "combined); the reference flags the 2022/2024 bedreiging and intimidatie rows as swapped"),
    "SIG-E-007": ("T2.10", "gericht_op_geslacht", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen"),
    "SIG-E-008": ("T2.10", "gericht_op_fysieke_kenmerken", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen"),
    "SIG-E-009": ("T2.9", "dader_ondernemer", "bestuurslaag", "waterschap", "rest",
                  "rest = gemeenten + provincies; ondernemer is the row where waterschappen differ most (18% against 8% / 7%); the statement covers every dader row (burger, onbekend, anoniem sociale media-account, georganiseerde misdaad, iemand anders); read as the table's test against the rest (its colours: 'dan de andere groep'): pairwise, waterschappen against provincies for the anoniem account (12% against 31%, n=33 / 55) is about z=2.3 in a simple two-proportion test; waterschappen n=33, indicatief"),
    "SIG-E-010": ("T2.13", "achtergrond=oplopende_emoties", "", "total", "wave:2022",
                  "the largest change (33% -> 29%); the statement covers every category of Tabel 2.13 (ongenoegen 32 -> 34, doelbewust 23 -> 26, verward gedrag 5 -> 5, anders 4 -> 3, weet ik niet 3 -> 3); the 2022 n (1.342) is printed, so monitor tables tests it"),
    "SIG-E-011": ("F3.3", "slachtoffer", "bestuurslaag_provincie_waterschap", "gemeente", "rest",
                  "two-group block: rest = provincies en waterschappen, the group of the published 22%; the same "
                  "test as gemeenten against the rest of the bestuurslaag block (SIG-E-001)"),
    "SIG-E-012": ("T3.3", "slachtoffer", "functiegroep", "buitendienst", "binnendienst", ""),
    "SIG-E-013": ("T3.3", "slachtoffer", "functiegroep", "dienstverlening", "binnendienst", ""),
    "SIG-E-014": ("F3.4", "aandeel_online_verbale_agressie", "", "total", "wave:2022",
                  "the statement is about the offline share = 100 - the online mean; same comparison"),
    "SIG-E-015": ("F3.5", "aandeel_online_bedreiging_intimidatie", "", "total", "wave:2022",
                  "the statement is about the offline share = 100 - the online mean; same comparison"),
    "SIG-E-016": ("T3.7", "ernst_categorie=zeer_ernstig", "soort_incident", "verbale_agressie", "wave:2022", ""),
    "SIG-E-017": ("T3.7", "ernst_categorie=zeer_ernstig", "soort_incident", "bedreiging_intimidatie", "wave:2022", ""),
    "SIG-E-018": ("T5.2", "aandeel_offline_verbale_agressie", "leeftijdsgroep", "leeftijd_60_plus", "leeftijd_18_39",
                  "read as the mean offline share of one's own verbale agressie (Figuur 2.6's measure) by leeftijd: "
                  "oudere = 60+, jongere = 18-39"),
    "SIG-E-019": ("T5.1", "slachtoffer", "migratieachtergrond", "1", "rest",
                  "two-group block: rest = zonder migratieachtergrond; the statement covers all bijlage C "
                  "differences by migratieachtergrond"),
    "SIG-E-020": ("T5.1", "online_agressie", "migratieachtergrond", "1", "rest",
                  "online agressie en intimidatie = at least one online incident of verbale agressie or "
                  "bedreiging/intimidatie (codebook: online_agressie); two-group block: rest = zonder"),
    "SIG-E-021": ("T5.3", "gericht_op_etnische_achtergrond", "migratieachtergrond", "1", "rest",
                  "two-group block: rest = zonder migratieachtergrond; bijlage C prints no numbers; SIG-E-019 covers all bijlage C differences by migratieachtergrond"),
    "SIG-E-022": ("T5.3", "dader_anoniem_sociale_media", "migratieachtergrond", "1", "rest",
                  "two-group block: rest = zonder migratieachtergrond; bijlage C prints no numbers; SIG-E-019 covers all bijlage C differences by migratieachtergrond"),
    "SIG-E-023": ("T5.4", "weet_grens_acceptabel_gedrag_groep=eens", "migratieachtergrond", "1", "rest",
                  "two-group block: rest = zonder migratieachtergrond; '(helemaal) mee eens' with the statement (the report's 'zeggen vaker te weten'); bijlage C prints no numbers"),
    "SIG-E-024": ("T5.4", "veilig_in_functie_groep=oneens", "seksuele_orientatie_groep", "niet_hetero", "rest",
                  "two-group block: rest = hetero; 'voelen zich onveilig' = (helemaal) mee oneens with 'ik voel me veilig bij het uitoefenen van mijn werkzaamheden' (Figuur 2.1: 'niet veilig (genoeg)'); 13% against 4%"),
    "SIG-E-025": ("T5.1", "bedreiging_intimidatie", "seksuele_orientatie_groep", "niet_hetero", "rest",
                  "two-group block: rest = hetero"),
    "SIG-E-026": ("T5.3", "doelwit_specifieke_groep", "seksuele_orientatie_groep", "niet_hetero", "rest",
                  "two-group block: rest = hetero; the Tabel 2.7 item 'op mij als onderdeel van een specifieke groep' (14% against 4%), among victims"),
    "SIG-E-027": ("T5.4", "organisatie_voorkomt_agressie_groep=oneens", "seksuele_orientatie_groep", "niet_hetero", "rest",
                  "two-group block: rest = hetero; 14% against 5%; the reference takes the bullet's opening 'een niet-significant verschil' to cover this sentence too (significance not stated separately)"),
    "SIG-I-001": ("T2.2", "slachtoffer", "bestuurslaag", "gemeente", "waterschap",
                  "also each form of aggression (rows verbale_agressie, bedreiging_intimidatie, fysieke_agressie)"),
    "SIG-I-002": ("T2.2", "slachtoffer", "bestuurslaag", "provincie", "waterschap",
                  "also each form of aggression (rows verbale_agressie, bedreiging_intimidatie, fysieke_agressie)"),
    "SIG-I-003": ("T2.2", "slachtoffer", "type_ambtsdrager", "volksvertegenwoordiger", "voorzitter",
                  "also verbale_agressie and bedreiging_intimidatie"),
    "SIG-I-004": ("T2.2", "slachtoffer", "type_ambtsdrager", "volksvertegenwoordiger", "dagelijks_bestuur",
                  "also verbale_agressie and bedreiging_intimidatie"),
    "SIG-I-005": ("T2.2", "slachtoffer", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen; also verbale_agressie and bedreiging_intimidatie"),
    "SIG-I-006": ("T2.2", "fysieke_agressie", "geslacht", "vrouw", "rest", "two-group block: rest = mannen"),
    "SIG-I-007": ("F2.3", "slachtoffer", "", "total", "wave:2014", ""),
    "SIG-I-008": ("F2.3", "slachtoffer", "", "total", "wave:2022", ""),
    "SIG-I-009": (None, "no earlier figure: Figuur 2.4 (by form and year) is an image and its 2022 figures are "
                        "not published, so it is not specified"),
    "SIG-I-010": (None, "no earlier figure: Figuur 2.4 (by form and year) is an image and its 2022 figures are "
                        "not published, so it is not specified"),
    "SIG-I-011": (None, "no earlier figure: Figuur 2.5 (by bestuurslaag and year) is an image without published "
                        "2022 figures; it also needs a combined group provincies en waterschappen"),
    "SIG-I-012": (None, "no earlier figure: Figuur 2.5 (by bestuurslaag and year) is an image without published "
                        "2022 figures"),
    "SIG-I-013": ("T2.3", "slachtoffer", "type_ambtsdrager", "dagelijks_bestuur", "wave:2022", ""),
    "SIG-I-014": (None, "no earlier figure: no 2022 online/offline shares for ambtsdragers are published (Figuur 2.6/2.7 have no "
                        "previous wave)"),
    "SIG-I-015": ("F2.8", "herhaaldelijk_slachtoffer=herhaaldelijk", "", "total", "wave:2022", ""),
    "SIG-I-016": ("T5.1", "slachtoffer", "leeftijdsgroep", "leeftijd_18_39", "leeftijd_60_plus",
                  "also every form except fysieke agressie (rows verbale_agressie, bedreiging_intimidatie)"),
    "SIG-I-017": ("T5.1", "slachtoffer", "leeftijdsgroep", "leeftijd_40_59", "leeftijd_60_plus",
                  "also every form except fysieke agressie (rows verbale_agressie, bedreiging_intimidatie)"),
    "SIG-I-018": ("T5.2", "aandeel_online_verbale_agressie", "leeftijdsgroep", "leeftijd_18_39", "leeftijd_60_plus",
                  "the mean online share of one's own verbale agressie by leeftijd (jonge = 18-39, oudere = 60+); "
                  "the complement of SIG-E-018's comparison"),
    "SIG-I-019": ("T5.1", "bedreiging_intimidatie", "beperking", "met", "rest", "two-group block: rest = zonder"),
    "SIG-I-020": ("T3.4", "slachtoffer", "contact_buiten_organisatie", "dagelijks", "minder_dan_wekelijks",
                  "also against nooit (geen contact) and for verbale_agressie and bedreiging_intimidatie"),
    "SIG-I-021": ("T3.4", "slachtoffer", "contact_buiten_organisatie", "enkele_keren_per_week",
                  "minder_dan_wekelijks", "also against nooit (geen contact)"),
    "SIG-I-022": ("T3.4", "slachtoffer", "sociale_media_persoonlijk", "dagelijks", "geen",
                  "also enkele_keren_per_week against geen, and especially verbale_agressie"),
    "SIG-I-023": ("T3.5", "slachtoffer", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen; also verbale_agressie"),
    "SIG-I-024": ("T3.5", "bedreiging_intimidatie", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen; also fysieke_agressie"),
    "SIG-I-025": ("F3.7", "verbale_agressie", "", "total", "wave:2022",
                  "the 2022 total is not published; mapped to verbale agressie (33% -> 28%), the part the text "
                  "gives"),
    "SIG-I-026": (None, "no earlier figure: none is published for bedreiging/intimidatie or fysieke agressie "
                        "(Figuur 3.7 is an image)"),
    "SIG-I-027": ("T2.5", "ernst_categorie=zeer_ernstig", "soort_incident", "bedreiging", "verbale_agressie", ""),
    "SIG-I-028": ("T2.5", "ernst_categorie=zeer_ernstig", "geslacht", "vrouw", "rest",
                  "two-group block: rest = mannen"),
    "SIG-I-029": ("T3.6", "ernst_categorie=zeer_ernstig", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie"),
    "SIG-I-030": ("T3.6", "ernst_categorie=zeer_ernstig", "geslacht", "man", "rest",
                  "two-group block: rest = vrouwen"),
    "SIG-I-031": ("F3.10", "ernst_categorie=zeer_ernstig", "", "total", "wave:2022", "also against 2016"),
    "SIG-I-032": ("T2.15", "niet_besproken", "soort_incident", "verbale_agressie", "intimidatie", ""),
    "SIG-I-033": ("T2.15", "niet_besproken", "soort_incident", "verbale_agressie", "bedreiging", ""),
    "SIG-I-034": ("T2.15", "niet_besproken", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = niet ernstig"),
    "SIG-I-035": ("T2.15", "niet_gemeld", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = niet ernstig"),
    "SIG-I-036": ("T2.15", "intern_besproken", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = niet ernstig"),
    "SIG-I-037": ("T2.15", "intern_gemeld", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = niet ernstig"),
    "SIG-I-038": ("T2.16", "niet_gemeld", "type_ambtsdrager", "volksvertegenwoordiger", "voorzitter", ""),
    "SIG-I-039": ("T2.16", "niet_gemeld", "type_ambtsdrager", "volksvertegenwoordiger", "dagelijks_bestuur", ""),
    "SIG-I-040": ("F2.11", "tevredenheid_bespreken_groep=tevreden", "type_ambtsdrager", "voorzitter",
                  "volksvertegenwoordiger", ""),
    "SIG-I-041": ("F2.11", "tevredenheid_melden_groep=tevreden", "type_ambtsdrager", "voorzitter",
                  "volksvertegenwoordiger", ""),
    "SIG-I-042": (None, "not specified (Tabel 2.18, a ranking): the 2022 figure (27%, T2.18|2022|Tweede reden) "
                        "is not in Tabel 2.17's previous"),
    "SIG-I-043": ("F2.13", "geregistreerd=ja", "type_ambtsdrager", "voorzitter", "rest",
                  "rest = leden dagelijks bestuur + volksvertegenwoordigers, the two groups the text names"),
    "SIG-I-044": ("F2.13", "geregistreerd=ja", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = niet ernstig"),
    "SIG-I-045": (None, "no earlier figure: Figuur 2.14 (by year) describes 2022 only in words ('een op de "
                        "tien')"),
    "SIG-I-046": ("T3.12", "niet_besproken", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie"),
    "SIG-I-047": ("T3.12", "niet_besproken", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-048": ("T3.12", "besproken_leidinggevende", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie; also besproken_secretaris and "
                  "besproken_vertrouwenspersoon"),
    "SIG-I-049": ("T3.12", "besproken_leidinggevende", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig; also besproken_secretaris and "
                  "besproken_vertrouwenspersoon"),
    "SIG-I-050": ("T3.13", "intern_gemeld", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie"),
    "SIG-I-051": ("T3.13", "gemeld_leidinggevende", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie; also gemeld_secretaris and gemeld_registratiesysteem"),
    "SIG-I-052": ("T3.13", "intern_gemeld", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-053": ("T3.13", "intern_gemeld", "geslacht", "vrouw", "rest", "two-group block: rest = mannen"),
    "SIG-I-054": (None, "no earlier figure: the 2022 value is only described as 'vergelijkbaar' (Figuur 3.17 "
                        "is an image)"),
    "SIG-I-055": ("F3.18", "tevredenheid_bespreken_groep=ontevreden", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-056": ("F3.18", "tevredenheid_melden_groep=ontevreden", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-057": ("F3.19", "extern_gemeld", "soort_incident", "bedreiging_intimidatie", "rest",
                  "two-group block: rest = verbale agressie; medewerkers have only bedreiging/intimidatie"),
    "SIG-I-058": ("T3.17", "geregistreerd=ja", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-059": ("F3.23", "geregistreerd=ja", "geslacht", "man", "rest", "two-group block: rest = vrouwen"),
    "SIG-I-060": (None, "not specified: no table has geregistreerd by bestuurslaag for medewerkers"),
    "SIG-I-061": (None, "no earlier figure: Figuur 3.24 (by year) has no published 2022 figures"),
    "SIG-I-062": (None, "no earlier figure: Figuur 3.24 (by year) has no published 2022 figures"),
    "SIG-I-063": ("T2.20", "aangifte_gedaan", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-064": ("T2.20", "aangifte_gedaan", "soort_incident", "bedreiging", "rest",
                  "rest = verbale agressie + intimidatie, the groups the text names"),
    "SIG-I-065": ("T2.24", "aangifte_gedaan", "", "total", "wave:2014", ""),
    "SIG-I-066": ("T2.24", "aangifte_gedaan", "ernst_categorie", "zeer_ernstig", "wave:2014", ""),
    "SIG-I-067": ("T2.24", "aangifte_gedaan", "ernst_categorie", "minder_ernstig", "wave:2014", ""),
    "SIG-I-068": ("T2.24", "aangifte_gedaan", "soort_incident", "bedreiging", "wave:2022",
                  "conflicts with SIG-I-069 and SIG-I-071 (same comparison, not significant)"),
    "SIG-I-069": ("T2.24", "aangifte_gedaan", "soort_incident", "bedreiging", "wave:2022",
                  "conflicts with SIG-I-068 (same comparison, higher); also verbale agressie and intimidatie"),
    "SIG-I-070": ("T2.24", "aangifte_gedaan", "soort_incident", "verbale_agressie", "wave:2022",
                  "'geen duidelijke trend': also the waves 2014-2020"),
    "SIG-I-071": ("T2.24", "aangifte_gedaan", "soort_incident", "bedreiging", "wave:2022",
                  "conflicts with SIG-I-068; also intimidatie, fysieke agressie (not shown) and earlier waves"),
    "SIG-I-072": ("T3.14", "aangifte_geen", "soort_incident", "bedreiging_intimidatie", "rest",
                  "Tabel 3.14 has no 'aangifte gedaan' row: 'geen aangifte' is its complement, so the groups are "
                  "swapped (bedreiging/intimidatie has less 'geen aangifte' = verbale agressie has less aangifte); "
                  "two-group block"),
    "SIG-I-073": ("T3.15", "aangifte_gedaan", "bestuurslaag", "gemeente", "rest",
                  "rest = provincies + waterschappen; the statement covers every pair"),
    "SIG-I-074": ("T3.15", "aangifte_gedaan", "", "total", "wave:2022", ""),
    "SIG-I-075": ("T3.15", "aangifte_gedaan", "", "total", "wave:2016", ""),
    "SIG-I-076": ("T3.15", "aangifte_zelf", "", "total", "wave:2016", ""),
    "SIG-I-077": ("T3.15", "aangifte_gedaan", "bestuurslaag", "gemeente", "wave:2016", ""),
    "SIG-I-078": ("T3.16", "reden_geen_aangifte_niet_aan_gedacht", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-079": ("T3.16", "reden_geen_aangifte_niet_herinneren", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-080": ("T3.16", "reden_geen_aangifte_bang_vergelding", "ernst_categorie", "zeer_ernstig", "rest",
                  "two-group block: rest = minder ernstig"),
    "SIG-I-081": (None, "no earlier figure: Figuur 3.22 (by year) has no published 2022 figures"),
}


# ================================================================================================ labels
STOPWORDS = {"en", "of", "de", "het", "van", "een", "met", "bij", "in", "op", "voor", "die", "dat", "te", "is"}


def fold(text):
    """Lower case without accents, curly quotes or footnote stars."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("*", ""))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def tokens(text):
    return [t for t in re.findall(r"[a-z0-9]+", fold(text).replace("'", ""))]


def similarity(a, b):
    """1 for the same label (punctuation and spacing aside), 0.95 for the same words without stopwords,
    0.9 x (share of words) when the words of one are a subset of the other's, else 0."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    if "".join(ta) == "".join(tb):
        return 1.0
    sa, sb = set(ta) - STOPWORDS, set(tb) - STOPWORDS
    if not sa or not sb:
        return 0.0
    if sa == sb:
        return 0.95
    if sa <= sb or sb <= sa:
        return 0.9 * min(len(sa), len(sb)) / max(len(sa), len(sb))
    return 0.0


def overlap(a, b):
    sa, sb = set(tokens(a)) - STOPWORDS, set(tokens(b)) - STOPWORDS
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


# ================================================================================================ inputs
def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_specs():
    specs = {}
    for path in sorted(glob.glob(os.path.join(SPECS, "*", "*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            spec = yaml.safe_load(fh)
        key = os.path.splitext(os.path.basename(path))[0]
        spec["_key"] = key
        spec["_path"] = os.path.relpath(path, ROOT)
        specs[key] = spec
    return specs


def find_monitor(explicit):
    if explicit:
        return explicit
    if os.environ.get("MONITOR"):
        return os.environ["MONITOR"]
    candidates = [os.path.join(ROOT, ".build", "release", "monitor"), os.path.join(ROOT, ".build", "debug", "monitor")]
    candidates += sorted(glob.glob(os.path.join(ROOT, ".build*", "release", "monitor")))
    candidates += sorted(glob.glob(os.path.join(ROOT, ".build*", "debug", "monitor")))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    sys.exit("map-published: no monitor binary found; build it (swift build -c release) or pass --monitor PATH "
             "or --tidy CSV")


def load_tidy(args):
    """(table, row, block, column) -> tidy line, for the current wave's cells of every specification."""
    texts = []
    if args.tidy:
        for path in args.tidy:
            with open(path, encoding="utf-8", newline="") as fh:
                texts.append(fh.read())
    else:
        monitor = find_monitor(args.monitor)
        proc = subprocess.run([monitor, "tables", "--format", "csv", "--quiet"], cwd=ROOT, capture_output=True,
                              text=True)
        if proc.returncode != 0:
            sys.exit(f"map-published: {monitor} tables failed:\n{proc.stderr}")
        texts.append(proc.stdout)
    cells = {}
    for text in texts:
        for r in csv.DictReader(io.StringIO(text)):
            if r["flag"] == "published" or r["wave"] != YEAR:
                continue
            cells[(r["table"], r["row"], r["block"], r["column"])] = r
    return cells


# ================================================================================================ cells
def column_key(block, code):
    return "total" if block == "" else f"{block}={code}"


def parse_column(col):
    if col == "total":
        return "", ""
    block, _, code = col.partition("=")
    return block, code


def block_labels(spec):
    out = {"": "Totaal"}
    for c in spec["columns"]:
        if isinstance(c, dict):
            out[c["by"]] = c.get("label", c["by"])
    return out


def match_cell(pub, spec, tidy):
    """The best-matching cell of the spec for a published figure: (cell key, score, runner-up score)."""
    key = spec["_key"]
    cells = [k for k in tidy if k[0] == key]
    rows = {k[1] for k in cells}
    cols = {(k[2], k[3]) for k in cells}
    blabels = block_labels(spec)
    fields = [f for f in (pub["row_group"], pub["row"], pub["column"])
              if f.strip() and not re.fullmatch(r"(19|20)[0-9]{2}", f.strip())]
    scored = []
    for k in cells:
        line = tidy[k]
        # the parts of the cell's labels that published fields must match
        row_options = [[line["row_label"]]] if len(rows) > 1 else [[]]
        if len(rows) > 1 and ": " in line["row_label"]:
            prefix, _, item = line["row_label"].partition(": ")
            row_options.append([prefix, item])
        col_part = [line["column_label"]] if len(cols) > 1 else []
        best = 0.0
        for row_part in row_options:
            parts = row_part + col_part
            if not parts:
                best = max(best, 0.01)
                continue
            for chosen in itertools.permutations(range(len(fields)), len(parts)):
                scores = [similarity(fields[f], p) for f, p in zip(chosen, parts)]
                if all(s > 0 for s in scores):
                    best = max(best, sum(scores))
        if best > 0:
            # tie-break for a published 'Block: group' label (e.g. 'Contact: Dagelijks'): the block label's words
            tie = sum(overlap(f.partition(":")[0], blabels.get(k[2], "")) for f in fields if ":" in f)
            scored.append(((best, tie), k))
    if not scored:
        return None, 0.0, 0.0
    scored.sort(key=lambda x: x[0], reverse=True)
    runner = scored[1][0] if len(scored) > 1 else (0.0, 0.0)
    if runner == scored[0][0]:
        return None, scored[0][0][0], runner[0]
    return scored[0][1], scored[0][0][0], runner[0]


def n_check(pub, table, row):
    base, group = pub["base_n"].strip() != "", pub["group_n"].strip() != ""
    reason = ""
    for t, rows, pattern, base_ok, group_ok, why in N_RULES:
        if t != table or (rows is not None and row not in rows) or (pattern and not re.search(pattern, pub["id"])):
            continue
        dropped = (base and not base_ok) or (group and not group_ok)
        base, group = base and base_ok, group and group_ok
        if dropped or not (base or group):
            reason = why
        break
    if not reason and not (base or group):
        reason = "no n printed"
    return ("both" if base and group else "base" if base else "group" if group else "none"), reason


def build_cells(ref, specs, tidy, log):
    problems = []
    listed = collections.defaultdict(list)
    for key, spec in specs.items():
        for pid in spec.get("published") or []:
            listed[pid].append(key)
    by_id = {r["id"]: r for r in ref}
    for pid, keys in listed.items():
        if pid not in by_id:
            problems.append(f"{'/'.join(keys)}: published id {pid!r} is not in {os.path.relpath(REFERENCE, ROOT)}")
        if len(keys) > 1 and SHARED.get(pid) not in keys:
            problems.append(f"{pid!r} is listed by {', '.join(keys)}: say in SHARED which one it is mapped to")
    for pid in SHARED:
        if len(listed.get(pid, [])) < 2:
            problems.append(f"SHARED: {pid!r} is not listed by two specifications")
    for pid in OVERRIDES:
        if pid not in listed:
            problems.append(f"OVERRIDES: {pid!r} is not listed by any specification")

    target = [r for r in ref if r["survey"] in SURVEYS and r["family"] in FAMILIES and r["year"] == YEAR]
    out, methods = [], collections.Counter()
    for r in target:
        pid = r["id"]
        keys = listed.get(pid, [])
        if pid in DERIVED:
            table, row, col, check = DERIVED[pid]
            if keys:
                problems.append(f"DERIVED: {pid!r} is also listed by {', '.join(keys)}")
            out.append({"id": pid, "survey": r["survey"], "table": table, "row": row, "column": col, "n_check": check,
                        "reason": "derived: " + ("an unweighted count" if check == "count" else
                                                 "a rank among the column's rows" if row.startswith("rank=") else
                                                 "the estimate times another table's Totaal percentage "
                                                 "(prevalence x the split among victims)" if row.startswith("times:") else
                                                 "a decrease in percentage points since the earlier wave")})
            methods["derived"] += 1
            continue
        if not keys:
            reasons = [why for pattern, why in UNMAPPED if re.search(pattern, pid)]
            if not reasons and (r["family"] not in FOUR_FAMILIES or r["survey"] == "organisaties"):
                reasons = [NOT_SPECIFIED + f"no specification of {r['table']} lists it yet"]
            if not reasons:
                problems.append(f"{pid!r}: listed by no specification and no UNMAPPED reason fits")
                continue
            out.append({"id": pid, "survey": r["survey"], "table": "", "row": "", "column": "", "n_check": "",
                        "reason": reasons[0]})
            methods["unmapped"] += 1
            continue
        key = SHARED.get(pid, keys[0])
        spec = specs[key]
        if pid in OVERRIDES:
            table, row, col = OVERRIDES[pid]
            if table not in keys:
                problems.append(f"OVERRIDES: {pid!r} is mapped to {table}, which does not list it ({', '.join(keys)})")
            method = "override"
        else:
            cell, score, runner = match_cell(r, spec, tidy)
            if cell is None:
                what = f"two cells match equally ({score:.2f})" if score else "no cell matches its labels"
                problems.append(f"{pid!r} ({key}): {what}; add it to OVERRIDES")
                continue
            table, row, col = cell[0], cell[1], column_key(cell[2], cell[3])
            method = f"match {score:.2f} (next {runner:.2f})"
        block, code = parse_column(col)
        line = tidy.get((table, row, block, code))
        if line is None:
            problems.append(f"{pid!r}: cell {table} {row} {col} is not in the tidy output")
            continue
        check, reason = n_check(r, table, row)
        if len(keys) > 1:
            other = ", ".join(k for k in keys if k != key)
            reason = "; ".join(x for x in (reason, f"also listed by {other}; the same quantity") if x)
        out.append({"id": pid, "survey": r["survey"], "table": table, "row": row, "column": col, "n_check": check,
                    "reason": reason})
        methods["override" if method == "override" else "label match"] += 1
        if log:
            log(f"{pid} -> {table} {row} {col} [{method}] labels: {line['row_label']!r} / {line['column_label']!r}"
                f"; value {r['value'] or '-'}; n {r['base_n'] or '.'}/{r['group_n'] or '.'} -> {check}")
    return out, problems, methods


# ================================================================================================ significance
def build_significance(sig, specs):
    problems, out = [], []
    for s in sig:
        entry = SIG.get(s["id"])
        if entry is None:
            problems.append(f"{s['id']}: no decision in SIG")
            continue
        if entry[0] is None:
            out.append({"id": s["id"], "survey": s["survey"], "table": "", "row": "", "block": "", "group_a": "",
                        "group_b": "", "reason": entry[1]})
            continue
        table, row, block, a, b, reason = entry
        if b.startswith("wave:") and table in specs:
            # say when monitor tables cannot test it: a trend is tested only for a percentage with a printed n
            wave, column = b[5:], "" if a == "total" else a
            figs = [f for w in specs[table].get("previous") or [] if str(w["wave"]) == wave for f in w["figures"]
                    if f["row"] == row and f["column"] == column]
            if figs and ("mean" in figs[0] or "n" not in figs[0]):
                note = (f"monitor tables does not test a mean against the {wave} figure" if "mean" in figs[0]
                        else f"the {wave} figure has no n (none printed), so monitor tables does not test it")
                reason = "; ".join(x for x in (reason, note) if x)
        out.append({"id": s["id"], "survey": s["survey"], "table": table, "row": row, "block": block,
                    "group_a": a, "group_b": b, "reason": reason})
    for pid in SIG:
        if pid not in {s["id"] for s in sig}:
            problems.append(f"SIG: {pid} is not a statement of {os.path.relpath(SIGNIFICANCE, ROOT)}")
    return out, problems


# ================================================================================================ checks
def check_cells(rows, ref, specs, tidy):
    """The committed or generated cells.csv against the rules; returns problems."""
    problems = []
    target = [r for r in ref if r["survey"] in SURVEYS and r["family"] in FAMILIES and r["year"] == YEAR]
    by_id = {r["id"]: r for r in ref}
    counts = collections.Counter(r["id"] for r in rows)
    for pid, c in counts.items():
        if c > 1:
            problems.append(f"cells: {pid!r} appears {c} times")
    for r in target:
        if r["id"] not in counts:
            problems.append(f"cells: the {r['family']} figure {r['id']!r} is missing")
    target_ids = {r["id"] for r in target}
    listed = collections.defaultdict(list)
    for key, spec in specs.items():
        for pid in spec.get("published") or []:
            listed[pid].append(key)
    for row in rows:
        pid = row["id"]
        if pid not in target_ids:
            problems.append(f"cells: {pid!r} is not a {YEAR} figure of the reference")
            continue
        if row["survey"] != by_id[pid]["survey"]:
            problems.append(f"cells: {pid!r} has survey {row['survey']}, the reference {by_id[pid]['survey']}")
        keys = listed.get(pid, [])
        if pid in DERIVED:
            table, rkey, col, check = DERIVED[pid]
            if (row["table"], row["row"], row["column"], row["n_check"]) != (table, rkey, col, check):
                problems.append(f"cells: {pid!r}: not the DERIVED mapping {DERIVED[pid]}")
            block, code = parse_column(col)
            if rkey.startswith("rank="):
                base_ok = any(k[0] == table and k[2] == block and k[3] == code for k in tidy)
            elif rkey.startswith("times:"):
                other, other_row, here = rkey.split(":", 3)[1:]
                base_ok = (table, here, block, code) in tidy and (other, other_row, "", "") in tidy
            elif rkey.startswith("decrease:"):
                wave, base_row = rkey.split(":", 2)[1:]
                base_ok = (table, base_row, block, code) in tidy and any(
                    str(w["wave"]) == wave and any(f["row"] == base_row and f["column"] == code for f in w["figures"])
                    for w in specs[table].get("previous") or [])
            else:
                base_ok = (table, rkey, block, code) in tidy if "=" in rkey else any(
                    k[0] == table and k[1].startswith(rkey + "=") and k[2] == block and k[3] == code for k in tidy)
            if not base_ok:
                problems.append(f"cells: {pid!r}: the cells behind {table} {rkey} {col} are not in the tidy output")
            continue
        if not keys:
            if row["table"] or row["row"] or row["column"] or row["n_check"]:
                problems.append(f"cells: {pid!r} is listed by no specification but has a cell")
            if not row["reason"].strip():
                problems.append(f"cells: {pid!r} is unmapped without a reason")
            continue
        if row["table"] not in keys:
            problems.append(f"cells: {pid!r} is mapped to {row['table'] or 'nothing'}; listed by {', '.join(keys)}")
            continue
        if specs[row["table"]]["survey"] != row["survey"]:
            problems.append(f"cells: {pid!r}: {row['table']} is a {specs[row['table']]['survey']} table")
        block, code = parse_column(row["column"])
        if row["column"] != "total" and ("=" not in row["column"] or not block or not code):
            problems.append(f"cells: {pid!r}: column {row['column']!r} is not 'total' or block=code")
        if (row["table"], row["row"], block, code) not in tidy:
            problems.append(f"cells: {pid!r}: {row['table']} {row['row']} {row['column']} is not a cell of the "
                            f"tidy output")
        if row["n_check"] not in ("base", "group", "both", "none"):
            problems.append(f"cells: {pid!r}: n_check {row['n_check']!r}")
        pub = by_id[pid]
        if row["n_check"] in ("base", "both") and not pub["base_n"].strip():
            problems.append(f"cells: {pid!r}: n_check {row['n_check']} but no base_n is printed")
        if row["n_check"] in ("group", "both") and not pub["group_n"].strip():
            problems.append(f"cells: {pid!r}: n_check {row['n_check']} but no group_n is printed")
        if row["n_check"] == "none" and not row["reason"].strip():
            problems.append(f"cells: {pid!r}: n_check none without a reason")
    order = {r["id"]: i for i, r in enumerate(ref)}
    ranks = [order.get(r["id"], -1) for r in rows]
    if ranks != sorted(ranks):
        problems.append("cells: the lines are not in the order of the reference CSV")
    return problems


def check_significance(rows, sig, specs, tidy):
    problems = []
    ids = [s["id"] for s in sig]
    if [r["id"] for r in rows] != ids:
        problems.append("significance-map: the ids are not those of the statements, once each, in their order")
    surveys = {s["id"]: s["survey"] for s in sig}
    for r in rows:
        pid = r["id"]
        if r["survey"] != surveys.get(pid):
            problems.append(f"significance-map: {pid}: survey {r['survey']!r}")
        fields = [r[k] for k in ("table", "row", "block", "group_a", "group_b")]
        if not r["table"]:
            if any(fields) or not r["reason"].strip():
                problems.append(f"significance-map: {pid}: unmapped needs empty fields and a reason")
            continue
        spec = specs.get(r["table"])
        if spec is None:
            problems.append(f"significance-map: {pid}: no table {r['table']}")
            continue
        if spec["survey"] != r["survey"]:
            problems.append(f"significance-map: {pid}: {r['table']} is a {spec['survey']} table")
        key = r["table"]
        if not any(k[0] == key and k[1] == r["row"] for k in tidy):
            problems.append(f"significance-map: {pid}: {key} has no row {r['row']!r}")
        blocks = {c["by"]: [str(x) for x in c.get("levels") or []] for c in spec["columns"] if isinstance(c, dict)}
        has_total = "total" in spec["columns"]
        block, a, b = r["block"], r["group_a"], r["group_b"]
        if block == "":
            if not has_total or a != "total":
                problems.append(f"significance-map: {pid}: the Totaal column needs group_a 'total' and a total block")
            column = ""
        else:
            codes = [k[3] for k in tidy if k[0] == key and k[1] == r["row"] and k[2] == block]
            if not codes:
                problems.append(f"significance-map: {pid}: {key} has no column block {block!r}")
            if a not in codes:
                problems.append(f"significance-map: {pid}: {a!r} is not a group of {key} {block}")
            column = a
        if b == "rest":
            if block == "":
                problems.append(f"significance-map: {pid}: 'rest' needs a column block")
            elif spec.get("test", "group_vs_rest") != "group_vs_rest":
                problems.append(f"significance-map: {pid}: {key} does not test groups against the rest")
        elif b.startswith("wave:"):
            wave = b[5:]
            figs = [f for w in spec.get("previous") or [] if str(w["wave"]) == wave for f in w["figures"]]
            if not any(f["row"] == r["row"] and f["column"] == column for f in figs):
                problems.append(f"significance-map: {pid}: {key} has no {wave} figure for {r['row']} / {column!r}")
        else:
            if block == "" or b == a or b not in blocks.get(block, []) and not any(
                    k[0] == key and k[2] == block and k[3] == b for k in tidy):
                problems.append(f"significance-map: {pid}: group_b {b!r} is not another group of {key} {block}")
    return problems


# ================================================================================================ output
def render(rows, columns):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="validate the committed files without writing")
    ap.add_argument("--monitor", help="the monitor binary")
    ap.add_argument("--tidy", action="append", help="tidy CSV of monitor tables --format csv (repeatable)")
    ap.add_argument("--verbose", action="store_true", help="print how every id was mapped")
    args = ap.parse_args()

    ref = read_csv(REFERENCE)
    sig = read_csv(SIGNIFICANCE)
    specs = load_specs()
    tidy = load_tidy(args)
    missing = sorted({s for s in specs} - {k[0] for k in tidy})
    if missing:
        sys.exit(f"map-published: the tidy output has no cells of {', '.join(missing)}")

    log = print if args.verbose else None
    cells, problems, methods = build_cells(ref, specs, tidy, log)
    sigmap, sig_problems = build_significance(sig, specs)
    problems += sig_problems
    cells_text, sig_text = render(cells, CELL_COLUMNS), render(sigmap, SIG_COLUMNS)

    if args.check:
        for path, text in ((CELLS_OUT, cells_text), (SIG_OUT, sig_text)):
            rel = os.path.relpath(path, ROOT)
            if not os.path.exists(path):
                problems.append(f"{rel} is missing (run python3 scripts/map-published.py)")
                continue
            with open(path, encoding="utf-8", newline="") as fh:
                committed = fh.read()
            if committed != text:
                problems.append(f"{rel} differs from what the script generates (run python3 scripts/map-published.py)")
        committed_cells = read_csv(CELLS_OUT) if os.path.exists(CELLS_OUT) else []
        committed_sig = read_csv(SIG_OUT) if os.path.exists(SIG_OUT) else []
    else:
        committed_cells, committed_sig = cells, sigmap
    problems += check_cells(committed_cells, ref, specs, tidy)
    problems += check_significance(committed_sig, sig, specs, tidy)

    # summary
    nc = collections.Counter(r["n_check"] for r in cells if r["table"])
    unmapped = collections.Counter(r["reason"].split(":")[0] for r in cells if not r["table"])
    kinds = collections.Counter(
        ("rest" if r["group_b"] == "rest" else "wave" if r["group_b"].startswith("wave:") else "pairwise")
        for r in sigmap if r["table"])
    print(f"cells: {len(cells)} family figures of {YEAR}: {sum(1 for r in cells if r['table'])} mapped "
          f"({methods['label match']} by label, {methods['override']} by override), "
          f"{sum(1 for r in cells if not r['table'])} unmapped")
    print("  n_check: " + ", ".join(f"{k} {nc[k]}" for k in ("both", "base", "group", "none")))
    for k, v in sorted(unmapped.items(), key=lambda x: (-x[1], x[0])):
        print(f"  unmapped {v:>3}  {k}")
    print(f"significance: {len(sigmap)} statements: {sum(kinds.values())} mapped (" +
          ", ".join(f"{k} {kinds[k]}" for k in ("rest", "pairwise", "wave")) +
          f"), {sum(1 for r in sigmap if not r['table'])} not mappable")
    for k, v in sorted(collections.Counter(r["reason"].split(":")[0] for r in sigmap if not r["table"]).items(),
                       key=lambda x: (-x[1], x[0])):
        print(f"  not mappable {v:>3}  {k}")

    if problems:
        print(file=sys.stderr)
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"\n{len(problems)} problem(s)", file=sys.stderr)
        return 1
    if not args.check:
        for path, text in ((CELLS_OUT, cells_text), (SIG_OUT, sig_text)):
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, path)
            print(f"wrote {os.path.relpath(path, ROOT)}")
    else:
        print("OK: the committed files are up to date and consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
