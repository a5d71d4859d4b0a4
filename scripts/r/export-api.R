# Export R survey's example data (apistrat, apiclus1, apisrs from data(api))
# to plain CSV fixtures for the Swift tests.
#
# Run from the repository root:
#   Rscript scripts/r/export-api.R
#
# Output: Tests/Fixtures/api/{apistrat,apiclus1,apisrs}.csv
#   - only the columns the tests need; dots in names become underscores
#   - plain comma-separated, no quoting (no field contains a comma or quote)
#   - numbers written with the shortest decimal representation that reads back
#     as exactly the same double (at most 17 significant digits)
#   - NA written as an empty field
#   - factors written as their labels

suppressPackageStartupMessages(library(survey))
data(api)

out_dir <- file.path("Tests", "Fixtures", "api")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

columns <- c("cds", "stype", "dnum", "snum", "pw", "fpc", "api00", "api99",
             "enroll", "sch.wide", "comp.imp", "both", "awards", "meals",
             "ell", "mobility")

source("scripts/r/plain-csv.R")

for (name in c("apistrat", "apiclus1", "apisrs")) {
  d <- get(name)[, columns]
  names(d) <- gsub(".", "_", names(d), fixed = TRUE)
  path <- file.path(out_dir, paste0(name, ".csv"))
  write_plain_csv(d, path)
}
