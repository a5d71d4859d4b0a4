# Reference values for the probability functions in
# Sources/MonitorCore/Statistics/Distributions.swift (R's stats package only).
#
# Run from the repository root:
#   Rscript scripts/r/distributions.R
#
# Output: Tests/MonitorCoreTests/Expectations/distributions.csv, one value per line:
#   function,a,b,c,value
# function  R call (see the table in scripts/r/README.md)
# a, b, c   the arguments in R's order (q or p first, then df / shapes); empty if unused
# value     the result
# Every number is written with sprintf("%.17g"), so it reads back as the same double.
# The grid is fixed (no random numbers): rerunning gives a byte-identical file.

options(warn = 2)  # any warning (e.g. qbeta or pt "full precision may not have been achieved") is fatal

out_file <- file.path("Tests", "MonitorCoreTests", "Expectations", "distributions.csv")

rows <- character()
num <- function(x) if (is.null(x)) "" else sprintf("%.17g", x)
add <- function(fun, value, a, b = NULL, c = NULL) {
  stopifnot(length(value) == 1, !is.na(value))
  rows <<- c(rows, paste(fun, num(a), num(b), num(c), num(value), sep = ","))
}
# Keep tail probabilities that are normal doubles (or exactly 0 / 1): below 2.2e-308
# R and Swift may round differently into subnormals.
representable <- function(v) v == 0 || v >= 1e-300
# qbeta where R itself warns that it did not converge is left out (the one case in this
# grid is qbeta(0.5, 5, 0.001), whose exact value rounds to 1).
qbeta_or_null <- function(p, a, b) {
  tryCatch(qbeta(p, a, b), warning = function(w) {
    message("left out qbeta(", p, ", ", a, ", ", b, "): ", conditionMessage(w))
    NULL
  })
}

# ----------------------------------------------------------------- normal --
for (x in c(-37, -30, -20, -10, -8, -5, -3, -1.96, -1, -0.5, -1e-8, 0, 1e-8, 0.5, 1,
            1.96, 3, 5, 8, 10, 20, 30, 37)) {
  add("pnorm", pnorm(x), x)
  add("pnorm_upper", pnorm(x, lower.tail = FALSE), x)
}
for (p in c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.1, 0.3, 0.5,
            0.7, 0.9, 0.95, 0.975, 0.999, 1 - 1e-10)) {
  add("qnorm", qnorm(p), p)
}

# -------------------------------------------------------------- Student t --
qt_df <- c(0.5, 1, 2, 2.5, 3, 5, 10, 29, 30, 37.8, 59, 196, 197, 399, 1000, 1e5, 1e6, Inf)
for (df in qt_df) {
  add("qt", qt(0.975, df), 0.975, df)
  add("qt", qt(0.025, df), 0.025, df)
}
for (df in c(0.5, 1, 2.5, 5, 37.8, 197, 1e5)) {
  for (p in c(1e-10, 1e-8, 0.005, 0.3, 0.5, 0.9, 0.995)) add("qt", qt(p, df), p, df)
}
for (df in c(0.5, 1, 2, 2.5, 5, 10, 30, 37.8, 197, 1000, 1e5, 1e6, Inf)) {
  for (t in c(-40, -10, -2, -0.5, 0, 0.5, 2, 10, 40)) {
    v <- pt(t, df)
    if (representable(v)) add("pt", v, t, df)
  }
  for (t in c(0.5, 2, 10, 40)) {
    v <- 2 * pt(-abs(t), df)
    if (representable(v)) add("pt_two_sided", v, t, df)
  }
}

# ---------------------------------------------------------------- chi-square --
for (df in c(1:12, 0.5, 2.7, 7.3, 45.5, 150, 1000)) {
  for (x in c(0.01, 0.5, 1, 3.84, 10, 30, 100, 300)) {
    v <- pchisq(x, df, lower.tail = FALSE)
    if (representable(v)) add("pchisq_upper", v, x, df)
  }
}

# --------------------------------------------------------------------- F --
f_df <- list(c(1, 197), c(1.63, 321.5), c(2.9, 1e4), c(0.7, 58.3), c(3, 1e5), c(5.2, 12.1), c(12, 2.5))
for (d in f_df) {
  for (x in c(0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 100, 200)) {
    v <- pf(x, d[1], d[2], lower.tail = FALSE)
    if (representable(v)) add("pf_upper", v, x, d[1], d[2])
  }
}

# ------------------------------------------------------------------ beta --
shapes <- list(c(0.3, 200), c(2.5, 17), c(40.2, 388.1), c(1e-3, 5), c(1200, 30000),
               c(5, 1e-3), c(0.5, 0.5), c(1e5, 1e5))
for (s in shapes) {
  quantiles <- numeric()
  for (p in c(1e-10, 1e-8, 0.025, 0.5, 0.975, 1 - 1e-10)) {
    q <- qbeta_or_null(p, s[1], s[2])
    if (is.null(q)) next
    add("qbeta", q, p, s[1], s[2])
    quantiles <- c(quantiles, q)
  }
  # pbeta at those quantiles and at fixed points
  xs <- c(quantiles, 1e-6, 0.001, 0.01, 0.1, 0.3, 0.5, 0.9, 0.99)
  for (x in sort(unique(xs))) {
    if (x <= 0 || x >= 1) next
    v <- pbeta(x, s[1], s[2])
    if (representable(v)) add("pbeta", v, x, s[1], s[2])
  }
}

# ----------------------------------------------------------------- gamma --
for (a in c(0.25, 0.5, 1, 2.5, 10, 37.2, 150, 1e4)) {
  for (r in c(0.01, 0.5, 0.9, 1, 1.1, 1.5, 3)) {
    x <- a * r
    lower <- pgamma(x, a)
    upper <- pgamma(x, a, lower.tail = FALSE)
    if (representable(lower)) add("pgamma_lower", lower, x, a)
    if (representable(upper)) add("pgamma_upper", upper, x, a)
  }
}

con <- file(out_file, open = "wb")  # LF line endings on every platform
writeLines(c("function,a,b,c,value", rows), con, sep = "\n")
close(con)
message("wrote ", out_file, " (", length(rows), " rows)")
