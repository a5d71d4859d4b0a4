# R `survey` oracle for statistics at the edges (issue 20): variances of numbers with a large
# offset, a domain with one respondent, group-against-rest tests at a 0% group, and the
# Rao-Scott statistics as R prints them.
#
# Run from the repository root:
#   Rscript scripts/r/edges.R
#
# Output:
#   Tests/Fixtures/edges/edges.csv        300 synthetic respondents (set.seed(20261205))
#   Tests/Fixtures/edges/frame.csv        cel,N for postStratify
#   Tests/MonitorCoreTests/Expectations/edges.csv   long format case,quantity,level,group,value
#
# Fixture columns:
#   id        "E001".."E300"
#   h         stratum s1 / s2 / s3
#   cel       post-stratum p1..p4 (crosses the strata)
#   g         group a / b / c / klein (klein: 14 respondents, none with b01 == 1)
#   solo      domain variable: "solo" for exactly one respondent, "rest" for the others
#   w0        base weight (positive, varies)
#   y         N(0, 1) rounded to a multiple of 1/1024 (dyadic: y + 1e8 and y + 1e12 are exact doubles)
#   y_1e4, y_1e8, y_1e12   y plus that offset
#   b01       0/1, a few missing
#
# Designs (cases):
#   w       svydesign(id=~1, weights=~w0)
#   strat   svydesign(id=~1, strata=~h, weights=~w0)
#   post    postStratify(svydesign(id=~1, weights=~w0), ~cel, frame)
#
# Quantities, per design:
#   svymean.<var>.{mean,se}                  for y, y_1e4, y_1e8, y_1e12
#   svyby_mean.<var>_by_g.{mean,se}          group = a, b, c, klein
#   svyttest.<var>_a_vs_rest.t               svyttest(var ~ I(g == "a"))
#   svyby_mean.y_1e8_by_solo.{mean,se}       group = solo, rest (the one-respondent domain: se exactly 0
#                                            in w and strat; 1.5e-8 of rounding in post)
#   svychisq_F.b01_<k>_vs_rest.{statistic,ndf,ddf,p_value}
#       svychisq(~I(g == k) + b01, design, statistic = "F") for k = a, b, c, klein
#   svychisq_Chisq.b01_<k>_vs_rest.{statistic,df,p_value}
#       the same with statistic = "Chisq": R's statistic is the unadjusted X-squared, its p the adjusted one
#   svychisq_Chisq.b01_x_g.{statistic,df,p_value}, svychisq_F.b01_x_g.{statistic,ndf,ddf,p_value}
#   svymean.b01_in_klein.{mean,se}           svymean(~b01, subset(design, g == "klein"), na.rm=TRUE): 0 and 0

options(warn = 2)
suppressPackageStartupMessages(library(survey))
source("scripts/r/plain-csv.R")  # write_plain_csv()
source("scripts/r/long-csv.R")   # new_sink(), add(), write_sink()

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20261205)

fixture_dir <- file.path("Tests", "Fixtures", "edges")
dir.create(fixture_dir, recursive = TRUE, showWarnings = FALSE)

n <- 300
g <- c(rep("a", 120), rep("b", 100), rep("c", 66), rep("klein", 14))
h <- sample(c("s1", "s2", "s3"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
cel <- sample(c("p1", "p2", "p3", "p4"), n, replace = TRUE)
w0 <- round(runif(n, 0.5, 3), 4)
y <- round(rnorm(n) * 1024) / 1024 + ifelse(g == "b", 0.25, 0)
b01 <- rbinom(n, 1, ifelse(g == "a", 0.35, ifelse(g == "b", 0.2, 0.3)))
b01[g == "klein"] <- 0
b01[sample(which(g != "klein"), 6)] <- NA
solo <- rep("rest", n)
solo[7] <- "solo"
perm <- sample(n)
d <- data.frame(id = sprintf("E%03d", 1:n), h = h[perm], cel = cel[perm], g = g[perm], solo = solo[perm],
                w0 = w0[perm], y = y[perm], stringsAsFactors = FALSE)
d$y_1e4 <- d$y + 1e4
d$y_1e8 <- d$y + 1e8
d$y_1e12 <- d$y + 1e12
stopifnot(all(d$y_1e12 - 1e12 == d$y), all(d$y_1e8 - 1e8 == d$y))
d$b01 <- b01[perm]
write_plain_csv(d, file.path(fixture_dir, "edges.csv"))
frame <- data.frame(cel = c("p1", "p2", "p3", "p4"), N = c(2100, 1800, 2600, 1500))
write_plain_csv(frame, file.path(fixture_dir, "frame.csv"))

# Read back, so R and Swift see the same doubles.
d <- read.csv(file.path(fixture_dir, "edges.csv"), na.strings = "", stringsAsFactors = FALSE)
d$g <- factor(d$g, levels = c("a", "b", "c", "klein"))
d$solo <- factor(d$solo, levels = c("rest", "solo"))
pop <- data.frame(cel = frame$cel, Freq = frame$N)

designs <- list(
  w = svydesign(id = ~1, weights = ~w0, data = d),
  strat = svydesign(id = ~1, strata = ~h, weights = ~w0, data = d),
  post = postStratify(svydesign(id = ~1, weights = ~w0, data = d), ~cel, pop)
)

sink <- new_sink()
vars <- c("y", "y_1e4", "y_1e8", "y_1e12")
for (case in names(designs)) {
  des <- designs[[case]]
  for (v in vars) {
    f <- as.formula(paste0("~", v))
    m <- svymean(f, des)
    add(sink, case, paste0("svymean.", v, ".mean"), coef(m))
    add(sink, case, paste0("svymean.", v, ".se"), SE(m))
    by <- svyby(f, ~g, des, svymean)
    for (k in levels(d$g)) {
      add(sink, case, paste0("svyby_mean.", v, "_by_g.mean"), by[k, v], group = k)
      add(sink, case, paste0("svyby_mean.", v, "_by_g.se"), SE(by)[match(k, rownames(by))], group = k)
    }
    tt <- svyttest(as.formula(paste0(v, " ~ I(g == \"a\")")), des)
    add(sink, case, paste0("svyttest.", v, "_a_vs_rest.t"), tt$statistic)
  }
  # The one-respondent domain.
  by <- svyby(~y_1e8, ~solo, des, svymean)
  for (k in levels(d$solo)) {
    add(sink, case, "svyby_mean.y_1e8_by_solo.mean", by[k, "y_1e8"], group = k)
    add(sink, case, "svyby_mean.y_1e8_by_solo.se", SE(by)[match(k, rownames(by))], group = k)
  }
  # Exactly 0 in R without calibration; after postStratify R's mean carries rounding (|se| ~ 1e-8 at
  # this offset), which the Swift test allows for.
  if (case != "post") stopifnot(SE(by)[match("solo", rownames(by))] == 0)
  # Group against the rest, Rao-Scott, for every group (klein has 0% b01 == 1).
  for (k in levels(d$g)) {
    des2 <- update(des, ingroup = factor(ifelse(g == k, "in", "out"), levels = c("in", "out")))
    fF <- svychisq(~ingroup + b01, des2, statistic = "F")
    add(sink, case, paste0("svychisq_F.b01_", k, "_vs_rest.statistic"), fF$statistic)
    add(sink, case, paste0("svychisq_F.b01_", k, "_vs_rest.ndf"), fF$parameter[["ndf"]])
    add(sink, case, paste0("svychisq_F.b01_", k, "_vs_rest.ddf"), fF$parameter[["ddf"]])
    add(sink, case, paste0("svychisq_F.b01_", k, "_vs_rest.p_value"), fF$p.value)
    fC <- svychisq(~ingroup + b01, des2, statistic = "Chisq")
    add(sink, case, paste0("svychisq_Chisq.b01_", k, "_vs_rest.statistic"), fC$statistic)
    add(sink, case, paste0("svychisq_Chisq.b01_", k, "_vs_rest.df"), fC$parameter[["df"]])
    add(sink, case, paste0("svychisq_Chisq.b01_", k, "_vs_rest.p_value"), fC$p.value)
  }
  # Pairs, on the subset of the two groups' rows.
  lv <- levels(d$g)
  for (i in 1:(length(lv) - 1)) for (j in (i + 1):length(lv)) {
    des2 <- update(des, ingroup = factor(ifelse(g == lv[i], "in", "out"), levels = c("in", "out")))
    des2 <- subset(des2, g %in% c(lv[i], lv[j]))
    fF <- svychisq(~ingroup + b01, des2, statistic = "F")
    q <- paste0("svychisq_F.b01_", lv[i], "_vs_", lv[j])
    add(sink, case, paste0(q, ".statistic"), fF$statistic)
    add(sink, case, paste0(q, ".ddf"), fF$parameter[["ddf"]])
    add(sink, case, paste0(q, ".p_value"), fF$p.value)
  }
  fF <- svychisq(~b01 + g, des, statistic = "F")
  add(sink, case, "svychisq_F.b01_x_g.statistic", fF$statistic)
  add(sink, case, "svychisq_F.b01_x_g.ndf", fF$parameter[["ndf"]])
  add(sink, case, "svychisq_F.b01_x_g.ddf", fF$parameter[["ddf"]])
  add(sink, case, "svychisq_F.b01_x_g.p_value", fF$p.value)
  fC <- svychisq(~b01 + g, des, statistic = "Chisq")
  add(sink, case, "svychisq_Chisq.b01_x_g.statistic", fC$statistic)
  add(sink, case, "svychisq_Chisq.b01_x_g.df", fC$parameter[["df"]])
  add(sink, case, "svychisq_Chisq.b01_x_g.p_value", fC$p.value)
  # The 0% group on its own: estimate 0, variance 0.
  mk <- svymean(~b01, subset(des, g == "klein"), na.rm = TRUE)
  add(sink, case, "svymean.b01_in_klein.mean", coef(mk))
  add(sink, case, "svymean.b01_in_klein.se", SE(mk))
}
write_sink(sink, file.path("Tests", "MonitorCoreTests", "Expectations", "edges.csv"))
