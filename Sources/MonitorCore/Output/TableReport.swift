import Foundation

/// Renders computed tables: Markdown in the report's layout, tidy CSV (unrounded), wide CSV (the report's
/// layout, numbers as numbers), Dutch Excel CSV, and JSON.
public enum TableReport {
    public enum Format: String, Sendable, CaseIterable { case md, csv, json }

    public struct Options: Sendable {
        public var wide: Bool
        public var excel: Bool
        /// The current wave's label (e.g. "2024").
        public var wave: String

        public init(wide: Bool = false, excel: Bool = false, wave: String = "") {
            self.wide = wide
            self.excel = excel
            self.wave = wave
        }
    }

    public static func render(_ tables: [ComputedTable], format: Format, options: Options = Options()) -> String {
        switch format {
        case .md: return tables.map { markdown($0, wave: options.wave) }.joined(separator: "\n")
        // Excel reads a CSV as UTF-8 (▲ ▼ – ë) only after a byte-order mark.
        case .csv: return (options.excel ? "\u{FEFF}" : "") + (options.wide ? wide(tables, excel: options.excel) : tidy(tables, options: options))
        case .json: return EstimationReport.json(tables)
        }
    }

    // MARK: Markdown

    /// Dutch thousands separator, as the report prints n: 1.076.
    public static func count(_ n: Int) -> String { NumberFormat.grouped(n).replacingOccurrences(of: ",", with: ".") }

    /// A cell as the report prints it: "52%" (rounded to `decimals`), or a mean with a decimal comma.
    /// The legend of the ▲ / ▼ marks: the test that made them and its level.
    public static func markLegend(_ table: ComputedTable) -> String {
        let level = "p < " + NumberFormat.exact(table.alpha).replacingOccurrences(of: ".", with: ",")
        let test: String
        switch table.groupTest {
        case .wald: test = "design-based t-toets"
        case .raoScott:
            let means = table.cells.contains { $0.statistic == .mean && ($0.verdict == .higher || $0.verdict == .lower) }
            test = "percentages: Rao-Scott F-toets van groep × antwoord" + (means ? "; gemiddelden: design-based t-toets" : "")
        }
        return "▲ / ▼ significant hoger / lager dan de andere groep(en) in hetzelfde kolomblok (\(test), \(level))."
    }

    /// The legend of a cell withheld by secondary suppression (`TableEngine.protectDifferencing`).
    public static let secondaryLegend = "– niet getoond (secundair): zou een niet getoonde kleine groep herleidbaar maken"

    public static func value(_ cell: TableCell, decimals: Int) -> String {
        guard let estimate = cell.estimate else { return "–" }
        switch cell.statistic {
        case .percent, .share, .rate: return NumberFormat.fixed(estimate * 100, decimals).replacingOccurrences(of: ".", with: ",") + "%"
        case .mean: return NumberFormat.fixed(estimate, max(decimals, 1)).replacingOccurrences(of: ".", with: ",")
        case .count, .frame:
            return estimate == estimate.rounded() && abs(estimate) < 1e15 ? count(Int(estimate)) : NumberFormat.fixed(estimate, 0)
        }
    }

    static func mark(_ verdict: Comparison.Verdict?) -> String {
        switch verdict {
        case .higher?: return " ▲"
        case .lower?: return " ▼"
        default: return ""
        }
    }

    // MARK: CSV

    public static let tidyColumns = ["table", "name", "survey", "family", "wave", "row", "row_label", "block", "column", "column_label",
                                     "statistic", "n", "n_eff", "estimate", "se", "ci_low", "ci_high", "flag", "verdict", "p_value"]

    static func tidy(_ tables: [ComputedTable], options: Options) -> String {
        let delimiter: Character = options.excel ? ";" : ","
        var csv = CSVWriter(header: tidyColumns, delimiter: delimiter)
        func number(_ x: Double?) -> String {
            guard let x, x.isFinite else { return "" }
            let text = NumberFormat.exact(x)
            return options.excel ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        for table in tables {
            let spec = table.spec
            for cell in table.cells {
                csv.row([spec.key, spec.name, spec.survey, spec.family.rawValue, options.wave, cell.row, cell.rowLabel, cell.block,
                         cell.column, cell.columnLabel, cell.statistic.rawValue, String(cell.n), number(cell.effectiveN),
                         number(cell.estimate), number(cell.standardError), number(cell.ciLow), number(cell.ciHigh),
                         cell.flag.rawValue, cell.verdict?.rawValue ?? "", number(cell.pValue)])
                // Earlier waves: the published figure, and whether the current estimate differs from it.
                for trend in cell.trend {
                    let estimate = cell.statistic.isProportion ? trend.published / 100 : trend.published
                    csv.row([spec.key, spec.name, spec.survey, spec.family.rawValue, trend.wave, cell.row, cell.rowLabel, cell.block,
                             cell.column, cell.columnLabel, cell.statistic.rawValue, trend.n.map(String.init) ?? "", "",
                             number(estimate), "", "", "", "published", "current_\(trend.verdict.rawValue)", number(trend.pValue)])
                }
            }
        }
        return csv.text
    }

    /// The report's layout: one block per table (title, base, header, rows, n), numbers rounded as printed and
    /// numbers only. A table with marks has a column after each group's numbers with them, as `monitor tables`
    /// prints them after the number: ▲ / ▼ (significantly higher / lower), `*` (indicatief), `–` (not shown).
    static func wide(_ tables: [ComputedTable], excel: Bool) -> String {
        let delimiter: Character = excel ? ";" : ","
        var out = ""
        for (t, table) in tables.enumerated() {
            let spec = table.spec
            let decimals = spec.decimals ?? 0
            let marked = table.cells.contains { $0.flag != .none || $0.verdict == .higher || $0.verdict == .lower }
                || table.columns.contains { $0.n < 50 }
            func columns(_ cells: (ComputedTable.Column) -> (String, String)) -> [String] {
                table.columns.flatMap { column -> [String] in
                    let (value, mark) = cells(column)
                    return marked ? [value, mark] : [value]
                }
            }
            var csv = CSVWriter(header: [spec.name, spec.title], delimiter: delimiter)
            csv.row(["Basis: \(spec.base.label)", String(table.baseN)])
            csv.row([""] + columns { ($0.block.isEmpty ? $0.label : "\($0.blockLabel): \($0.label)", "") })
            for row in table.rows {
                csv.row([row.label] + columns { column in
                    guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else { return ("", "") }
                    let mark = (cell.flag == .indicative ? "*" : "") + TableReport.mark(cell.verdict)
                    guard let e = cell.estimate else { return ("", "–") }
                    let shown = cell.statistic.isProportion ? NumberFormat.fixed(e * 100, decimals)
                        : NumberFormat.fixed(e, cell.statistic.isCount ? 0 : max(decimals, 1))
                    return (excel ? shown.replacingOccurrences(of: ".", with: ",") : shown, mark.trimmingCharacters(in: .whitespaces))
                })
            }
            csv.row(["n"] + columns { (String($0.n), $0.n < 50 && $0.n >= 10 ? "*" : "") })
            out += (t > 0 ? "\n" : "") + csv.text
        }
        return out
    }
}
