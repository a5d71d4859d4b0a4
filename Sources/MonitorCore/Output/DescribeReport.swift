/// Renders what `monitor describe` found: a profile of any CSV, or a codebook check.
public enum DescribeReport {
    public enum Format: String, Sendable, CaseIterable { case md, csv }

    static func dialectLine(_ table: RawTable) -> String {
        var parts = ["\(table.dialect.delimiterName)-delimited", table.dialect.encoding.rawValue]
        if table.dialect.hadByteOrderMark { parts.append("byte-order mark") }
        if table.dialect.decimalComma { parts.append("decimal comma") }
        return parts.joined(separator: ", ")
    }

    /// The most characters of a value or name in a Markdown cell: a table pads every cell of a column to the
    /// longest one, so a single 100 KB value in a wide file would make hundreds of megabytes of spaces.
    public static let cellWidth = 60

    /// `text` cut to `cellWidth` characters, the cut marked with `…` (the CSV format keeps every value whole).
    static func clipped(_ text: String, to width: Int = cellWidth) -> String {
        guard text.utf8.count > width, text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// A profile of every column of any CSV file.
    public static func profile(_ table: RawTable, format: Format) -> String {
        let profiles = table.columns.map { ColumnProfile.profile($0, decimalComma: table.dialect.decimalComma) }
        func number(_ x: Double?) -> String { x.map { NumberFormat.fixed($0, $0.rounded() == $0 ? 0 : 3) } ?? "" }
        switch format {
        case .csv:
            var out = CSVWriter(header: ["column", "position", "type", "filled", "empty", "distinct", "min", "max", "mean", "most_frequent"])
            for p in profiles {
                out.row([p.name, String(p.position), p.type.rawValue, String(p.filled), String(p.empty), String(p.distinct),
                         p.minimum.map(NumberFormat.exact) ?? "", p.maximum.map(NumberFormat.exact) ?? "",
                         p.mean.map(NumberFormat.exact) ?? "", p.top.map { "\($0.value) (\($0.count))" }.joined(separator: "; ")])
            }
            return out.text
        case .md:
            var md = MarkdownTable(headers: ["#", "column", "type", "filled", "empty", "distinct", "min", "max", "mean", "most frequent"],
                                   alignments: [.right, .left, .left, .right, .right, .right, .right, .right, .right, .left])
            for p in profiles {
                md.add([String(p.position), clipped(p.name), p.type.rawValue, NumberFormat.grouped(p.filled), NumberFormat.grouped(p.empty),
                        NumberFormat.grouped(p.distinct), number(p.minimum), number(p.maximum),
                        p.mean.map { NumberFormat.fixed($0, 3) } ?? "",
                        p.top.map { "\(clipped($0.value)) (\($0.count))" }.joined(separator: ", ")])
            }
            return """
            # \(table.source)

            Rows: \(NumberFormat.grouped(table.rowCount)) data rows read. Columns: \(table.header.count). Dialect: \(dialectLine(table)).

            \(md.render())
            """
        }
    }

    /// A check of a file against a codebook.
    public static func validation(_ report: ValidationReport, codebook: Codebook, table: RawTable, format: Format) -> String {
        switch format {
        case .csv:
            var out = CSVWriter(header: ["variable", "type", "derived", "present", "filled", "missing", "invalid", "values", "first_invalid"])
            for v in report.variables {
                out.row([v.name, v.type.rawValue, v.derived ? "yes" : "no", v.present ? "yes" : "no", String(v.filled),
                         String(v.missing.reduce(0) { $0 + $1.count }), String(v.invalid), valueSummary(v),
                         v.invalidExamples.map { "line \($0.line): \($0.value)" }.joined(separator: "; ")])
            }
            return out.text
        case .md:
            func variableTable(_ variables: [VariableSummary]) -> String {
                var md = MarkdownTable(headers: ["variable", "type", "filled", "missing", "invalid", "values"],
                                       alignments: [.left, .left, .right, .left, .right, .left])
                for v in variables {
                    let missing = v.missing.map { "\($0.code.isEmpty ? "leeg" : $0.code) \(NumberFormat.grouped($0.count))" }.joined(separator: ", ")
                    md.add([clipped(v.name), typeLabel(v, codebook: codebook), v.present ? NumberFormat.grouped(v.filled) : "absent", missing,
                            v.invalid > 0 ? NumberFormat.grouped(v.invalid) : "", valueSummary(v, clip: true)])
                }
                return md.render()
            }
            let used = report.rows - report.rowsWithInvalid
            var text = """
            # \(report.source): \(codebook.survey) codebook\(codebook.wave.map { " (\($0))" } ?? "")

            Rows: \(NumberFormat.grouped(report.rows)) data rows read, \(NumberFormat.grouped(used)) used, \(NumberFormat.grouped(report.rowsWithInvalid)) rejected (a row with an invalid value is rejected). Columns: \(table.header.count) (\(table.header.count - report.unknownColumns.count) in the codebook). Dialect: \(dialectLine(table)).

            ## Variables

            \(variableTable(report.variables.filter { !$0.derived }))
            """
            let derived = report.variables.filter(\.derived)
            if !derived.isEmpty { text += "\n## Derived variables\n\n" + variableTable(derived) }
            if !report.unknownColumns.isEmpty {
                text += "\nColumns not in the codebook (read, not checked): " + report.unknownColumns.map { clipped($0) }.joined(separator: ", ") + "\n"
            }
            let absent = report.variables.filter { !$0.present && !$0.derived }.map(\.name)
            if !absent.isEmpty {
                text += "\nCodebook variables not in the file: " + absent.joined(separator: ", ") + "\n"
                for name in absent {
                    if let hint = NameHint.hint(for: name, among: report.unknownColumns) { text += "- \(name): \(hint)\n" }
                }
            }
            if !report.isValid {
                text += "\n## Problems\n\n"
                for name in report.missingRequired { text += "- required column \"\(name)\" is missing\n" }
                for v in report.variables where v.invalid > 0 {
                    let lines = v.invalidExamples.map { "line \($0.line) (\"\(clipped($0.value))\")" }.joined(separator: ", ")
                    text += "- \(v.name): \(NumberFormat.grouped(v.invalid)) invalid value\(v.invalid == 1 ? "" : "s"), first at \(lines)\n"
                }
            }
            return text
        }
    }

    static func typeLabel(_ v: VariableSummary, codebook: Codebook) -> String {
        if v.type == .numeric, let variable = codebook.variable(v.name), let r = variable.range {
            return "numeric \(NumberFormat.exact(r[0]))-\(NumberFormat.exact(r[1]))"
        }
        return v.type.rawValue
    }

    static func valueSummary(_ v: VariableSummary, clip: Bool = false) -> String {
        if v.type == .numeric {
            guard let lo = v.minimum, let hi = v.maximum, let mean = v.mean else { return "" }
            return "min \(NumberFormat.exact(lo)), mean \(NumberFormat.fixed(mean, 2)), max \(NumberFormat.exact(hi))"
        }
        let shown = v.values.prefix(8).map { "\(clip ? clipped($0.code) : $0.code) \(NumberFormat.grouped($0.count))" }
        return shown.joined(separator: ", ") + (v.values.count > 8 ? ", ..." : "")
    }
}
