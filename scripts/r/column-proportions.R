# Closed-form proportion references for the Swift tests, computed by hand from
# the Monitor fixture (not with the survey package, except the one design-based
# SE the trend test takes as input):
#   - SPSS-style column proportions tests (pairwise z-tests between columns),
#     unweighted and weighted with the IBM/Dimensions "effective base";
#   - Wilson score intervals with the Kish effective sample size;
#   - a trend test of the current weighted estimate against a published one.
#
# Run from the repository root, after monitor-fixture.R (and expectations.R,
# whose estimation.csv it cross-checks when present):
#   Rscript scripts/r/column-proportions.R
#
# Output: Tests/MonitorCoreTests/Expectations/column-proportions.csv, in the
# long format of estimation.csv (case,quantity,level,group,value); see
# scripts/r/README.md for the cases and quantities.

options(warn = 2)  # any warning (e.g. prop.test's small-count warning) is fatal
suppressPackageStartupMessages(library(survey))
source("scripts/r/long-csv.R")  # new_sink(), add(), write_sink()

out_dir <- file.path("Tests", "MonitorCoreTests", "Expectations")
mon <- read.csv("Tests/Fixtures/monitor/fixture.csv", na.strings = "",
                stringsAsFactors = FALSE)
mon$bestuurslaag <- factor(mon$bestuurslaag,
                           levels = c("gemeente", "provincie", "waterschap"))
frame <- read.csv("Tests/Fixtures/monitor/frame.csv", stringsAsFactors = FALSE)

# outcome bedreiging (0/1), rows with NA removed; columns = bestuurslaag
d <- mon[!is.na(mon$bedreiging), ]
stopifnot(all(d$bedreiging %in% c(0, 1)), !anyNA(d$bestuurslaag), !anyNA(d$w0))
cols <- levels(d$bestuurslaag)
n_cols <- length(cols)
m_pairs <- n_cols * (n_cols - 1) / 2   # Bonferroni: all pairs within the row
pairs <- do.call(rbind, lapply(seq_len(n_cols - 1), function(i)
  cbind(i, (i + 1):n_cols)))

S <- new_sink()
q <- function(stat) paste0("colprop.bedreiging.", stat)

# ------------------------------------------ column proportions, unweighted --
# SPSS Custom Tables "Compare column proportions" without weights is the pooled
# two-proportion z-test, i.e. prop.test without continuity correction; z is
# positive when column i has the higher proportion.
cs <- "spss_unweighted"
x <- tapply(d$bedreiging, d$bestuurslaag, sum)
n <- tapply(d$bedreiging, d$bestuurslaag, length)
for (r in seq_len(nrow(pairs))) {
  i <- pairs[r, 1]
  j <- pairs[r, 2]
  pt <- prop.test(c(x[[i]], x[[j]]), c(n[[i]], n[[j]]), correct = FALSE)
  p_i <- x[[i]] / n[[i]]
  p_j <- x[[j]] / n[[j]]
  z <- sign(p_i - p_j) * sqrt(unname(pt$statistic))
  p_pool <- (x[[i]] + x[[j]]) / (n[[i]] + n[[j]])
  # the same z from the textbook formula, and the same p from the normal
  z_hand <- (p_i - p_j) / sqrt(p_pool * (1 - p_pool) * (1 / n[[i]] + 1 / n[[j]]))
  stopifnot(abs(z - z_hand) < 1e-12 * abs(z_hand),
            abs(pt$p.value / (2 * pnorm(-abs(z))) - 1) < 1e-12)
  g <- paste0(cols[i], "|", cols[j])
  add(S, cs, q("p_i"), p_i, group = g)
  add(S, cs, q("p_j"), p_j, group = g)
  add(S, cs, q("n_i"), n[[i]], group = g)
  add(S, cs, q("n_j"), n[[j]], group = g)
  add(S, cs, q("p_pool"), p_pool, group = g)
  add(S, cs, q("z"), z, group = g)
  add(S, cs, q("p_value"), pt$p.value, group = g)
  add(S, cs, q("p_bonferroni"), min(1, pt$p.value * m_pairs), group = g)
}

# ------------------------- column proportions, weighted, effective base --
# IBM SPSS / Dimensions with weights: proportions are weighted, the pooled
# proportion pools the weighted counts, and the sample sizes are replaced by
# the effective base e = (sum w)^2 / sum w^2 of each column.
cs <- "spss_weighted_effective_base"
sw <- tapply(d$w0, d$bestuurslaag, sum)
swy <- tapply(d$w0 * d$bedreiging, d$bestuurslaag, sum)
sw2 <- tapply(d$w0^2, d$bestuurslaag, sum)
for (r in seq_len(nrow(pairs))) {
  i <- pairs[r, 1]
  j <- pairs[r, 2]
  p_i <- swy[[i]] / sw[[i]]
  p_j <- swy[[j]] / sw[[j]]
  e_i <- sw[[i]]^2 / sw2[[i]]
  e_j <- sw[[j]]^2 / sw2[[j]]
  p_pool <- (swy[[i]] + swy[[j]]) / (sw[[i]] + sw[[j]])
  z <- (p_i - p_j) / sqrt(p_pool * (1 - p_pool) * (1 / e_i + 1 / e_j))
  p_value <- 2 * pnorm(-abs(z))
  g <- paste0(cols[i], "|", cols[j])
  add(S, cs, q("p_i"), p_i, group = g)
  add(S, cs, q("p_j"), p_j, group = g)
  add(S, cs, q("e_i"), e_i, group = g)
  add(S, cs, q("e_j"), e_j, group = g)
  add(S, cs, q("p_pool"), p_pool, group = g)
  add(S, cs, q("z"), z, group = g)
  add(S, cs, q("p_value"), p_value, group = g)
  add(S, cs, q("p_bonferroni"), min(1, p_value * m_pairs), group = g)
}

# ------------------------------------------------ Wilson with Kish n_eff --
# Wilson score interval with n = Kish's effective sample size. The textbook
# formula is checked against prop.test's interval (which is the Wilson
# interval when correct = FALSE): on the unweighted data, where n and x are
# integers, and on the weighted p and n_eff themselves.
z975 <- qnorm(0.975)
wilson <- function(p, n) {
  centre <- p + z975^2 / (2 * n)
  half <- z975 * sqrt(p * (1 - p) / n + z975^2 / (4 * n^2))
  c(centre - half, centre + half) / (1 + z975^2 / n)
}
cs <- "wilson_kish"
groups <- c(list(""), as.list(cols))   # "" = all respondents
for (g in groups) {
  dd <- if (g == "") d else d[d$bestuurslaag == g, ]
  # unweighted cross-check (integer x and n)
  nu <- nrow(dd)
  pu <- sum(dd$bedreiging) / nu
  ref <- prop.test(x = pu * nu, n = nu, correct = FALSE)$conf.int
  stopifnot(max(abs(wilson(pu, nu) - as.vector(ref))) < 1e-12)
  # weighted: p with w0, n = Kish n_eff
  w <- dd$w0
  p <- sum(w * dd$bedreiging) / sum(w)
  n_eff <- sum(w)^2 / sum(w^2)
  ci <- wilson(p, n_eff)
  ref <- prop.test(x = p * n_eff, n = n_eff, correct = FALSE)$conf.int
  stopifnot(max(abs(ci - as.vector(ref))) < 1e-12)
  add(S, cs, "wilson.bedreiging.p", p, group = g)
  add(S, cs, "wilson.bedreiging.n_eff", n_eff, group = g)
  add(S, cs, "wilson.bedreiging.lower", ci[1], group = g)
  add(S, cs, "wilson.bedreiging.upper", ci[2], group = g)
}

# ------------------------------------------------ trend vs published wave --
# Current wave: design-based p1 and SE s1 from the post-stratified design
# (case monitor_poststrat_w0). Previous wave: only the published p0 and n0 are
# known, so its variance is taken as binomial, p0 (1 - p0) / n0.
cs <- "trend_published"
p0 <- 0.21
n0 <- 3033
ps <- postStratify(svydesign(id = ~1, weights = ~w0, data = mon), ~cel,
                   data.frame(cel = frame$cel, Freq = frame$N))
m1 <- svymean(~bedreiging, ps, na.rm = TRUE)
p1 <- unname(coef(m1)[1])
s1 <- unname(SE(m1)[1])
z <- (p1 - p0) / sqrt(s1^2 + p0 * (1 - p0) / n0)
p_value <- 2 * pnorm(-abs(z))
# same p1, s1 as svyciprop_mean.bedreiging of monitor_poststrat_w0 in estimation.csv
est_file <- file.path(out_dir, "estimation.csv")
if (file.exists(est_file)) {
  est <- read.csv(est_file, stringsAsFactors = FALSE, colClasses = "character")
  pick <- function(stat) est$value[est$case == "monitor_poststrat_w0" &
                                   est$quantity == paste0("svyciprop_mean.bedreiging.", stat) &
                                   est$group == ""]
  stopifnot(identical(pick("estimate"), sprintf("%.17g", p1)),
            identical(pick("se"), sprintf("%.17g", s1)))
}
add(S, cs, "trend.bedreiging.p0", p0)
add(S, cs, "trend.bedreiging.n0", n0)
add(S, cs, "trend.bedreiging.p1", p1)
add(S, cs, "trend.bedreiging.s1", s1)
add(S, cs, "trend.bedreiging.z", z)
add(S, cs, "trend.bedreiging.p_value", p_value)

write_sink(S, file.path(out_dir, "column-proportions.csv"))
