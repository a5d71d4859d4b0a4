# Plain CSV writer shared by export-api.R and monitor-fixture.R: comma, LF, NA as empty,
# numbers in their shortest round-tripping form. Sourced from the repo root.

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
  message("wrote ", path, " (", nrow(df), " rows)")
}

