# Long-format expectation writer shared by expectations.R and column-proportions.R:
# header case,quantity,level,group,value; values as sprintf("%.17g"); LF line
# endings. Sourced from the repo root.

new_sink <- function() {
  env <- new.env()
  env$rows <- list()
  env
}
add <- function(sink, case, quantity, value, level = "", group = "") {
  value <- unname(as.numeric(value))
  stopifnot(length(value) == 1, is.finite(value))
  for (f in c(case, quantity, level, group))
    if (grepl("[,\"\n]", f)) stop("field needs quoting: ", f)
  sink$rows[[length(sink$rows) + 1]] <-
    c(case, quantity, as.character(level), as.character(group),
      sprintf("%.17g", value))
}
write_sink <- function(sink, path) {
  lines <- c("case,quantity,level,group,value",
             vapply(sink$rows, paste, character(1), collapse = ","))
  con <- file(path, open = "wb")  # "wb": LF line endings on every platform
  writeLines(lines, con, sep = "\n")
  close(con)
  message("wrote ", path, " (", length(sink$rows), " values)")
}
