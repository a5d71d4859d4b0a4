import Foundation

extension TableReport {
    /// The computed tables as an Excel workbook (`monitor tables --format xlsx`): one sheet per table, named
    /// after it ("Tabel 2.2"), in the report's layout (as `--format csv --wide`).
    ///
    /// Percentages are numbers: the unrounded proportion with a percent format at the table's decimals (Excel
    /// shows 47%, and computes with 0.4734...); means are numbers shown with one decimal; n's are integers.
    /// A group significantly higher or lower than the rest of its column block is red or blue and bold, and its
    /// mark is a suffix of the cell's number format (47% ▲, 12%*), so colour is not the only cue and the numbers
    /// stay numbers. The column blocks are a header row over the groups (merged, wrapped), the panes are frozen
    /// below the headers and right of the row labels, column widths follow the content, and every sheet prints on
    /// A4 fitted to the page width (landscape when wide). Earlier waves' published figures follow, then the legend.
    public static func xlsx(_ tables: [ComputedTable], wave: String = "2024", thresholds: ReportingThresholds = ReportingThresholds(),
                            alpha: Double = 0.05) throws -> Data {
        var workbook = XLSXWorkbook()
        for table in tables { workbook.add(sheet(table, wave: wave, thresholds: thresholds, alpha: alpha)) }
        return try workbook.data()
    }

    /// Excel's number format for a cell's statistic at `decimals` ("0%", "0.0%", "0.0"), with its marks as a
    /// literal suffix (`0%" ▲"`, `0%"*"`): the cell stays a number and shows "47% ▲" as `monitor tables` prints it.
    static func excelFormat(_ statistic: TableSpec.Statistic, decimals: Int, suffix: String = "") -> String {
        let base: String
        switch statistic {
        case .percent, .share, .rate: base = decimals > 0 ? "0." + String(repeating: "0", count: decimals) + "%" : "0%"
        case .mean: base = "0." + String(repeating: "0", count: max(decimals, 1))
        case .count, .frame: base = "0"
        }
        return suffix.isEmpty ? base : base + "\"" + suffix + "\""
    }

    /// How many characters a header needs when it may wrap: its longest word, and short headers on one line.
    static func headerWidth(_ text: String) -> Int {
        max(text.split(separator: " ").map(\.count).max() ?? 0, min(text.count, 12))
    }

    /// Lines of `text` wrapped at spaces in `width` characters (for row heights).
    static func lineCount(_ text: String, width: Double) -> Int {
        MarkdownTable.wrap(text, width: max(1, Int(width.rounded(.down)) - 1)).count
    }

    static func sheet(_ table: ComputedTable, wave: String, thresholds: ReportingThresholds, alpha: Double) -> XLSXWorkbook.Sheet {
        typealias Cell = XLSXWorkbook.Cell
        typealias Style = XLSXWorkbook.Style
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let bold = Style(bold: true)
        let columns = table.columns
        let hasBlocks = columns.contains { !$0.block.isEmpty }
        var rows: [[Cell]] = []
        var merges: [String] = []
        // Widths in characters of the grid's columns (0: the row labels), from what is in them.
        var widths = [Double](repeating: 6, count: columns.count + 1)
        func fit(_ column: Int, _ characters: Int) {
            while widths.count <= column { widths.append(6) }
            widths[column] = max(widths[column], Double(characters) + 2)
        }
        func ref(_ column: Int, _ row: Int) -> String { XLSXWorkbook.columnName(column) + String(row + 1) }

        // Lines of text over the whole table (title, base, headings, legend): merged to the table's width and
        // wrapped, so that they neither run out of the printed page nor are cut by the next cell.
        var spanning: [(row: Int, column: Int)] = []
        rows.append([.text("\(spec.name) \(spec.title)", Style(bold: true, wrap: true))])
        spanning.append((0, 0))
        rows.append([.text("Basis: \(spec.base.label) (n=\(count(table.baseN)))", Style(wrap: true))])
        spanning.append((1, 0))

        // Headers: with column blocks, the block's label over its groups (merged, centred) and the groups below;
        // a column outside a block (Totaal) has its label in both rows, merged. Labels wrap between words.
        let headerStyle = Style(bold: true, wrap: true, horizontal: "right")
        let blockStyle = Style(bold: true, wrap: true, horizontal: "center")
        let headerTop = rows.count
        if hasBlocks {
            var blockRow: [Cell] = [.empty]
            var groupRow: [Cell] = [.empty]
            var i = 0
            while i < columns.count {
                let column = columns[i]
                if column.block.isEmpty {
                    blockRow.append(.text(column.label, headerStyle))
                    groupRow.append(Cell(.empty, style: headerStyle))
                    merges.append("\(ref(i + 1, headerTop)):\(ref(i + 1, headerTop + 1))")
                    fit(i + 1, headerWidth(column.label) + 1)
                    i += 1
                    continue
                }
                var j = i
                while j < columns.count && columns[j].block == column.block { j += 1 }
                blockRow.append(.text(column.blockLabel, blockStyle))
                for k in i..<j {
                    if k > i { blockRow.append(Cell(.empty, style: blockStyle)) }
                    groupRow.append(.text(columns[k].label, headerStyle))
                    fit(k + 1, headerWidth(columns[k].label) + 1)
                }
                if j - i > 1 { merges.append("\(ref(i + 1, headerTop)):\(ref(j, headerTop))") }
                i = j
            }
            rows.append(blockRow)
            rows.append(groupRow)
        } else {
            rows.append([.empty] + columns.map { Cell.text($0.label, headerStyle) })
            for (i, column) in columns.enumerated() { fit(i + 1, headerWidth(column.label) + 1) }
        }
        let headerRows = rows.count

        var flags: Set<SmallGroupFlag> = []
        var marked = false
        let trended = table.cells.filter { !$0.trend.isEmpty }
        func trendLabel(_ cell: TableCell) -> String { cell.column.isEmpty ? cell.rowLabel : "\(cell.rowLabel) (\(cell.columnLabel))" }
        let labelWidth = min(50, max(12, (table.rows.map(\.label.count) + trended.map { trendLabel($0).count }).max() ?? 0))
        fit(0, labelWidth)
        for row in table.rows {
            var values: [Cell] = [.text(row.label, row.label.count > labelWidth ? Style(wrap: true) : Style())]
            for (c, column) in columns.enumerated() {
                guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else {
                    values.append(.empty)
                    continue
                }
                flags.insert(cell.flag)
                guard let estimate = cell.estimate else {
                    values.append(.text("–", Style(horizontal: "right")))
                    continue
                }
                let suffix = (cell.flag == .indicative ? "*" : "") + TableReport.mark(cell.verdict)
                var style = Style(numberFormat: excelFormat(cell.statistic, decimals: decimals, suffix: suffix))
                switch cell.verdict {
                case .higher?: style.color = String(SVGChart.higherColor.dropFirst()).uppercased(); style.bold = true; marked = true
                case .lower?: style.color = String(SVGChart.lowerColor.dropFirst()).uppercased(); style.bold = true; marked = true
                default: break
                }
                values.append(.number(estimate, style))
                fit(c + 1, value(cell, decimals: decimals).count + suffix.count)
            }
            rows.append(values)
        }
        rows.append([.text("n")] + columns.map { .number(Double($0.n)) })
        for (c, column) in columns.enumerated() { fit(c + 1, count(column.n).count) }

        // Earlier waves: the published figures and the current estimate, as numbers.
        var arrows = false
        var lastWave: String?
        if !trended.isEmpty {
            var waves = (spec.previous ?? []).map(\.wave)
            for cell in trended { for t in cell.trend where !waves.contains(t.wave) { waves.append(t.wave) } }
            let current = wave.isEmpty ? "nu" : wave
            lastWave = waves.last
            rows.append([])
            spanning.append((rows.count, 0))
            rows.append([.text("Eerdere metingen (gepubliceerde cijfers)", Style(bold: true, wrap: true))])
            let header = waves + [current, "verschil met \(waves.last ?? "")"]
            rows.append([.empty] + header.map { Cell.text($0, headerStyle) })
            for (k, text) in header.enumerated() { fit(k + 1, headerWidth(text) + 1) }
            for cell in trended {
                let style = Style(numberFormat: excelFormat(cell.statistic, decimals: cell.statistic.isProportion ? decimals : 1))
                let scale = cell.statistic.isProportion ? 100.0 : 1.0
                let label = trendLabel(cell)
                var line: [Cell] = [.text(label, label.count > labelWidth ? Style(wrap: true) : Style())]
                for w in waves {
                    line.append(cell.trend.first { $0.wave == w }.map { Cell.number($0.published / scale, style) } ?? .empty)
                }
                line.append(cell.estimate.map { Cell.number($0, style) } ?? .text("–"))
                switch cell.trend.last?.verdict {
                case .higher?: line.append(.text("↑ hoger")); arrows = true
                case .lower?: line.append(.text("↓ lager")); arrows = true
                default: line.append(.empty)
                }
                rows.append(line)
            }
        }

        var legend: [String] = []
        if marked { legend.append("▲ / ▼ (rood / blauw) " + String(TableReport.markLegend(table).dropFirst(6))) }
        if arrows, let last = lastWave {
            legend.append("↑ / ↓ significant hoger / lager dan in \(last) (z-toets tegen het gepubliceerde percentage en n).")
        }
        if flags.contains(.indicative) { legend.append("* indicatief: minder dan \(thresholds.indicative) respondenten.") }
        if flags.contains(.suppressed) { legend.append("– niet getoond: minder dan \(thresholds.minimum) respondenten.") }
        if flags.contains(.secondary) { legend.append(TableReport.secondaryLegend + ".") }
        if !legend.isEmpty {
            rows.append([])
            for line in legend {
                spanning.append((rows.count, 0))
                rows.append([.text(line, Style(wrap: true))])
            }
        }

        widths = widths.map { min($0, 40) }
        // A block's label wraps over its groups' columns: its longest word must fit in them (Overheid (samengevoegd)).
        var start = 0
        while hasBlocks && start < columns.count {
            let block = columns[start].block
            let span = block.isEmpty ? 1 : columns[start...].prefix { $0.block == block }.count
            let longest = Double(columns[start].blockLabel.split(separator: " ").map(\.count).max() ?? 0) + 3
            let room = widths[(start + 1)...(start + span)].reduce(0, +)
            if !block.isEmpty && longest > room { widths[start + span] += longest - room }
            start += span
        }
        let last = widths.count - 1
        var spans: [Int: [Int: Int]] = [:]  // row -> first column -> columns spanned
        for (r, c) in spanning where last > c {
            merges.append("\(ref(c, r)):\(ref(last, r))")
            spans[r, default: [:]][c] = last - c + 1
        }
        if hasBlocks {  // a block's label spans its groups
            var c = 1
            while c <= columns.count {
                let block = columns[c - 1].block
                let span = block.isEmpty ? 1 : columns[(c - 1)...].prefix { $0.block == block }.count
                if !block.isEmpty { spans[headerTop, default: [:]][c] = span }
                c += span
            }
        }
        // Rows high enough for their wrapped text (Excel does not grow a row for a merged cell).
        var rowHeights: [Int: Double] = [:]
        for (r, row) in rows.enumerated() {
            var lines = 1
            for (c, cell) in row.enumerated() where cell.style.wrap && c < widths.count {
                guard case .text(let text) = cell.value else { continue }
                if hasBlocks && r == headerTop && c > 0 && columns[c - 1].block.isEmpty { continue }  // merged over two rows
                let span = spans[r]?[c] ?? 1
                lines = max(lines, lineCount(text, width: widths[c..<min(widths.count, c + span)].reduce(0, +)))
            }
            if lines > 1 { rowHeights[r] = 15 * Double(lines) }
        }

        var sheet = XLSXWorkbook.Sheet(name: spec.name, rows: rows, columnWidths: widths)
        sheet.frozenRows = headerRows
        sheet.frozenColumns = 1
        sheet.merges = merges
        sheet.rowHeights = rowHeights
        sheet.landscape = widths.reduce(0, +) > 100
        return sheet
    }
}
