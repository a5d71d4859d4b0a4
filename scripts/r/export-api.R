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

# Shortest round-tripping decimal representation of a double.
fmt_num <- function(x) {
  vapply(x, function(v) {
    if (is.na(v)) return("")
    if (v == round(v) && abs(v) < 1e15) return(sprintf("%.0f", v))
    for (d in 15:17) {
      s <- formatC(v, digits = d, format = "g")
      if (as.numeric(s) == v) return(trimws(s))
    }
    trimws(formatC(v, digits = 17, format = "g"))
  }, character(1), USE.NAMES = FALSE)
}

fmt_col <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.character(x)) {
    if (any(grepl("[,\"\n]", x), na.rm = TRUE)) stop("field needs quoting")
    return(ifelse(is.na(x), "", x))
  }
  if (is.logical(x)) return(ifelse(is.na(x), "", ifelse(x, "TRUE", "FALSE")))
  fmt_num(as.numeric(x))
}

write_plain_csv <- function(df, path) {
  cols <- lapply(df, fmt_col)
  lines <- c(paste(names(df), collapse = ","),
             do.call(paste, c(cols, sep = ",")))
  con <- file(path, open = "wb")  # "wb": LF line endings on every platform
  writeLines(lines, con, sep = "\n")
  close(con)
}

for (name in c("apistrat", "apiclus1", "apisrs")) {
  d <- get(name)[, columns]
  names(d) <- gsub(".", "_", names(d), fixed = TRUE)
  path <- file.path(out_dir, paste0(name, ".csv"))
  write_plain_csv(d, path)
  message("wrote ", path, " (", nrow(d), " rows)")
}
