import Foundation

/// A table in Markdown as the report prints it, in lines a person can read (at most `lineLimit` characters).
///
/// The column blocks are printed as the report and the HTML page do: a header row with each block's label over
/// its first column (empty cells after it), then the groups' short labels as the first body row(s), wrapped at
/// `groupLabelWidth` characters (a longer word stays whole) and set against the numbers below them. A column outside any block (Totaal) has
/// its label in the header row. A table too wide for `lineLimit` is printed as several tables side by side in
/// the report's order, split between column blocks (each with the row labels and the row n); row labels longer
/// than `rowLabelWidth` then wrap over continuation rows. Titles and legends wrap as Markdown paragraphs.
extension TableReport {
    /// The longest line of the Markdown output.
    public static let lineLimit = 160
    /// Group labels wrap at this many characters (or the width of the column's numbers, if wider).
    static let groupLabelWidth = 16
    /// Row labels wrap at this many characters when the table would otherwise be too wide.
    static let rowLabelWidth = 48

    public static func markdown(_ table: ComputedTable, wave: String = "") -> String {
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let heading = "## \(spec.name) \(spec.title)"
        var out = heading.count <= lineLimit ? heading + "\n\n" : "## \(spec.name)\n\n" + MarkdownTable.paragraph(spec.title, width: lineLimit) + "\n\n"
        out += MarkdownTable.paragraph("Basis: \(spec.base.label) (n=\(count(table.baseN)))", width: lineLimit) + "\n\n"

        var flags: Set<SmallGroupFlag> = []
        var anyMark = false
        var values: [[String]] = []
        for row in table.rows {
            values.append(table.columns.map { column in
                guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else { return "" }
                flags.insert(cell.flag)
                if cell.verdict == .higher || cell.verdict == .lower { anyMark = true }
                return value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "") + mark(cell.verdict)
            })
        }
        let nRow = table.columns.map { count($0.n) + ($0.n < 50 && $0.n >= 10 ? "*" : "") }
        out += blockTables(table, values: values, nRow: nRow).map { $0.render() }.joined(separator: "\n")

        // Earlier waves.
        let trended = table.cells.filter { !$0.trend.isEmpty }
        if !trended.isEmpty {
            let waves = (spec.previous ?? []).map(\.wave)
            var t = MarkdownTable(headers: [""] + waves + [wave.isEmpty ? "nu" : wave], alignments: [.left] + waves.map { _ in .right } + [.right])
            for cell in trended {
                let label = cell.column.isEmpty ? cell.rowLabel : "\(cell.rowLabel) (\(cell.columnLabel))"
                var line = [label]
                for w in waves {
                    line.append(cell.trend.first { $0.wave == w }.map {
                        NumberFormat.fixed($0.published, cell.statistic.isProportion ? decimals : 1).replacingOccurrences(of: ".", with: ",")
                            + (cell.statistic.isProportion ? "%" : "")
                    } ?? "")
                }
                let latest = cell.trend.last
                let arrow = latest?.verdict == .higher ? " ↑" : (latest?.verdict == .lower ? " ↓" : "")
                line.append(value(cell, decimals: decimals) + arrow)
                t.add(line)
            }
            let overflow = t.lineWidth() - lineLimit
            if overflow > 0 { t.maxWidths[0] = max(rowLabelWidth, t.columnWidths()[0] - overflow) }
            out += "\nEerdere metingen (gepubliceerde cijfers):\n\n" + t.render()
            if let last = waves.last {
                out += "\n↑ / ↓ significant hoger / lager dan in \(last) (z-toets tegen het gepubliceerde percentage en n).\n"
            }
        }
        var legend: [String] = []
        if anyMark { legend.append(TableReport.markLegend(table)) }
        if flags.contains(.indicative) { legend.append("* indicatief: minder dan 50 respondenten.") }
        if flags.contains(.suppressed) { legend.append("– niet getoond: minder dan 10 respondenten.") }
        if flags.contains(.secondary) { legend.append(TableReport.secondaryLegend + ".") }
        if !legend.isEmpty { out += "\n" + legend.map { MarkdownTable.paragraph($0, width: lineLimit) }.joined(separator: "\n") + "\n" }
        return out
    }

    /// The Markdown tables of one report table: one when it fits in `lineLimit`, else one per run of column
    /// blocks that fits (a block wider than the limit on its own is split, its label repeated with "(vervolg)").
    static func blockTables(_ table: ComputedTable, values: [[String]], nRow: [String]) -> [MarkdownTable] {
        let columns = table.columns
        let hasBlocks = columns.contains { !$0.block.isEmpty }
        // Runs of columns that stay together: a block's groups, or one column outside any block.
        var runs: [[Int]] = []
        for (i, column) in columns.enumerated() {
            if let last = runs.last?.last, !column.block.isEmpty, columns[last].block == column.block { runs[runs.count - 1].append(i) } else { runs.append([i]) }
        }
        let valueWidths = columns.indices.map { i in max(nRow[i].count, values.map { $0[i].count }.max() ?? 0) }
        let groupLines = columns.indices.map { i -> [String] in
            guard hasBlocks, !columns[i].block.isEmpty else { return [] }
            let longestWord = columns[i].label.split(separator: " ").map(\.count).max() ?? 0
            return MarkdownTable.wrap(columns[i].label, width: max(groupLabelWidth, valueWidths[i], longestWord))
        }
        func header(_ i: Int, first: Bool, continued: Bool) -> String {
            if columns[i].block.isEmpty { return columns[i].label }
            guard hasBlocks else { return "\(columns[i].blockLabel): \(columns[i].label)" }
            return first ? columns[i].blockLabel + (continued ? " (vervolg)" : "") : ""
        }
        func width(_ i: Int, first: Bool, continued: Bool = false) -> Int {
            max(3, valueWidths[i], header(i, first: first, continued: continued).count, groupLines[i].map(\.count).max() ?? 0)
        }
        let labels = table.rows.map(\.label) + ["n"]
        let naturalLabel = max(3, labels.map(\.count).max() ?? 0)
        func lineWidth(_ part: [(Int, Bool, Bool)], label: Int) -> Int {
            label + part.map { width($0.0, first: $0.1, continued: $0.2) }.reduce(0, +) + 3 * (part.count + 1) + 1
        }
        let all = runs.flatMap { run in run.enumerated().map { (run[$0.offset], $0.offset == 0, false) } }
        var labelWidth = naturalLabel
        var parts: [[(Int, Bool, Bool)]] = [all]
        if lineWidth(all, label: naturalLabel) > lineLimit {
            labelWidth = min(naturalLabel, rowLabelWidth)
            if lineWidth(all, label: labelWidth) > lineLimit {
                // Pack whole runs while they fit; a run that does not fit alone goes column by column.
                parts = [[]]
                func place(_ item: (Int, Bool, Bool)) {
                    if !parts[parts.count - 1].isEmpty && lineWidth(parts[parts.count - 1] + [item], label: labelWidth) > lineLimit { parts.append([]) }
                    parts[parts.count - 1].append(item)
                }
                for run in runs {
                    let items = run.enumerated().map { (run[$0.offset], $0.offset == 0, false) }
                    if lineWidth(items, label: labelWidth) <= lineLimit {
                        if !parts[parts.count - 1].isEmpty && lineWidth(parts[parts.count - 1] + items, label: labelWidth) > lineLimit { parts.append([]) }
                        parts[parts.count - 1] += items
                    } else {
                        var started = false
                        for item in items {
                            let opensPart = parts[parts.count - 1].isEmpty || lineWidth(parts[parts.count - 1] + [item], label: labelWidth) > lineLimit
                            // The first column of a part shows the block's label, "(vervolg)" after the block's start.
                            place(opensPart ? (item.0, true, started) : item)
                            started = true
                        }
                    }
                }
            }
        }
        return parts.map { part in
            let blockHeader = part.map { !columns[$0.0].block.isEmpty }
            var md = MarkdownTable(headers: [""] + part.map { header($0.0, first: $0.1, continued: $0.2) },
                                   alignments: [.left] + part.map { _ in .right },
                                   maxWidths: [labelWidth < naturalLabel ? labelWidth : nil] + part.map { _ in nil })
            md.headerAlignments = [.left] + blockHeader.map { $0 ? .left : .right }
            // The groups' labels, the last line of each just above its numbers.
            let height = part.map { groupLines[$0.0].count }.max() ?? 0
            for k in 0..<height {
                md.add([""] + part.map { item in
                    let lines = groupLines[item.0]
                    let offset = k - (height - lines.count)
                    return offset >= 0 ? lines[offset] : ""
                })
            }
            for (r, row) in table.rows.enumerated() { md.add([row.label] + part.map { values[r][$0.0] }) }
            md.add(["n"] + part.map { nRow[$0.0] })
            return md
        }
    }
}

extension TableReport {
    /// The catalogue as `monitor tables --list` prints it: per survey a Markdown table of number, family, title,
    /// base, row variables and column blocks, long fields wrapped over continuation rows (a variable name longer
    /// than its column after an `_`), every line at most `lineLimit` characters; then the count.
    public static func catalogue(_ specs: [TableSpec]) -> String {
        var surveys: [String] = []
        for spec in specs where !surveys.contains(spec.survey) { surveys.append(spec.survey) }
        var out = ""
        for survey in surveys {
            var md = MarkdownTable(headers: ["table", "family", "title", "basis", "rows", "columns"], maxWidths: [nil, nil, 40, 26, 28, 22])
            for s in specs where s.survey == survey {
                md.add([s.name, s.family.rawValue, s.title, s.base.label, s.rows.map(\.variable).joined(separator: ", "),
                        s.columns.map { $0.by ?? "totaal" }.joined(separator: ", ")])
            }
            out += "### \(survey)\n\n" + md.render() + "\n"
        }
        return out + "\(specs.count) tables\n"
    }
}
