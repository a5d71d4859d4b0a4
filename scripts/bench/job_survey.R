# The benchmark job in R with the survey package (Lumley), the reference implementation monitor is tested against.
# Rscript job_survey.R DATA.csv FRAME.csv OUT.csv
#
# Reads the needed columns with data.table::fread, derives the variables as data/codebook/ambtsdragers.yaml does,
# declares svydesign(ids = ~1) and post-stratifies it to the frame on the five cells (data/schemes/ambtsdragers.yaml),
# then for every table, row and column block one svytotal(covmat = TRUE) of the weighted outcome and base totals
# of every group (over the whole design: domain estimation, the variance is that of the full post-stratified
# design), and svycontrast with the nonlinear contrasts Y_g/N_g - sum_rest Y / sum_rest N (the domain-mean
# difference, linearized); t on df = n_g + n_rest - 2 as monitor (docs/methodology.md §5).
# svyby(..., covmat = TRUE) + svycontrast would be the textbook calls, but survey 4.1.1's svyby covmat fails on
# post-stratified designs ("number of items to replace is not a multiple of replacement length"; see
# scripts/r/expectations.R). svyratio(covmat = TRUE) per group works too, and agrees, but is 20 times slower
# (69 s on 100,000 rows). The tables restate scripts/bench/jobs.py.
suppressPackageStartupMessages({
  library(survey)
  library(data.table)
})
args <- commandArgs(trailingOnly = TRUE)
data_path <- args[1]; frame_path <- args[2]; out_path <- args[3]

forms <- c("verbale_agressie", "bedreiging", "intimidatie", "fysieke_agressie")
besproken <- c("besproken_collega", "besproken_voorzitter", "besproken_secretaris", "besproken_ambtenaren",
               "besproken_griffier", "besproken_veiligheidsadviseur", "besproken_vertrouwenspersoon", "besproken_anders")
gemeld <- sub("besproken_", "gemeld_", besproken)
aangifte <- c("aangifte_zelf", "aangifte_organisatie", "aangifte_geen")
columns <- c("bestuurslaag", "functie", "geslacht", "contact_buiten_organisatie", "partij", forms, "soort_incident", "ernst",
             besproken, "niet_besproken", gemeld, "niet_gemeld", aangifte)
type_map <- c(burgemeester = "voorzitter", cdk = "voorzitter", dijkgraaf = "voorzitter", wethouder = "dagelijks_bestuur",
              gedeputeerde = "dagelijks_bestuur", lid_db = "dagelijks_bestuur", raadslid = "volksvertegenwoordiger",
              statenlid = "volksvertegenwoordiger", lid_ab = "volksvertegenwoordiger")
partij_map <- c(setNames(rep("progressief", 9), c("d66", "sp", "pvda", "groenlinks", "groenlinks_pvda", "pvdd", "christenunie", "volt", "bij1")),
                setNames(rep("conservatief", 9), c("vvd", "pvv", "cda", "fvd", "ja21", "sgp", "denk", "vijftigplus", "bbb")),
                setNames(rep("lokaal_overig", 4), c("lokale_partij", "waterschapspartij", "andere_partij", "geen_partij")))

raw <- fread(data_path, select = columns, colClasses = "character", na.strings = NULL, showProgress = FALSE)
bin <- function(x) ifelse(x == "1", 1, ifelse(x == "0", 0, NA_real_))
any_of <- function(...) {  # codebook `any`: 1 if an item is 1, 0 if every item is 0, else NA
  m <- cbind(...)
  one <- rowSums(!is.na(m) & m == 1) > 0
  zero <- rowSums(!is.na(m) & m == 0) == ncol(m)
  ifelse(one, 1, ifelse(zero, 0, NA_real_))
}
b <- lapply(setNames(nm = c(forms, besproken, gemeld, aangifte, "niet_besproken", "niet_gemeld")), function(x) bin(raw[[x]]))
ernst <- suppressWarnings(as.numeric(raw$ernst))
d <- data.frame(
  cell = ifelse(raw$bestuurslaag == "gemeente", raw$functie, raw$bestuurslaag),
  bestuurslaag = raw$bestuurslaag, geslacht = raw$geslacht, contact_buiten_organisatie = raw$contact_buiten_organisatie,
  soort_incident = raw$soort_incident,
  type_ambtsdrager = unname(type_map[raw$functie]), partijrichting = unname(partij_map[raw$partij]),
  ernst_categorie = ifelse(ernst >= 1 & ernst <= 4, "minder_ernstig", ifelse(ernst >= 5 & ernst <= 7, "zeer_ernstig", NA)),
  stringsAsFactors = FALSE)
for (x in c(forms, aangifte, "niet_besproken", "niet_gemeld")) d[[x]] <- b[[x]]
d$bedreiging_intimidatie <- any_of(b$bedreiging, b$intimidatie)
d$slachtoffer <- do.call(any_of, b[forms])
d$intern_besproken <- do.call(any_of, b[besproken])
d$intern_gemeld <- do.call(any_of, b[gemeld])
d$besproken_of_gemeld <- any_of(d$intern_besproken, d$intern_gemeld)
d$aangifte_gedaan <- any_of(b$aangifte_zelf, b$aangifte_organisatie)
rm(raw, b)

soort <- list("soort_incident", c("verbale_agressie", "bedreiging", "intimidatie"))
ernst_block <- list("ernst_categorie", c("minder_ernstig", "zeer_ernstig"))
tables <- list(
  list(table = "T2.2", filter = NULL,
       rows = list(list("slachtoffer"), list("verbale_agressie"), list("bedreiging_intimidatie"), list("fysieke_agressie")),
       blocks = list(list("bestuurslaag", c("gemeente", "provincie", "waterschap")), list("geslacht", c("man", "vrouw")),
                     list("type_ambtsdrager", c("voorzitter", "dagelijks_bestuur", "volksvertegenwoordiger")),
                     list("contact_buiten_organisatie", c("dagelijks", "enkele_keren_per_week", "minder_dan_wekelijks")),
                     list("partijrichting", c("progressief", "conservatief", "lokaal_overig")))),
  list(table = "T2.5", filter = "slachtoffer", rows = list(list("ernst_categorie", c("minder_ernstig", "zeer_ernstig"))),
       blocks = list(NULL, soort, list("geslacht", c("man", "vrouw")))),
  list(table = "T2.15", filter = "slachtoffer",
       rows = list(list("niet_besproken"), list("niet_gemeld"), list("intern_besproken"), list("intern_gemeld"), list("besproken_of_gemeld")),
       blocks = list(soort, ernst_block)),
  list(table = "T2.20", filter = "slachtoffer",
       rows = list(list("aangifte_zelf"), list("aangifte_organisatie"), list("aangifte_geen"), list("aangifte_gedaan")),
       blocks = list(soort, ernst_block)))

# Outcome columns (NA outside the table's base) and group columns (NA outside the base or the block's levels).
outcomes <- list()
k <- 0
for (ti in seq_along(tables)) {
  t <- tables[[ti]]
  base <- if (is.null(t$filter)) rep(TRUE, nrow(d)) else !is.na(d[[t$filter]]) & d[[t$filter]] == 1
  for (r in t$rows) {
    levels <- if (length(r) > 1) r[[2]] else NA
    for (level in levels) {
      k <- k + 1
      y <- if (is.na(level)) d[[r[[1]]]] else ifelse(is.na(d[[r[[1]]]]), NA_real_, as.numeric(d[[r[[1]]]] == level))
      y[!base] <- NA
      col <- paste0(".y", k)
      d[[col]] <- y
      d[[paste0(col, "0")]] <- ifelse(is.na(y), 0, y)  # the outcome with 0 for missing: such rows are in no domain
      outcomes[[length(outcomes) + 1]] <- list(table = t$table, key = if (is.na(level)) r[[1]] else paste0(r[[1]], "=", level), col = col)
    }
  }
  for (bl in t$blocks) {
    if (is.null(bl)) next
    g <- d[[bl[[1]]]]
    g[!base | !(g %in% bl[[2]])] <- NA
    d[[paste0(".g_", t$table, "_", bl[[1]])]] <- g
  }
  d[[paste0(".base_", t$table)]] <- base
}

frame <- read.csv(frame_path, colClasses = "character")
pop <- data.frame(cell = ifelse(frame$functie == "*", frame$bestuurslaag, frame$functie), Freq = as.numeric(frame$N))
d$one <- 1
design <- postStratify(svydesign(ids = ~1, weights = ~one, data = d), ~cell, pop)

min_n <- 10
results <- list()
add <- function(...) results[[length(results) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)
for (t in tables) {
  outs <- Filter(function(o) o$table == t$table, outcomes)
  for (bl in t$blocks) {
    if (is.null(bl)) {
      for (o in outs) {
        est <- svymean(as.formula(paste0("~", o$col, "0")), design[!is.na(d[[o$col]]), ])
        add(table = t$table, row = o$key, block = "", column = "", n = sum(!is.na(d[[o$col]])), estimate = coef(est)[[1]],
            verdict = "", p_value = NA_real_)
      }
      next
    }
    gcol <- paste0(".g_", t$table, "_", bl[[1]])
    g <- d[[gcol]]
    groups <- bl[[2]]
    k <- length(groups)
    for (o in outs) {
      y <- d[[o$col]]
      y0 <- ifelse(is.na(y), 0, y)
      # Weighted totals of y and of the base in every group (rows with y observed), with their covariance
      # under the post-stratified design; every row stays in the design (domain estimation).
      inside <- sapply(groups, function(l) as.numeric(!is.na(y) & !is.na(g) & g == l))
      x <- cbind(inside * y0, inside)
      colnames(x) <- c(paste0("y", seq_len(k)), paste0("n", seq_len(k)))
      totals <- svytotal(x, design, covmat = TRUE)
      tot <- coef(totals)
      counts <- colSums(inside)
      # Each group against the rest: Y_g/N_g - sum_rest Y / sum_rest N, linearized by svycontrast.
      contrasts <- lapply(seq_len(k), function(j) {
        rest <- setdiff(seq_len(k), j)
        str2lang(sprintf("y%d/n%d - (%s)/(%s)", j, j, paste0("y", rest, collapse = "+"), paste0("n", rest, collapse = "+")))
      })
      names(contrasts) <- paste0("g", seq_len(k))
      diffs <- svycontrast(totals, contrasts)
      for (j in seq_len(k)) {
        n_g <- counts[[j]]
        n_r <- sum(counts[-j])
        estimate <- tot[[paste0("y", j)]] / tot[[paste0("n", j)]]
        verdict <- "not_tested"; p <- NA_real_
        if (n_g >= min_n && n_r >= min_n) {
          tstat <- coef(diffs)[[j]] / SE(diffs)[[j]]
          df <- n_g + n_r - 2
          p <- 2 * pt(-abs(tstat), df)
          verdict <- if (p < 0.05) (if (coef(diffs)[[j]] > 0) "higher" else "lower") else "not_significant"
        }
        add(table = t$table, row = o$key, block = bl[[1]], column = groups[[j]], n = n_g,
            estimate = if (n_g >= min_n) estimate else NA_real_, verdict = verdict, p_value = p)
      }
    }
  }
}
out <- do.call(rbind, results)
out$estimate <- sprintf("%.17g", out$estimate)
out$p_value <- sprintf("%.17g", out$p_value)
fwrite(out, out_path)
