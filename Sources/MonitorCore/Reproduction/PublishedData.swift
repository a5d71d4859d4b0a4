import Foundation

/// One number printed in the 2024 report (a row of `data/published/monitor-2024-published.csv`).
public struct ReportFigure: Sendable, Equatable {
    public var id: String
    public var survey: String
    public var family: String
    public var table: String
    public var base: String
    public var baseN: Int?
    public var row: String
    public var column: String
    public var groupN: Int?
    /// Printed value; nil where the report prints "-".
    public var value: Double?
    public var year: Int?
    public var sourceLine: String
    public var note: String

    public var isFlagged: Bool { note.contains("INCONSISTENT") || note.contains("SUSPECT") }

    /// The part of the report the figure is printed in, from its table label: "1"-"5" for the chapters
    /// ("Tabel 2.2", "Figuur 3.14", "tekst 2.3 (Figuur 2.9)", "tekst 5 Conclusies"), "B" and "C" for the
    /// bijlagen ("Tabel 4.3 (bijlage B, Responsoverzicht)", "tekst bijlage C") and "samenvatting" for the
    /// management summary.
    public var chapter: String { Self.chapter(ofTable: table) }

    /// The part of the report a table label belongs to (see `chapter`).
    public static func chapter(ofTable table: String) -> String {
        let label = table.lowercased()
        if label.contains("bijlage b") { return "B" }
        if label.contains("bijlage c") { return "C" }
        if label.contains("managementsamenvatting") && !label.contains("conclusies") { return "samenvatting" }
        let words = label.split(separator: " ")
        guard words.count > 1, let digit = words[1].first, digit.isNumber else { return "?" }
        return String(digit)
    }
}

/// Where a published figure lives among the computed tables (`data/published/cells.csv`).
///
/// `row` is a tidy row key (`slachtoffer`, `ernst_categorie=zeer_ernstig`), or one of three derived forms:
/// `rank=K` (the K-th largest estimate among the table's rows in the column: Tabel 2.18's "belangrijkste reden"),
/// `decrease:WAVE:<row key>` (the printed decrease in percentage points since WAVE: that wave's published figure
/// in the specification's `previous` minus the estimate), `times:<table>:<row key>:<row key>` (the estimate times
/// the percentage of another table's Totaal cell, over 100: Figuur 2.10's share of all ambtsdragers is prevalence
/// × the split among victims). `n_check` `count` says the printed value is itself an
/// unweighted count: of the respondents in the cell with the row's level, or (row without a level) with a valid
/// answer.
public struct FigureCell: Sendable, Equatable {
    public enum NCheck: String, Sendable { case base, group, both, none, count }
    /// The derived forms of `row`.
    public enum RowForm: Sendable, Equatable {
        case cell(String)
        case rank(Int)
        case decrease(wave: String, row: String)
        /// The estimate times the percentage of another table's Totaal cell: a share of all respondents that the
        /// report computes as prevalence × the split among victims (`times:<table>:<row key>:<row key here>`).
        case times(table: String, row: String, cellRow: String)
    }
    public var id: String
    public var survey: String
    /// Spec key (T2.2); empty when no specification computes the figure.
    public var table: String
    public var row: String
    /// nil for the Totaal column, else `block=code`.
    public var column: String?
    public var nCheck: NCheck
    public var reason: String

    public var isMapped: Bool { !table.isEmpty }

    public var form: RowForm {
        if row.hasPrefix("rank="), let k = Int(row.dropFirst(5)), k >= 1 { return .rank(k) }
        if row.hasPrefix("times:") {
            let parts = row.split(separator: ":", maxSplits: 3).map(String.init)
            if parts.count == 4 { return .times(table: parts[1], row: parts[2], cellRow: parts[3]) }
        }
        if row.hasPrefix("decrease:") {
            let parts = row.split(separator: ":", maxSplits: 2).map(String.init)
            if parts.count == 3 { return .decrease(wave: parts[1], row: parts[2]) }
        }
        return .cell(row)
    }
}

/// A statement of the report's text on whether a difference is significant.
public struct SignificanceStatement: Sendable, Equatable {
    public var id: String
    public var survey: String
    public var statement: String
    public var groupA: String
    public var groupB: String
    public var measure: String
    public var verdict: Comparison.Verdict
    public var sourceLine: String
    /// SIG-E: the text says so explicitly; SIG-I: inferred from the rule that only significant differences are named.
    public var isExplicit: Bool { id.hasPrefix("SIG-E") }
}

/// Which test of which table checks a statement (`data/published/significance-map.csv`).
public struct SignificanceLink: Sendable, Equatable {
    public enum Against: Sendable, Equatable {
        case rest
        case group(String)
        case wave(String)
    }
    public var id: String
    public var table: String
    public var row: String
    public var block: String
    public var groupA: String
    public var against: Against?
    public var reason: String
    public var isMapped: Bool { !table.isEmpty && against != nil }
}

/// The report's published figures, their cells, and the significance statements, as kept in `data/published/`.
public struct PublishedData: Sendable {
    public var figures: [ReportFigure]
    public var cells: [FigureCell]
    public var statements: [SignificanceStatement]
    public var links: [SignificanceLink]
    /// Figures documented as irreconcilable (id -> reason), from `data/published/irreconcilable.csv`.
    public var irreconcilable: [String: String]
    /// Figures the calibration of the bundled synthetic files has not reached (id -> reason), from
    /// `data/published/not-reached.csv`: a shortfall of the generator, not of the report. Reported, not failed,
    /// so that CI catches any new difference.
    public var notReached: [String: String] = [:]

    /// The figures `monitor reproduce` checks: every figure the report prints for 2024, of every survey and
    /// family (the report's four, response and the other sections). Figures no table computes yet are
    /// reported as not computed, with the reason `cells.csv` gives.
    public var checkedFigures: [ReportFigure] {
        figures.filter { $0.year == 2024 }
    }

    public func figure(_ id: String) -> ReportFigure? { figures.first { $0.id == id } }

    public static func load(directory: String) throws -> PublishedData {
        func rows(_ name: String, required: Bool = true) throws -> [[String: String]] {
            let path = (directory as NSString).appendingPathComponent(name)
            if !required && !FileManager.default.fileExists(atPath: path) { return [] }
            let table = try CSVReader().read(.file(path), columns: .all)
            return (0..<table.rowCount).map { r in
                Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0[r]) })
            }
        }
        func int(_ s: String?) -> Int? { s.flatMap { Int($0.replacingOccurrences(of: ".", with: "")) } }
        let figures = try rows("monitor-2024-published.csv").map { r in
            ReportFigure(id: r["id"] ?? "", survey: r["survey"] ?? "", family: r["family"] ?? "", table: r["table"] ?? "",
                         base: r["base"] ?? "", baseN: int(r["base_n"]), row: r["row"] ?? "", column: r["column"] ?? "",
                         groupN: int(r["group_n"]), value: r["value"].flatMap { Double($0.replacingOccurrences(of: ",", with: ".")) },
                         year: int(r["year"]), sourceLine: r["source_line"] ?? "", note: r["note"] ?? "")
        }
        let cells = try rows("cells.csv").map { r in
            FigureCell(id: r["id"] ?? "", survey: r["survey"] ?? "", table: r["table"] ?? "", row: r["row"] ?? "",
                       column: (r["column"] ?? "total").isEmpty || r["column"] == "total" ? nil : r["column"],
                       nCheck: FigureCell.NCheck(rawValue: r["n_check"] ?? "none") ?? .none, reason: r["reason"] ?? "")
        }
        let statements = try rows("monitor-2024-significance.csv").map { r in
            SignificanceStatement(id: r["id"] ?? "", survey: r["survey"] ?? "", statement: r["statement"] ?? "",
                                  groupA: r["group_a"] ?? "", groupB: r["group_b"] ?? "", measure: r["measure"] ?? "",
                                  verdict: Comparison.Verdict(rawValue: r["verdict"] ?? "") ?? .notTested, sourceLine: r["source_line"] ?? "")
        }
        let links = try rows("significance-map.csv").map { r -> SignificanceLink in
            let b = r["group_b"] ?? ""
            let against: SignificanceLink.Against? = b.isEmpty ? nil : b == "rest" ? .rest
                : b.hasPrefix("wave:") ? .wave(String(b.dropFirst(5))) : .group(b)
            return SignificanceLink(id: r["id"] ?? "", table: r["table"] ?? "", row: r["row"] ?? "", block: r["block"] ?? "",
                                    groupA: r["group_a"] ?? "", against: against, reason: r["reason"] ?? "")
        }
        var irreconcilable: [String: String] = [:]
        for r in try rows("irreconcilable.csv", required: false) { irreconcilable[r["id"] ?? ""] = r["reason"] ?? "" }
        var notReached: [String: String] = [:]
        for r in try rows("not-reached.csv", required: false) { notReached[r["id"] ?? ""] = r["reason"] ?? "" }
        return PublishedData(figures: figures, cells: cells, statements: statements, links: links, irreconcilable: irreconcilable,
                             notReached: notReached)
    }
}
