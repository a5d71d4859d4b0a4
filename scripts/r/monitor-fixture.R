# Deterministic synthetic "Monitor-like" respondent fixture (Monitor Integriteit
# en Veiligheid style: political office holders reporting aggression incidents).
# The data are invented; only their structure mimics the real survey.
#
# Run from the repository root:
#   Rscript scripts/r/monitor-fixture.R
#
# Output (Tests/Fixtures/monitor/):
#   fixture.csv              400 respondents, see column list below
#   frame.csv                cel,N            population counts per weighting cell
#   margin_bestuurslaag.csv  bestuurslaag,N   population margin (total 6101)
#   margin_geslacht.csv      geslacht,N       population margin (total 6101)
#
# fixture.csv columns:
#   respondent_id     "R0001".."R0400" (rows are in shuffled order, not grouped by cell)
#   bestuurslaag      gemeente / provincie / waterschap
#   functie           burgemeester, wethouder, raadslid (gemeente);
#                     statenlid, gedeputeerde, cdk (provincie);
#                     lid_ab, lid_db, dijkgraaf (waterschap)
#   cel               weighting cell: gemeente_burgemeester, gemeente_wethouder,
#                     gemeente_raadslid, provincie, waterschap
#   gemeente_code     cluster id: "GMxxxx" (30 gemeenten) for raadsleden, the
#                     respondent's own respondent_id for everybody else
#   geslacht          man / vrouw
#   verbale_agressie, bedreiging, intimidatie, fysiek_geweld
#                     1/0, a few empty fields (= missing)
#   ernst             1..7 for victims (any incident == 1), empty otherwise
#   aangifte          zelf / organisatie / geen / weet_niet for victims, empty otherwise
#   w0                positive base weight, varies within cells (4 decimals)

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240611)

out_dir <- file.path("Tests", "Fixtures", "monitor")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

frame <- data.frame(
  cel = c("gemeente_burgemeester", "gemeente_wethouder", "gemeente_raadslid",
          "provincie", "waterschap"),
  N = c(342, 1200, 3214, 645, 700),
  stringsAsFactors = FALSE)
n_cel <- c(gemeente_burgemeester = 60, gemeente_wethouder = 90,
           gemeente_raadslid = 150, provincie = 50, waterschap = 50)
stopifnot(sum(n_cel) == 400)

cel <- rep(names(n_cel), n_cel)
n <- length(cel)
bestuurslaag <- ifelse(startsWith(cel, "gemeente"), "gemeente", cel)

functie <- character(n)
functie[cel == "gemeente_burgemeester"] <- "burgemeester"
functie[cel == "gemeente_wethouder"] <- "wethouder"
functie[cel == "gemeente_raadslid"] <- "raadslid"
functie[cel == "provincie"] <- sample(c("statenlid", "gedeputeerde", "cdk"),
  n_cel[["provincie"]], replace = TRUE, prob = c(0.75, 0.18, 0.07))
functie[cel == "waterschap"] <- sample(c("lid_ab", "lid_db", "dijkgraaf"),
  n_cel[["waterschap"]], replace = TRUE, prob = c(0.72, 0.2, 0.08))

# 30 gemeenten for the raadsleden, unequal cluster sizes, each used at least twice.
gm_codes <- sprintf("GM%04d", sort(sample(1:1999, 30)))
n_rl <- n_cel[["gemeente_raadslid"]]
gm_size_prob <- rgamma(30, shape = 2)
rl_gm <- c(rep(gm_codes, 2),
           sample(gm_codes, n_rl - 60, replace = TRUE, prob = gm_size_prob))
rl_gm <- rl_gm[sample.int(n_rl)]

p_vrouw <- c(gemeente_burgemeester = 0.22, gemeente_wethouder = 0.3,
             gemeente_raadslid = 0.36, provincie = 0.4, waterschap = 0.28)
geslacht <- ifelse(runif(n) < p_vrouw[cel], "vrouw", "man")

# Incident probabilities: cell effect + gender effect + gemeente effect (raadsleden).
gm_effect <- setNames(rnorm(30, 0, 0.6), gm_codes)
clus_eff <- numeric(n)
clus_eff[cel == "gemeente_raadslid"] <- gm_effect[rl_gm]
base_logit <- c(gemeente_burgemeester = 0.5, gemeente_wethouder = 0.1,
                gemeente_raadslid = -0.3, provincie = -0.7, waterschap = -1.3)
eta <- base_logit[cel] + ifelse(geslacht == "vrouw", 0.3, 0) + clus_eff
draw <- function(shift) as.integer(runif(n) < plogis(eta + shift))
verbale_agressie <- draw(0)
bedreiging <- draw(-1.2)
intimidatie <- draw(-0.8)
fysiek_geweld <- draw(-3.0)

victim <- (verbale_agressie + bedreiging + intimidatie + fysiek_geweld) > 0

# A few item non-responses (never all four for the same person).
set_missing <- function(x, k) { x[sample.int(n, k)] <- NA; x }
verbale_agressie <- set_missing(verbale_agressie, 9)
bedreiging <- set_missing(bedreiging, 7)
intimidatie <- set_missing(intimidatie, 6)
fysiek_geweld <- set_missing(fysiek_geweld, 5)
victim <- (rowSums(cbind(verbale_agressie, bedreiging, intimidatie,
                         fysiek_geweld) == 1, na.rm = TRUE)) > 0

ernst <- ifelse(victim, sample(1:7, n, replace = TRUE,
                               prob = c(4, 6, 8, 8, 6, 4, 2)), NA)
aangifte <- ifelse(victim, sample(c("zelf", "organisatie", "geen", "weet_niet"),
                                  n, replace = TRUE, prob = c(0.2, 0.15, 0.55, 0.1)),
                   NA)

# Base weight: N_h / n_h times a log-normal nonresponse factor.
N_of <- setNames(frame$N, frame$cel)
w0 <- round(N_of[cel] / n_cel[cel] * exp(rnorm(n, 0, 0.35)), 4)

d <- data.frame(bestuurslaag, functie, cel, gemeente_code = NA_character_,
                geslacht, verbale_agressie, bedreiging, intimidatie,
                fysiek_geweld, ernst, aangifte, w0, stringsAsFactors = FALSE)
d$gemeente_code[cel == "gemeente_raadslid"] <- rl_gm

# Shuffle rows, then number respondents in file order.
d <- d[sample.int(n), ]
d$respondent_id <- sprintf("R%04d", seq_len(n))
d$gemeente_code[is.na(d$gemeente_code)] <- d$respondent_id[is.na(d$gemeente_code)]
d <- d[, c("respondent_id", "bestuurslaag", "functie", "cel", "gemeente_code",
           "geslacht", "verbale_agressie", "bedreiging", "intimidatie",
           "fysiek_geweld", "ernst", "aangifte", "w0")]
rownames(d) <- NULL

stopifnot(all(d$w0 > 0), length(unique(d$gemeente_code[d$cel == "gemeente_raadslid"])) == 30,
          all(c("zelf", "organisatie", "geen", "weet_niet") %in% d$aangifte))

margin_bestuurslaag <- data.frame(
  bestuurslaag = c("gemeente", "provincie", "waterschap"),
  N = c(sum(frame$N[startsWith(frame$cel, "gemeente")]),
        frame$N[frame$cel == "provincie"], frame$N[frame$cel == "waterschap"]))
margin_geslacht <- data.frame(geslacht = c("man", "vrouw"), N = c(4271, 1830))
stopifnot(sum(margin_bestuurslaag$N) == sum(frame$N),
          sum(margin_geslacht$N) == sum(frame$N))

source("scripts/r/plain-csv.R")

write_plain_csv(d, file.path(out_dir, "fixture.csv"))
write_plain_csv(frame, file.path(out_dir, "frame.csv"))
write_plain_csv(margin_bestuurslaag, file.path(out_dir, "margin_bestuurslaag.csv"))
write_plain_csv(margin_geslacht, file.path(out_dir, "margin_geslacht.csv"))
