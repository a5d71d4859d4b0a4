# R `survey` oracle for the designs at the edges (issue 20, item 4): lonely PSUs
# averaged (options(survey.lonely.psu = "average")), an fpc of population counts
# with a census stratum of N = 1, and multi-stage cluster samples
# (svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2)).
#
# Run from the repository root:
#   Rscript scripts/r/designs.R
#
# Writes the fixtures it needs and then reads them back, so R and Swift see the
# same doubles:
#   Tests/Fixtures/api/apiclus2.csv         data(api)'s apiclus2 (two-stage sample:
#                                           districts, then schools), plus fraction
#                                           and stratum columns for the variants
#   Tests/Fixtures/api/apistrat-lonely.csv  apistrat rows with two singleton strata
#   Tests/MonitorCoreTests/Expectations/designs.csv
# in the long format case,quantity,level,group,value of expectations.R
# (scripts/r/README.md). Deterministic: no random numbers.

options(warn = 2)  # any warning is fatal
suppressPackageStartupMessages(library(survey))
source("scripts/r/plain-csv.R")  # write_plain_csv()
source("scripts/r/long-csv.R")   # new_sink(), add(), write_sink()
data(api)

fixture_dir <- file.path("Tests", "Fixtures", "api")
out_dir <- file.path("Tests", "MonitorCoreTests", "Expectations")

# ---------------------------------------------------------------- fixtures --
# apiclus2: 40 districts (dnum) out of fpc1 = 757, then up to 5 schools (snum)
# out of the district's fpc2. Added: the sampling fractions frac1 = n1/fpc1,
# frac2 = n2/fpc2 (n2 = the district's sampled schools), and a made-up stage-1
# stratum dstrat (districts numbered below 400 or not) for the stratified variant.
c2 <- apiclus2[, c("cds", "stype", "dnum", "snum", "pw", "fpc1", "fpc2", "api00",
                   "enroll", "sch.wide")]
names(c2) <- gsub(".", "_", names(c2), fixed = TRUE)
c2$fpc2 <- as.vector(c2$fpc2)
n1 <- length(unique(c2$dnum))
n2 <- as.vector(table(c2$dnum)[as.character(c2$dnum)])
c2$frac1 <- n1 / c2$fpc1
c2$frac2 <- n2 / c2$fpc2
c2$dstrat <- ifelse(c2$dnum < 400, "low", "high")
write_plain_csv(c2, file.path(fixture_dir, "apiclus2.csv"))

# apistrat-lonely: apistrat's 100 E and 50 H schools and its first M school, in
# strata E (99 rows), H (50), C (the first E school alone) and M (one row). So C
# and M are singleton strata. N_mixed: population counts E 4421, H 755, C 1 (a
# census stratum), M 1018; N_census: the same with M 1 (two census singletons).
s <- apistrat[, c("cds", "stype", "pw", "api00", "enroll", "sch.wide")]
names(s) <- gsub(".", "_", names(s), fixed = TRUE)
keep <- s$stype != "M" | seq_len(nrow(s)) == which(s$stype == "M")[1]
s <- s[keep, ]
s$stratum <- as.character(s$stype)
s$stratum[which(s$stype == "E")[1]] <- "C"
N <- c(E = 4421, H = 755, C = 1, M = 1018)
s$N_mixed <- unname(N[s$stratum])
s$N_census <- ifelse(s$stratum == "M", 1, s$N_mixed)
write_plain_csv(s, file.path(fixture_dir, "apistrat-lonely.csv"))

# ------------------------------------------------------------------ inputs --
read_fixture <- function(path) {
  d <- read.csv(path, na.strings = "", stringsAsFactors = FALSE,
                colClasses = c(cds = "character"))
  for (v in intersect(c("stype", "sch_wide"), names(d))) d[[v]] <- factor(d[[v]])
  d
}
clus2 <- read_fixture(file.path(fixture_dir, "apiclus2.csv"))
lonely <- read_fixture(file.path(fixture_dir, "apistrat-lonely.csv"))
stopifnot(nrow(clus2) == 126, nrow(lonely) == 151,
          identical(as.vector(table(lonely$stratum)[c("C", "E", "H", "M")]),
                    c(1L, 99L, 50L, 1L)))

# ----------------------------------------------------------------- helpers --
sink <- new_sink()

snap_cov <- function(V) {  # as expectations.R: exact zeros come out as +-1e-37
  s <- sqrt(outer(diag(V), diag(V)))
  V[abs(V) < 1e-15 * s] <- 0
  V
}

# The quantities of expectations.R's api block: degf, n_obs, sum_weights,
# svymean api00, svymean and svytotal enroll (na.rm), svymean sch_wide.
rec_basic <- function(case, d) {
  add(sink, case, "degf", degf(d))
  add(sink, case, "n_obs", nrow(d))
  add(sink, case, "sum_weights", sum(weights(d)))
  m <- svymean(~api00, d)
  add(sink, case, "svymean.api00.mean", coef(m))
  add(sink, case, "svymean.api00.se", SE(m))
  m <- svymean(~enroll, d, na.rm = TRUE)
  add(sink, case, "svymean.enroll.mean", coef(m))
  add(sink, case, "svymean.enroll.se", SE(m))
  t <- svytotal(~enroll, d, na.rm = TRUE)
  add(sink, case, "svytotal.enroll.total", coef(t))
  add(sink, case, "svytotal.enroll.se", SE(t))
  m <- svymean(~sch_wide, d)
  for (l in levels(d$variables$sch_wide)) {
    add(sink, case, "svymean.sch_wide.mean", coef(m)[paste0("sch_wide", l)], level = l)
    add(sink, case, "svymean.sch_wide.se", SE(m)[paste0("sch_wide", l)], level = l)
  }
  invisible(m)
}

# svyby(~api00, ~stype, svymean, covmat = TRUE): mean, se and the covariance
# matrix (group "row|col"). The se column comes from a svymean on each subset;
# it is checked against the covariance matrix, which comes from the whole design.
rec_by_stype <- function(case, d) {
  b <- svyby(~api00, ~stype, d, svymean, covmat = TRUE)
  V <- vcov(b)
  stopifnot(max(abs(sqrt(diag(V)) / SE(b) - 1)) < 1e-12)
  V <- snap_cov(V)
  g <- names(coef(b))
  for (i in seq_along(g)) {
    add(sink, case, "svyby_mean.api00_by_stype.mean", coef(b)[i], group = g[i])
    add(sink, case, "svyby_mean.api00_by_stype.se", SE(b)[i], group = g[i])
  }
  for (i in seq_along(g)) for (j in seq_along(g))
    add(sink, case, "svyby_mean.api00_by_stype.cov", V[i, j], group = paste0(g[i], "|", g[j]))
}

with_lonely <- function(rule, expr) {
  old <- options(survey.lonely.psu = rule)
  on.exit(options(old))
  expr
}

# ----------------------------------------------------------- lonely PSUs ----
# svydesign(id=~1, strata=~stratum, weights=~pw): C and M are singleton strata.
# average: onestage sums the strata with a contribution and multiplies by
# nstrat / nokstrat = 4 / 2.
for (rule in c("certainty", "remove", "adjust", "average")) {
  with_lonely(rule, {
    d <- svydesign(id = ~1, strata = ~stratum, weights = ~pw, data = lonely)
    rec_basic(paste0("lonely_", rule), d)
  })
}
# Domains under average: svyby's se column comes from svymean on each subset,
# whose onestage counts only the strata with domain rows (E: C and E, 2/1; H: H
# alone, 1/1; M: M alone, 0/0 = NaN), while covmat = TRUE estimates on the whole
# design (4/2 for every domain; M, in a lonely stratum only, gets 0). Swift
# estimates domains in the whole design, so it is checked against the covmat:
# svyby_covmat.api00_by_stype.se = sqrt(diag(vcov)).
with_lonely("average", {
  d <- svydesign(id = ~1, strata = ~stratum, weights = ~pw, data = lonely)
  b <- svyby(~api00, ~stype, d, svymean, covmat = TRUE)
  se <- sqrt(diag(vcov(b)))
  stopifnot(abs(se["E"] / SE(b)[1] - 1) < 1e-12, abs(se["H"] / SE(b)[2] - sqrt(2)) < 1e-12,
            is.nan(SE(b)[3]), se["M"] == 0)
  for (g in names(coef(b))) {
    add(sink, "lonely_average", "svyby_covmat.api00_by_stype.mean", coef(b)[g], group = g)
    add(sink, "lonely_average", "svyby_covmat.api00_by_stype.se", se[g], group = g)
  }
})
# fpc as counts, C a census stratum (N = 1, n = 1: contributes 0 and counts as a
# stratum with a contribution), M lonely: average multiplies by 4 / 3. No weights:
# N_h / n_h from the fpc.
with_lonely("average", {
  d <- svydesign(id = ~1, strata = ~stratum, fpc = ~N_mixed, data = lonely)
  rec_basic("lonely_fpc_average", d)
})
# fpc as counts, both singleton strata censuses (N = 1): R's default
# lonely.psu = "fail" accepts the design, the two strata contribute 0.
with_lonely("fail", {
  d <- svydesign(id = ~1, strata = ~stratum, fpc = ~N_census, data = lonely)
  rec_basic("census_fpc", d)
  stopifnot(all(weights(d)[lonely$stratum %in% c("C", "M")] == 1))
})

# ----------------------------------------------------------- multi-stage ----
with_lonely("fail", {
  # Two stages, weights from the fpcs (prod N_s / n_s): the textbook SE 30.099.
  d2 <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = clus2)
  m <- svymean(~api00, d2)
  stopifnot(abs(coef(m) - 670.81) < 5e-3, abs(SE(m) - 30.099) < 5e-4)
  rec_basic("apiclus2_twostage", d2)
  rec_by_stype("apiclus2_twostage", d2)
  # The same with the fpcs as sampling fractions.
  d2f <- svydesign(ids = ~dnum + snum, fpc = ~frac1 + frac2, data = clus2)
  stopifnot(abs(SE(svymean(~api00, d2f)) / SE(m) - 1) < 1e-12)
  rec_basic("apiclus2_twostage_fractions", d2f)
  # The same with the weights given.
  d2w <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, weights = ~pw, data = clus2)
  rec_basic("apiclus2_twostage_weights", d2w)
  # Strata at stage 1 (fpc1 taken as each stratum's count of districts).
  d2s <- svydesign(ids = ~dnum + snum, strata = ~dstrat, fpc = ~fpc1 + fpc2, data = clus2)
  rec_basic("apiclus2_strat_twostage", d2s)
  rec_by_stype("apiclus2_strat_twostage", d2s)
  # The one-stage equivalent (ultimate clusters): SE 29.889.
  d1 <- svydesign(ids = ~dnum, fpc = ~fpc1, weights = ~pw, data = clus2)
  m1 <- svymean(~api00, d1)
  stopifnot(abs(SE(m1) - 29.889) < 5e-4)
  rec_basic("apiclus2_onestage", d1)
  rec_by_stype("apiclus2_onestage", d1)
})

write_sink(sink, file.path(out_dir, "designs.csv"))
