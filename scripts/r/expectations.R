# R `survey` oracle: computes expected values for the Swift tests.
#
# Run from the repository root, after export-api.R and monitor-fixture.R:
#   Rscript scripts/r/expectations.R
#
# Inputs are read back from the fixture CSVs (not from data(api)) so that R and
# Swift see exactly the same numbers.
#
# Output (Tests/MonitorCoreTests/Expectations/):
#   weighting.csv   weight adjustments (postStratify, rake, calibrate, trimWeights, Kalton)
#   estimation.csv  means, totals, domain estimates, CIs, tests, degf
#   VERSIONS.txt    R and survey versions that produced the numbers
#
# Long format, one value per line:  case,quantity,level,group,value
#   case      design / adjustment (see scripts/r/README.md)
#   quantity  analysis.variable.statistic (e.g. svymean.api00.se), or `weight`,
#             `degf`, ...
#   level     outcome category (factor level), or respondent_id for `weight`;
#             empty when not applicable
#   group     svyby domain; for covariances "rowdomain|coldomain"; empty when
#             not applicable
#   value     printed with sprintf("%.17g")

options(warn = 2)  # any unexpected warning (e.g. rake not converged) is fatal
suppressPackageStartupMessages(library(survey))

out_dir <- file.path("Tests", "MonitorCoreTests", "Expectations")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# ------------------------------------------------------------------ output --
source("scripts/r/long-csv.R")  # new_sink(), add(), write_sink()

# ------------------------------------------------------------------ inputs --
read_fixture <- function(path, ...) {
  read.csv(path, na.strings = "", stringsAsFactors = FALSE, ...)
}
api_classes <- c(cds = "character")
apistrat <- read_fixture("Tests/Fixtures/api/apistrat.csv", colClasses = api_classes)
apiclus1 <- read_fixture("Tests/Fixtures/api/apiclus1.csv", colClasses = api_classes)
apisrs <- read_fixture("Tests/Fixtures/api/apisrs.csv", colClasses = api_classes)
to_factors <- function(d) {
  for (v in c("stype", "sch_wide", "comp_imp", "both", "awards"))
    d[[v]] <- factor(d[[v]])
  d
}
apistrat <- to_factors(apistrat)
apiclus1 <- to_factors(apiclus1)
apisrs <- to_factors(apisrs)

mon <- read_fixture("Tests/Fixtures/monitor/fixture.csv")
frame <- read_fixture("Tests/Fixtures/monitor/frame.csv")
margin_b <- read_fixture("Tests/Fixtures/monitor/margin_bestuurslaag.csv")
margin_g <- read_fixture("Tests/Fixtures/monitor/margin_geslacht.csv")

mon$bestuurslaag <- factor(mon$bestuurslaag,
                           levels = c("gemeente", "provincie", "waterschap"))
mon$geslacht <- factor(mon$geslacht, levels = c("man", "vrouw"))
mon$aangifte <- factor(mon$aangifte,
                       levels = c("zelf", "organisatie", "geen", "weet_niet"))
# victim = at least one of the four incident items is 1 (== aangifte non-empty)
mon$slachtoffer <- as.integer(rowSums(
  mon[, c("verbale_agressie", "bedreiging", "intimidatie", "fysiek_geweld")] == 1,
  na.rm = TRUE) > 0)
stopifnot(all((mon$slachtoffer == 1) == !is.na(mon$aangifte)))
# stratified design helpers: N_h from the frame, w = N_h / n_h (n_h = all rows in cell)
mon$N_cel <- frame$N[match(mon$cel, frame$cel)]
mon$n_cel <- as.vector(table(mon$cel)[mon$cel])
mon$w_strat <- mon$N_cel / mon$n_cel

pop_cel <- data.frame(cel = frame$cel, Freq = frame$N)
pop_b <- data.frame(bestuurslaag = factor(margin_b$bestuurslaag, levels = levels(mon$bestuurslaag)),
                    Freq = margin_b$N)
pop_g <- data.frame(geslacht = factor(margin_g$geslacht, levels = levels(mon$geslacht)),
                    Freq = margin_g$N)

# ---------------------------------------------------------------- helpers --
strip_prefix <- function(names, var) {
  out <- names
  hit <- startsWith(names, var)
  out[hit] <- substring(names[hit], nchar(var) + 1)
  out
}

# Covariances that are zero in exact arithmetic (domains in disjoint strata /
# post-strata, or id=~1 designs) come out as +-1e-37 rounding noise; snap
# |cov| < 1e-15 * sqrt(var_i var_j) to exactly 0 so the fixture is meaningful.
snap_cov <- function(V) {
  s <- sqrt(outer(diag(V), diag(V)))
  V[abs(V) < 1e-15 * s] <- 0
  V
}

# svyby result: mean/se per domain (and per outcome level), plus the full
# covariance matrix of the domain estimates for each outcome level.
rec_svyby <- function(sink, case, quantity_prefix, b, level_of = function(col) "") {
  est <- coef(b)
  V <- snap_cov(vcov(b))
  nm <- names(est)
  if (any(grepl(":", nm, fixed = TRUE))) {
    grp <- sub(":.*$", "", nm)
    col <- sub("^[^:]*:", "", nm)
  } else {
    grp <- nm
    col <- rep("", length(nm))
  }
  lv <- vapply(col, level_of, character(1), USE.NAMES = FALSE)
  for (i in seq_along(est)) {
    add(sink, case, paste0(quantity_prefix, ".mean"), est[i], level = lv[i], group = grp[i])
    add(sink, case, paste0(quantity_prefix, ".se"), sqrt(V[i, i]), level = lv[i], group = grp[i])
  }
  for (i in seq_along(est)) for (j in seq_along(est)) {
    if (col[i] != col[j]) next
    add(sink, case, paste0(quantity_prefix, ".cov"), V[i, j], level = lv[i],
        group = paste0(grp[i], "|", grp[j]))
  }
}

# Domain means of y by `by` with missing y dropped (na.rm=TRUE), plus their
# covariance matrix. survey 4.1.1's svyby(..., covmat=TRUE) fails when rows are
# dropped for missing values and on calibrated / post-stratified designs
# ("number of items to replace is not a multiple of replacement length"), so
# the covariance is taken from svyratio(covmat=TRUE) of the ratios
# sum(w*y*1{dom_k, y observed}) / sum(w*1{dom_k, y observed}), which is the same
# linearization. Means/SEs come from svyby(na.rm=TRUE) and are checked against it;
# on non-calibrated designs the covariance is also checked against
# svyby(covmat=TRUE) on subset(design, !is.na(y)).
# Domain means of y by `by` (missing y dropped) and their covariance matrix,
# via svyratio as explained above. Returns list(lv, est, V), V unsnapped with
# dimnames lv.
svyratio_domains <- function(design, y, by) {
  v <- design$variables
  ok <- !is.na(v[[y]])
  lv <- levels(factor(v[[by]]))
  num <- sapply(lv, function(l) ifelse(ok & v[[by]] == l, v[[y]], 0))
  den <- sapply(lv, function(l) as.numeric(ok & v[[by]] == l))
  r <- svyratio(num, den, design, covmat = TRUE)
  k <- length(lv)
  pick <- (seq_len(k) - 1) * k + seq_len(k)   # (num_i, den_i) pairs
  V <- vcov(r)[pick, pick]
  dimnames(V) <- list(lv, lv)
  list(lv = lv, est = setNames(as.vector(coef(r))[pick], lv), V = V)
}

rec_svyby_na <- function(sink, case, quantity_prefix, design, y, by) {
  b <- svyby(as.formula(paste("~", y)), as.formula(paste("~", by)), design,
             svymean, na.rm = TRUE)
  v <- design$variables
  dom <- svyratio_domains(design, y, by)
  lv <- dom$lv
  k <- length(lv)
  est <- unname(dom$est)
  V <- unname(dom$V)
  stopifnot(identical(names(coef(b)), lv),
            max(abs(est - coef(b))) < 1e-14,
            max(abs(sqrt(diag(V)) / SE(b) - 1)) < 1e-12)
  if (is.null(design$postStrata)) {  # not post-stratified / calibrated
    bc <- svyby(as.formula(paste("~", y)), as.formula(paste("~", by)),
                subset(design, !is.na(v[[y]])), svymean, covmat = TRUE)
    stopifnot(max(abs(vcov(bc) - V)) < 1e-12 * max(abs(V)))
  }
  for (i in seq_len(k)) {
    add(sink, case, paste0(quantity_prefix, ".mean"), coef(b)[i], group = lv[i])
    add(sink, case, paste0(quantity_prefix, ".se"), SE(b)[i], group = lv[i])
  }
  V <- snap_cov(V)
  for (i in seq_len(k)) for (j in seq_len(k))
    add(sink, case, paste0(quantity_prefix, ".cov"), V[i, j],
        group = paste0(lv[i], "|", lv[j]))
  invisible(dom)
}

rec_ciprop <- function(sink, case, var_label, formula, design, methods, ...,
                       group = "") {
  out <- list()
  for (m in methods) {
    ci <- svyciprop(formula, design, method = m, ...)
    q <- paste0("svyciprop_", m, ".", var_label, ".")
    add(sink, case, paste0(q, "estimate"), as.vector(ci), group = group)
    add(sink, case, paste0(q, "se"), sqrt(as.vector(attr(ci, "var"))), group = group)
    add(sink, case, paste0(q, "lower"), attr(ci, "ci")[1], group = group)
    add(sink, case, paste0(q, "upper"), attr(ci, "ci")[2], group = group)
    out[[m]] <- ci
  }
  invisible(out)
}

# svyglm (so svyttest and svyciprop "logit") on a subset of a calibrated design:
# subset keeps the dropped rows with weight 0, and svyglm's internal
# summary.glm() then warns "observations with zero weight not used for
# calculating dispersion". svyglm only keeps the unscaled covariance from that
# summary, so the warning is harmless; muffle exactly that one (warn = 2).
zero_weight_ok <- function(expr) {
  withCallingHandlers(expr, warning = function(w) {
    if (identical(conditionMessage(w),
                  "observations with zero weight not used for calculating dispersion"))
      invokeRestart("muffleWarning")
  })
}

rec_ttest <- function(sink, case, label, tt) {
  q <- paste0("svyttest.", label, ".")
  add(sink, case, paste0(q, "t"), tt$statistic)
  add(sink, case, paste0(q, "df"), tt$parameter)
  add(sink, case, paste0(q, "p_value"), tt$p.value)
  add(sink, case, paste0(q, "estimate"), tt$estimate)
  add(sink, case, paste0(q, "se"), tt$estimate / tt$statistic)
  add(sink, case, paste0(q, "lower"), tt$conf.int[1])
  add(sink, case, paste0(q, "upper"), tt$conf.int[2])
}

rec_chisq <- function(sink, case, label, formula, design) {
  f <- svychisq(formula, design, statistic = "F")
  q <- paste0("svychisq_F.", label, ".")
  add(sink, case, paste0(q, "statistic"), f$statistic)
  add(sink, case, paste0(q, "ndf"), f$parameter[["ndf"]])
  add(sink, case, paste0(q, "ddf"), f$parameter[["ddf"]])
  add(sink, case, paste0(q, "p_value"), f$p.value)
  c2 <- svychisq(formula, design, statistic = "Chisq")
  q <- paste0("svychisq_Chisq.", label, ".")
  add(sink, case, paste0(q, "statistic"), c2$statistic)
  add(sink, case, paste0(q, "df"), c2$parameter[["df"]])
  add(sink, case, paste0(q, "p_value"), c2$p.value)
}

rec_weights <- function(sink, case, design, ids) {
  w <- weights(design)
  stopifnot(length(w) == length(ids))
  for (i in seq_along(w)) add(sink, case, "weight", w[i], level = ids[i])
}

rec_mean <- function(sink, case, label, formula, design, var = NULL, ...) {
  s <- svymean(formula, design, ...)
  est <- coef(s)
  se <- SE(s)
  lv <- if (is.null(var)) rep("", length(est)) else strip_prefix(names(est), var)
  for (i in seq_along(est)) {
    add(sink, case, paste0("svymean.", label, ".mean"), est[i], level = lv[i])
    add(sink, case, paste0("svymean.", label, ".se"), se[i], level = lv[i])
  }
}

rec_total <- function(sink, case, label, formula, design, ...) {
  s <- svytotal(formula, design, ...)
  add(sink, case, paste0("svytotal.", label, ".total"), coef(s)[1])
  add(sink, case, paste0("svytotal.", label, ".se"), SE(s)[1])
}

# ============================================================== weighting ==
W <- new_sink()

dw0 <- svydesign(id = ~1, weights = ~w0, data = mon)
ps_w0 <- postStratify(dw0, ~cel, pop_cel)
stopifnot(isTRUE(all.equal(as.vector(tapply(weights(ps_w0), mon$cel, sum)[frame$cel]), frame$N)))
rec_weights(W, "monitor_poststrat_w0", ps_w0, mon$respondent_id)
rec_mean(W, "monitor_poststrat_w0", "verbale_agressie", ~verbale_agressie, ps_w0, na.rm = TRUE)

d_eq <- suppressWarnings(svydesign(id = ~1, data = mon))  # "assuming equal probability"
ps_eq <- postStratify(d_eq, ~cel, pop_cel)
rec_weights(W, "monitor_poststrat_equal", ps_eq, mon$respondent_id)
rec_mean(W, "monitor_poststrat_equal", "verbale_agressie", ~verbale_agressie, ps_eq, na.rm = TRUE)

rk <- rake(dw0, list(~bestuurslaag, ~geslacht), list(pop_b, pop_g),
           control = list(maxit = 1000, epsilon = 1e-12))
rec_weights(W, "monitor_rake", rk, mon$respondent_id)
rec_mean(W, "monitor_rake", "verbale_agressie", ~verbale_agressie, rk, na.rm = TRUE)

cal_pop <- c(`(Intercept)` = sum(margin_b$N),
             bestuurslaagprovincie = margin_b$N[margin_b$bestuurslaag == "provincie"],
             bestuurslaagwaterschap = margin_b$N[margin_b$bestuurslaag == "waterschap"],
             geslachtvrouw = margin_g$N[margin_g$geslacht == "vrouw"])
cal_rk <- calibrate(dw0, ~bestuurslaag + geslacht, population = cal_pop, calfun = "raking")
rec_weights(W, "monitor_calibrate_raking", cal_rk, mon$respondent_id)
rec_mean(W, "monitor_calibrate_raking", "verbale_agressie", ~verbale_agressie, cal_rk, na.rm = TRUE)
cal_rk_tight <- calibrate(dw0, ~bestuurslaag + geslacht, population = cal_pop,
                          calfun = "raking", maxit = 1000, epsilon = 1e-12)
rec_weights(W, "monitor_calibrate_raking_tight", cal_rk_tight, mon$respondent_id)
stopifnot(max(abs(weights(cal_rk_tight) / weights(rk) - 1)) < 1e-10)

# trimWeights on the post-stratified design; bounds chosen so both bind and
# strict=TRUE needs extra passes (redistribution pushes units over `upper`).
trim_lower <- 5
trim_upper <- 25
stopifnot(sum(weights(ps_w0) < trim_lower) > 0, sum(weights(ps_w0) > trim_upper) > 0)
tr_strict <- trimWeights(ps_w0, lower = trim_lower, upper = trim_upper, strict = TRUE)
tr_loose <- trimWeights(ps_w0, lower = trim_lower, upper = trim_upper, strict = FALSE)
stopifnot(any(weights(tr_loose) > trim_upper + 1e-9))  # strict actually differs
for (cs in c("monitor_trim_strict", "monitor_trim_nonstrict")) {
  add(W, cs, "lower_bound", trim_lower)
  add(W, cs, "upper_bound", trim_upper)
}
rec_weights(W, "monitor_trim_strict", tr_strict, mon$respondent_id)
rec_weights(W, "monitor_trim_nonstrict", tr_loose, mon$respondent_id)

# Kalton & Flores-Cervantes (2003) example, as in survey's tests/kalton.R:
# 4 x 3 table (a = 1..4 fastest, b = 1..3), n = 1000 sample units with weight 1,
# population N = 1500. All units in a cell get the same weight, so cell weights
# (level = a, group = b) are recorded instead of 1000 per-unit weights.
ab <- expand.grid(a = factor(1:4), b = factor(1:3))
k_n <- c(20, 50, 100, 30, 40, 140, 50, 100, 40, 310, 50, 70)
k_N <- c(80, 60, 170, 55, 40, 150, 60, 165, 55, 340, 200, 125)
ksample <- ab[rep(1:12, k_n), ]
kpop <- ab[rep(1:12, k_N), ]
for (i in 1:12) {
  add(W, "kalton_data", "sample_n", k_n[i], level = ab$a[i], group = ab$b[i])
  add(W, "kalton_data", "pop_N", k_N[i], level = ab$a[i], group = ab$b[i])
}
dk <- suppressWarnings(svydesign(id = ~1, data = ksample))
jointpop <- colSums(model.matrix(~a * b, kpop))
marginalpop <- colSums(model.matrix(~a + b, kpop))
gregpop <- colSums(model.matrix(~as.numeric(a) + as.numeric(b), kpop))
kalton <- list(
  kalton_poststrat = postStratify(dk, ~a + b, xtabs(~a + b, kpop)),
  `kalton_rake_eps1e-4` = rake(dk, list(~a, ~b), list(xtabs(~a, kpop), xtabs(~b, kpop)),
                             control = list(epsilon = 1e-4)),
  kalton_rake_tight = rake(dk, list(~a, ~b), list(xtabs(~a, kpop), xtabs(~b, kpop)),
                           control = list(maxit = 1000, epsilon = 1e-12)),
  kalton_calibrate_joint_linear = calibrate(dk, ~a * b, jointpop),
  kalton_calibrate_raking = calibrate(dk, ~a + b, marginalpop, calfun = "raking"),
  kalton_calibrate_linear = calibrate(dk, ~a + b, marginalpop),
  kalton_calibrate_linear_bounded = calibrate(dk, ~a + b, marginalpop, bounds = c(0.5, 2.2)),
  kalton_calibrate_logit_bounded = calibrate(dk, ~a + b, marginalpop, bounds = c(0.5, 2.2),
                                             calfun = "logit"),
  kalton_calibrate_greg = calibrate(dk, ~as.numeric(a) + as.numeric(b), gregpop))
cell_key <- paste(ksample$a, ksample$b)
for (cs in names(kalton)) {
  w <- weights(kalton[[cs]])
  stopifnot(all(tapply(w, cell_key, function(x) diff(range(x))) < 1e-12 * max(w)))
  for (i in 1:12) {
    wi <- w[which(cell_key == paste(ab$a[i], ab$b[i]))[1]]
    add(W, cs, "cell_weight", wi, level = ab$a[i], group = ab$b[i])
  }
}
write_sink(W, file.path(out_dir, "weighting.csv"))

# ============================================================= estimation ==
E <- new_sink()

rec_design <- function(sink, case, design) {
  add(sink, case, "degf", degf(design))
  add(sink, case, "n_obs", nrow(design))
  add(sink, case, "sum_weights", sum(weights(design)))
}

api_common <- function(case, design) {
  rec_design(E, case, design)
  rec_mean(E, case, "api00", ~api00, design)
  rec_total(E, case, "enroll", ~enroll, design)
  rec_mean(E, case, "sch_wide", ~sch_wide, design, var = "sch_wide")
}

# --- apistrat: stratified by school type, with fpc
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
cs <- "apistrat_strat_fpc"
api_common(cs, dstrat)
rec_svyby(E, cs, "svyby_mean.api00_by_comp_imp", svyby(~api00, ~comp_imp, dstrat, svymean, covmat = TRUE))
rec_ciprop(E, cs, "sch_wide_yes", ~I(sch_wide == "Yes"), dstrat,
           c("logit", "beta", "mean", "xlogit"))

# --- apiclus1: one-stage cluster sample of districts, with fpc
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
cs <- "apiclus1_clus1_fpc"
api_common(cs, dclus1)
rec_svyby(E, cs, "svyby_mean.both_yes_by_stype",
          svyby(~I(both == "Yes"), ~stype, dclus1, svymean, covmat = TRUE),
          level_of = function(col) sub('^I\\(both == "Yes"\\)', "", col))
rec_ttest(E, cs, "api00_by_comp_imp", svyttest(api00 ~ comp_imp, dclus1))
rec_chisq(E, cs, "sch_wide_x_stype", ~sch_wide + stype, dclus1)
rec_chisq(E, cs, "comp_imp_x_stype", ~comp_imp + stype, dclus1)
rec_ciprop(E, cs, "sch_wide_yes", ~I(sch_wide == "Yes"), dclus1,
           c("logit", "beta", "mean", "xlogit"))

# --- apisrs: weights only, without and with fpc
for (cs in c("apisrs_weights", "apisrs_weights_fpc")) {
  dsrs <- if (cs == "apisrs_weights") svydesign(id = ~1, weights = ~pw, data = apisrs)
          else svydesign(id = ~1, weights = ~pw, data = apisrs, fpc = ~fpc)
  api_common(cs, dsrs)
  rec_ciprop(E, cs, "sch_wide_yes", ~I(sch_wide == "Yes"), dsrs, c("logit", "beta"))
}

# --- Monitor fixture, five design declarations. monitor_rake_design is `rk`
# from the weighting section (the monitor_rake case: rake(dw0, ...) with
# maxit = 1000, epsilon = 1e-12).
mon_designs <- list(
  monitor_w0 = svydesign(id = ~1, weights = ~w0, data = mon),
  monitor_strat_fpc = svydesign(id = ~1, strata = ~cel, weights = ~w_strat,
                                fpc = ~N_cel, data = mon),
  monitor_clus_strat = svydesign(id = ~gemeente_code, strata = ~cel, weights = ~w0,
                                 data = mon),
  monitor_poststrat_w0 = postStratify(svydesign(id = ~1, weights = ~w0, data = mon),
                                      ~cel, pop_cel),
  monitor_rake_design = rk)
stopifnot(!anyNA(mon$geslacht), !anyNA(mon$bestuurslaag))  # "rest" = the other level(s)
bl <- levels(mon$bestuurslaag)

for (cs in names(mon_designs)) {
  des <- mon_designs[[cs]]
  rec_design(E, cs, des)
  # degf of the subsets actually used when items are missing / for the victim domain
  add(E, cs, "degf.nonmissing_verbale_agressie", degf(subset(des, !is.na(verbale_agressie))))
  add(E, cs, "degf.nonmissing_bedreiging", degf(subset(des, !is.na(bedreiging))))
  add(E, cs, "degf.slachtoffer", degf(subset(des, slachtoffer == 1)))

  rec_mean(E, cs, "verbale_agressie", ~verbale_agressie, des, na.rm = TRUE)
  dom_va <- rec_svyby_na(E, cs, "svyby_mean.verbale_agressie_by_bestuurslaag", des,
                         "verbale_agressie", "bestuurslaag")
  rec_svyby_na(E, cs, "svyby_mean.verbale_agressie_by_geslacht", des,
               "verbale_agressie", "geslacht")
  rec_ciprop(E, cs, "bedreiging", ~bedreiging, des,
             c("logit", "beta", "mean", "xlogit"), na.rm = TRUE)
  rec_ttest(E, cs, "verbale_agressie_gemeente_vs_rest",
            svyttest(verbale_agressie ~ I(bestuurslaag == "gemeente"), des))
  rec_chisq(E, cs, "verbale_agressie_x_bestuurslaag", ~verbale_agressie + bestuurslaag, des)
  # domain: victims only (subset keeps the full design structure)
  vict <- subset(des, slachtoffer == 1)
  rec_mean(E, cs, "aangifte_slachtoffer", ~aangifte, vict, var = "aangifte", na.rm = TRUE)
  rec_mean(E, cs, "ernst_slachtoffer", ~ernst, vict, na.rm = TRUE)

  # Pairwise domain comparisons, estimate = b minus a. The t-test on the (a, b)
  # subset is the Wald test of mean_b - mean_a in the full design, so its SE
  # must equal sqrt(V_aa + V_bb - 2 V_ab) from the domain covariance above.
  V <- dom_va$V
  for (i in seq_len(length(bl) - 1)) for (j in (i + 1):length(bl)) {
    a <- bl[i]
    b <- bl[j]
    # svyglm wants every formula variable in the design: write b as a literal
    f <- as.formula(sprintf('verbale_agressie ~ I(bestuurslaag == "%s")', b))
    tt <- zero_weight_ok(svyttest(f, subset(des, bestuurslaag %in% c(a, b))))
    stopifnot(abs(tt$estimate - (dom_va$est[[b]] - dom_va$est[[a]])) < 1e-12,
              abs((tt$estimate / tt$statistic)^2 /
                    (V[a, a] + V[b, b] - 2 * V[a, b]) - 1) < 1e-10)
    rec_ttest(E, cs, paste0("verbale_agressie_", a, "_vs_", b), tt)
  }

  # Group vs rest for a 0/1 outcome with missing values (estimate = vrouw - man)
  dom_bg <- svyratio_domains(des, "bedreiging", "geslacht")
  tt <- svyttest(bedreiging ~ I(geslacht == "vrouw"), des)
  V <- dom_bg$V
  stopifnot(abs(tt$estimate - (dom_bg$est[["vrouw"]] - dom_bg$est[["man"]])) < 1e-12,
            abs((tt$estimate / tt$statistic)^2 /
                  (V["man", "man"] + V["vrouw", "vrouw"] - 2 * V["man", "vrouw"]) - 1) < 1e-10)
  rec_ttest(E, cs, "bedreiging_vrouw_vs_rest", tt)

  # Domain proportion CIs on subset(design, bestuurslaag == L). The df are those
  # of the subset passed in: logit/xlogit use degf(sub), beta uses
  # nrow(sub) - 1 over degf(sub), and nrow(sub) is the full 400 rows for
  # calibrated designs (subset keeps them with weight 0). Both are checked here.
  dom_bb <- svyratio_domains(des, "bedreiging", "bestuurslaag")
  for (L in bl) {
    sub <- subset(des, bestuurslaag == L)
    add(E, cs, "degf.bestuurslaag", degf(sub), group = L)
    add(E, cs, "n_obs.bestuurslaag", nrow(sub), group = L)
    ci <- zero_weight_ok(rec_ciprop(E, cs, "bedreiging", ~bedreiging, sub,
                                    c("logit", "beta", "xlogit"), na.rm = TRUE, group = L))
    p <- dom_bb$est[[L]]
    v <- dom_bb$V[L, L]
    half <- qt(0.975, degf(sub)) * sqrt(v) / (p * (1 - p))
    n_eff <- p * (1 - p) / v * (qt(0.025, nrow(sub) - 1) / qt(0.025, degf(sub)))^2
    stopifnot(abs(as.vector(ci$xlogit) - p) < 1e-14,
              abs(as.vector(attr(ci$xlogit, "var")) / v - 1) < 1e-10,
              max(abs(attr(ci$xlogit, "ci") - plogis(qlogis(p) + c(-1, 1) * half))) < 1e-12,
              max(abs(attr(ci$beta, "ci") - c(qbeta(0.025, n_eff * p, n_eff * (1 - p) + 1),
                                              qbeta(0.975, n_eff * p + 1, n_eff * (1 - p))))) < 1e-12,
              # logit = xlogit up to glm's IRLS tolerance (quirk 2)
              abs(as.vector(ci$logit) / p - 1) < 1e-8,
              max(abs(attr(ci$logit, "ci") / attr(ci$xlogit, "ci") - 1)) < 1e-7)
  }

  rec_chisq(E, cs, "bedreiging_x_geslacht", ~bedreiging + geslacht, des)
}
write_sink(E, file.path(out_dir, "estimation.csv"))

# --------------------------------------------------------------- versions --
con <- file(file.path(out_dir, "VERSIONS.txt"), open = "wb")
writeLines(c(R.version.string,
             paste("survey", as.character(packageVersion("survey"))),
             "Generated by scripts/r/expectations.R (see scripts/r/README.md)."),
           con, sep = "\n")
close(con)
