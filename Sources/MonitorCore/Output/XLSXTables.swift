import Foundation

extension TableReport {
    /// The computed tables as an Excel workbook (`monitor tables --format xlsx`): one sheet per table, named
    /// after it ("Tabel 2.2"), in the report's layout (as `--format csv --wide`).
    ///
    /// Percentages are numbers: the unrounded proportion with a percent format at the table's decimals (Excel
    /// shows 47%, and computes with 0.4734...); means are numbers shown with one decimal; n's are integers.
    /// A group significantly higher or lower than the rest of its column block is red or blue, and the block
    /// "Markeringen" under the values repeats every mark as text (▲ ▼ * –), so colour is not the only cue and
    /// the numbers stay numbers. Earlier waves' published figures follow, then the legend.
    public static func xlsx(_ tables: [ComputedTable], wave: String = "2024", thresholds: ReportingThresholds = ReportingThresholds(),
                            alpha: Double = 0.05) throws -> Data {
        var workbook = XLSXWorkbook()
        for table in tables { workbook.add(sheet(table, wave: wave, thresholds: thresholds, alpha: alpha)) }
        return try workbook.data()
    }

    /// Excel's number format for a cell's statistic at `decimals` ("0%", "0.0%", "0.0").
    static func excelFormat(_ statistic: TableSpec.Statistic, decimals: Int) -> String {
        switch statistic {
        case .percent: return decimals > 0 ? "0." + String(repeating: "0", count: decimals) + "%" : "0%"
        case .mean: return "0." + String(repeating: "0", count: max(decimals, 1))
        }
    }

    static func sheet(_ table: ComputedTable, wave: String, thresholds: ReportingThresholds, alpha: Double) -> XLSXWorkbook.Sheet {
        typealias Cell = XLSXWorkbook.Cell
        typealias Style = XLSXWorkbook.Style
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let bold = Style(bold: true)
        var rows: [[Cell]] = []
        let header = [Cell.empty] + table.columns.map { Cell.text($0.block.isEmpty ? $0.label : "\($0.blockLabel): \($0.label)", bold) }

        rows.append([.text(spec.name, bold), .text(spec.title, bold)])
        rows.append([.text("Basis: \(spec.base.label)"), .number(Double(table.baseN))])
        rows.append(header)
        var marks: [[Cell]] = []
        var flags: Set<SmallGroupFlag> = []
        var marked = false
        for row in table.rows {
            var values: [Cell] = [.text(row.label)]
            var markRow: [Cell] = [.text(row.label)]
            for column in table.columns {
                guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else {
                    values.append(.empty)
                    markRow.append(.empty)
                    continue
                }
                flags.insert(cell.flag)
                guard let estimate = cell.estimate else {
                    values.append(.text("–"))
                    markRow.append(.text("–"))
                    continue
                }
                var style = Style(numberFormat: excelFormat(cell.statistic, decimals: decimals))
                switch cell.verdict {
                case .higher?: style.color = String(SVGChart.higherColor.dropFirst()).uppercased(); style.bold = true; marked = true
                case .lower?: style.color = String(SVGChart.lowerColor.dropFirst()).uppercased(); style.bold = true; marked = true
                default: break
                }
                values.append(.number(estimate, style))
                let mark = (cell.flag == .indicative ? "*" : "") + TableReport.mark(cell.verdict)
                markRow.append(.text(mark.trimmingCharacters(in: .whitespaces)))
            }
            rows.append(values)
            marks.append(markRow)
        }
        rows.append([.text("n")] + table.columns.map { .number(Double($0.n)) })

        if flags.contains(.indicative) || flags.contains(.suppressed) || flags.contains(.secondary) || marked {
            rows.append([])
            rows.append([.text("Markeringen", bold)])
            rows.append(header)
            rows += marks
        }

        // Earlier waves: the published figures and the current estimate, as numbers.
        let trended = table.cells.filter { !$0.trend.isEmpty }
        var arrows = false
        var lastWave: String?
        if !trended.isEmpty {
            var waves = (spec.previous ?? []).map(\.wave)
            for cell in trended { for t in cell.trend where !waves.contains(t.wave) { waves.append(t.wave) } }
            let current = wave.isEmpty ? "nu" : wave
            lastWave = waves.last
            rows.append([])
            rows.append([.text("Eerdere metingen (gepubliceerde cijfers)", bold)])
            rows.append([.empty] + (waves + [current]).map { Cell.text($0, bold) } + [.text("verschil met \(waves.last ?? "")", bold)])
            for cell in trended {
                let style = Style(numberFormat: excelFormat(cell.statistic, decimals: cell.statistic == .percent ? decimals : 1))
                let scale = cell.statistic == .percent ? 100.0 : 1.0
                var line: [Cell] = [.text(cell.column.isEmpty ? cell.rowLabel : "\(cell.rowLabel) (\(cell.columnLabel))")]
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
        if marked {
            legend.append("▲ / ▼ (rood / blauw) significant hoger / lager dan de andere groep(en) in hetzelfde kolomblok (design-based t-toets, p < \(NumberFormat.exact(alpha).replacingOccurrences(of: ".", with: ","))).")
        }
        if arrows, let last = lastWave {
            legend.append("↑ / ↓ significant hoger / lager dan in \(last) (z-toets tegen het gepubliceerde percentage en n).")
        }
        if flags.contains(.indicative) { legend.append("* indicatief: minder dan \(thresholds.indicative) respondenten.") }
        if flags.contains(.suppressed) { legend.append("– niet getoond: minder dan \(thresholds.minimum) respondenten.") }
        if flags.contains(.secondary) { legend.append(TableReport.secondaryLegend + ".") }
        if !legend.isEmpty {
            rows.append([])
            rows += legend.map { [.text($0)] }
        }
        let firstWidth = min(60, max(24, Double((table.rows.map(\.label.count) + [10]).max()!) + 2))
        return XLSXWorkbook.Sheet(name: spec.name, rows: rows,
                                  columnWidths: [firstWidth] + Array(repeating: 16, count: max(0, (rows.map(\.count).max() ?? 1) - 1)))
    }
}
