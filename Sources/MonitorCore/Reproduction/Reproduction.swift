import Foundation

/// A published figure against what the tables compute.
public struct FigureCheck: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Within the printed precision (and the printed n's agree).
        case reproduced
        /// Off by more than rounding, or an n differs: a failure unless documented.
        case differs
        /// Differs, and documented as irreconcilable (data/published/irreconcilable.csv, docs/errata.md).
        case irreconcilable
        /// No table specification computes it (reason in data/published/cells.csv).
        case notComputed = "not_computed"
        /// Differs, and listed as not yet reached by the bundled files' calibration (data/published/not-reached.csv).
        case notReached = "not_reached"
    }
    public var id: String
    public var survey: String
    public var table: String
    public var spec: String
    public var cell: String
    public var published: Double?
    /// Unrounded (percent for percentages).
    public var reproduced: Double?
    public var difference: Double?
    public var publishedN: Int?
    public var reproducedN: Int?
    public var status: Status
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case id, survey, table, spec, cell, published, reproduced, difference, publishedN = "published_n", reproducedN = "reproduced_n", status, reason
    }
}

/// A significance statement of the report against the test on the data.
public struct StatementCheck: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case held
        case notHeld = "not_held"
        case notChecked = "not_checked"
    }
    public var id: String
    public var survey: String
    public var explicit: Bool
    public var comparison: String
    public var expected: Comparison.Verdict
    public var found: Comparison.Verdict?
    public var pValue: Double?
    public var status: Status
    public var reason: String
    /// The same statement under the other test of a group against the rest or a pair (`GroupTest`): what the
    /// choice of test does to the report's statements. nil for a comparison with an earlier wave.
    public var alternative: Alternative?

    public struct Alternative: Sendable, Codable, Equatable {
        public var test: GroupTest
        public var found: Comparison.Verdict?
        public var pValue: Double?
        public var status: Status
        enum CodingKeys: String, CodingKey { case test, found, pValue = "p_value", status }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(test, forKey: .test)
            try c.encode(found, forKey: .found)
            if let pValue, pValue.isFinite { try c.encode(pValue, forKey: .pValue) } else { try c.encodeNil(forKey: .pValue) }
            try c.encode(status, forKey: .status)
        }
    }

    enum CodingKeys: String, CodingKey { case id, survey, explicit, comparison, expected, found, pValue = "p_value", status, reason, alternative }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(survey, forKey: .survey)
        try c.encode(explicit, forKey: .explicit)
        try c.encode(comparison, forKey: .comparison)
        try c.encode(expected, forKey: .expected)
        try c.encode(found, forKey: .found)
        if let pValue, pValue.isFinite { try c.encode(pValue, forKey: .pValue) } else { try c.encodeNil(forKey: .pValue) }
        try c.encode(status, forKey: .status)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(alternative, forKey: .alternative)
    }
}

/// Checks the published figures and significance statements against computed tables (no I/O).
public enum Reproduction {
    /// Whether a computed value shows as the printed one: |reproduced − published| ≤ half a unit of the last
    /// printed decimal (so 46.5 and 47.49 both print as 47).
    public static func matches(_ reproduced: Double, published: Double, decimals: Int) -> Bool {
        abs(reproduced - published) <= 0.5 * pow(10, Double(-decimals)) + 1e-9
    }

    /// The checked figures of a survey whose respondent file is not loaded (no bundled file, or not asked
    /// for): each is not computed, with the reason.
    public static func uncomputedFigures(_ data: PublishedData, survey: String, reason: String) -> [FigureCheck] {
        data.checkedFigures.filter { $0.survey == survey }.map { figure in
            FigureCheck(id: figure.id, survey: survey, table: figure.table, spec: "", cell: "", published: figure.value,
                        reproduced: nil, difference: nil, publishedN: nil, reproducedN: nil, status: .notComputed, reason: reason)
        }
    }

    /// Every checked figure of one survey. `tables` are the survey's computed tables by spec key; `engine`
    /// answers the n's of whole rows.
    public static func checkFigures(_ data: PublishedData, survey: String, tables: [String: ComputedTable], engine: TableEngine) throws -> [FigureCheck] {
        let cells = Dictionary(data.cells.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [FigureCheck] = []
        for figure in data.checkedFigures where figure.survey == survey {
            var check = FigureCheck(id: figure.id, survey: survey, table: figure.table, spec: "", cell: "", published: figure.value,
                                    reproduced: nil, difference: nil, publishedN: nil, reproducedN: nil, status: .notComputed, reason: "")
            guard let cell = cells[figure.id], cell.isMapped else {
                check.reason = cells[figure.id]?.reason ?? "not in data/published/cells.csv"
                if let reason = data.irreconcilable[figure.id] {
                    check.status = .irreconcilable
                    check.reason = reason
                }
                out.append(check)
                continue
            }
            check.spec = cell.table
            check.cell = cell.row + " | " + (cell.column ?? "total")
            guard let table = tables[cell.table] else {
                check.status = .differs
                check.reason = "table \(cell.table) not computed"
                out.append(check)
                continue
            }
            let block = cell.column.map { String($0.split(separator: "=", maxSplits: 1)[0]) } ?? ""
            let column = cell.column.map { String($0.split(separator: "=", maxSplits: 1).last ?? "") } ?? ""
            if cell.nCheck == .count || cell.form != .cell(cell.row) {
                out.append(try checkDerived(figure, cell: cell, table: table, block: block, column: column, engine: engine, data: data,
                                            tables: tables, check: check))
                continue
            }
            guard let computed = table.cell(row: cell.row, block: block, column: column) else {
                check.status = .differs
                check.reason = "no cell \(check.cell) in \(table.spec.name)"
                out.append(check)
                continue
            }
            let scale = computed.statistic.isProportion ? 100.0 : 1.0
            check.reproduced = computed.estimate.map { $0 * scale }
            var problems: [String] = []
            if let published = figure.value {
                if let r = check.reproduced {
                    check.difference = r - published
                    if !matches(r, published: published, decimals: table.spec.decimals ?? 0) { problems.append("value") }
                } else {
                    problems.append("no estimate")
                }
            }
            if [.group, .both].contains(cell.nCheck), let n = figure.groupN {
                check.publishedN = n
                check.reproducedN = computed.n
                if computed.n != n { problems.append("group n \(computed.n), printed \(n)") }
            }
            if [.base, .both].contains(cell.nCheck), let n = figure.baseN {
                let baseN = try engine.rowBaseN(table.spec, row: cell.row)
                if check.publishedN == nil { check.publishedN = n; check.reproducedN = baseN }
                if baseN != n { problems.append("base n \(baseN), printed \(n)") }
            }
            settle(&check, problems: problems, data: data)
            if check.status == .reproduced && check.reason.isEmpty && figure.value == nil {
                check.reason = "printed '-' (no value shown); only the n is compared"
            }
            out.append(check)
        }
        return out
    }

    /// A figure that is a count, a rank, a decrease since an earlier wave or a product with another table's
    /// Totaal percentage (`FigureCell.RowForm`, n_check `count`).
    static func checkDerived(_ figure: ReportFigure, cell: FigureCell, table: ComputedTable, block: String, column: String,
                             engine: TableEngine, data: PublishedData, tables: [String: ComputedTable],
                             check initial: FigureCheck) throws -> FigureCheck {
        var check = initial
        let decimals = table.spec.decimals ?? 0
        var problem: String? = nil
        switch cell.form {
        case .rank(let k):
            let estimates = table.cells.filter { $0.block == block && $0.column == column && $0.statistic == .percent }
                .compactMap { c in c.estimate.map { (c.row, $0 * 100) } }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            if estimates.count >= k {
                check.reproduced = estimates[k - 1].1
                check.cell = "rank \(k): " + estimates[k - 1].0 + " | " + (cell.column ?? "total")
            } else {
                problem = "the column has fewer than \(k) estimates"
            }
        case .decrease(let wave, let row):
            check.cell = "\(wave) − 2024: " + row + " | " + (cell.column ?? "total")
            let c = table.cell(row: row, block: block, column: column)
            if let c, let estimate = c.estimate, let previous = c.trend.first(where: { $0.wave == wave })?.published {
                check.reproduced = previous - estimate * (c.statistic == .percent ? 100 : 1)
            } else {
                problem = "no estimate, or no \(wave) figure in \(table.spec.name)'s previous waves"
            }
        case .times(let otherKey, let otherRow, let row):
            check.cell = "\(row) | \(cell.column ?? "total") × \(otherKey) \(otherRow) | total"
            let here = table.cell(row: row, block: block, column: column)
            let there = tables[otherKey]?.cell(row: otherRow, block: "", column: "")
            if let a = here?.estimate, let b = there?.estimate, here?.statistic == .percent, there?.statistic == .percent {
                check.reproduced = a * b * 100
            } else {
                problem = "no estimate for \(row) in \(table.spec.name) or \(otherRow) in \(otherKey)"
            }
        case .cell(let row):
            let n = try engine.count(table.spec, row: row, block: block, column: column)
            check.reproduced = Double(n)
            check.cell = "count: " + row + " | " + (cell.column ?? "total")
        }
        if problem == nil, let r = check.reproduced, let published = figure.value {
            check.difference = r - published
            if !matches(r, published: published, decimals: cell.nCheck == .count ? 0 : decimals) { problem = "value" }
        } else if problem == nil {
            problem = "no value"
        }
        settle(&check, problems: problem.map { [$0] } ?? [], data: data)
        return check
    }

    /// The status of a checked figure from its problems: reproduced (none), else irreconcilable or not reached
    /// when documented as such, else differs.
    static func settle(_ check: inout FigureCheck, problems: [String], data: PublishedData) {
        if problems.isEmpty {
            check.status = .reproduced
            check.reason = data.irreconcilable[check.id].map { "documented as irreconcilable, yet reproduced: \($0)" } ?? ""
        } else if let reason = data.irreconcilable[check.id] {
            check.status = .irreconcilable
            check.reason = reason
        } else if let reason = data.notReached[check.id] {
            check.status = .notReached
            check.reason = problems.joined(separator: "; ") + " (" + reason + ")"
        } else {
            check.status = .differs
            check.reason = problems.joined(separator: "; ")
        }
    }

    /// Every significance statement of one survey; with `alternative`, each comparison of groups is also tested with
    /// that engine's `groupTest` (one row at a time, no tables recomputed).
    public static func checkStatements(_ data: PublishedData, survey: String, tables: [String: ComputedTable], engine: TableEngine,
                                       alternative: TableEngine? = nil) throws -> [StatementCheck] {
        let links = Dictionary(data.links.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [StatementCheck] = []
        for s in data.statements where s.survey == survey {
            var check = StatementCheck(id: s.id, survey: survey, explicit: s.isExplicit, comparison: "\(s.groupA) vs \(s.groupB): \(s.measure)",
                                       expected: s.verdict, found: nil, pValue: nil, status: .notChecked, reason: "")
            var boundNote: String? = nil
            guard let link = links[s.id], link.isMapped, let against = link.against else {
                check.reason = data.irreconcilable[s.id].map { "documented as irreconcilable: " + $0 }
                    ?? links[s.id]?.reason ?? "not in data/published/significance-map.csv"
                out.append(check)
                continue
            }
            guard let table = tables[link.table] else {
                check.reason = "table \(link.table) not computed"
                out.append(check)
                continue
            }
            switch against {
            case .rest:
                let cell = table.cell(row: link.row, block: link.block, column: link.groupA)
                check.found = cell?.verdict
                check.pValue = cell?.pValue
                if let alternative {
                    let c = try alternative.compareWithRest(table.spec, row: link.row, block: link.block, group: link.groupA)
                    check.alternative = .init(test: alternative.groupTest, comparison: c, expected: s.verdict)
                }
            case .group(let other):
                let c = try engine.compare(table.spec, row: link.row, block: link.block, group: link.groupA, other: other)
                check.found = c?.verdict
                check.pValue = c.flatMap { $0.pValue.isFinite ? $0.pValue : nil }
                if let alternative {
                    let c = try alternative.compare(table.spec, row: link.row, block: link.block, group: link.groupA, other: other)
                    check.alternative = .init(test: alternative.groupTest, comparison: c, expected: s.verdict)
                }
            case .wave(let wave):
                let column = link.groupA == "total" ? "" : link.groupA
                let block = link.groupA == "total" ? "" : link.block
                let cell = table.cell(row: link.row, block: block, column: column)
                let trend = cell?.trend.first { $0.wave == wave }
                check.found = trend?.verdict
                check.pValue = trend?.pValue
                // No n printed for the earlier wave: the bound with the earlier figure taken as exact.
                if let cell, let trend, trend.verdict == .notTested, trend.n == nil, let estimate = cell.estimate, let se = cell.standardError {
                    let scale = cell.statistic == .percent ? 100.0 : 1.0
                    if let p = TrendComparison.bound(current: estimate * scale, standardError: se * scale, previous: trend.published) {
                        check.pValue = p
                        if p >= engine.alpha {
                            check.found = .notSignificant
                            boundNote = "bound: \(wave) has no printed n, so its figure is taken as exact; p ≥ \(NumberFormat.fixed(p, 3)) for any \(wave) n"
                        } else {
                            boundNote = "inconclusive: \(wave) has no printed n; with its figure taken as exact p = \(NumberFormat.fixed(p, 4)) < \(NumberFormat.fixed(engine.alpha, 2)), and a small enough \(wave) sample would make it not significant"
                            // For a percentage: the smallest earlier n that makes the difference significant
                            // (binomial variance of the earlier wave, as TrendComparison).
                            let p0 = trend.published / 100, d = abs(estimate - p0)
                            let room = pow(d / Distributions.normalQuantile(1 - engine.alpha / 2), 2) - se * se
                            if cell.statistic == .percent, room > 0, p0 > 0, p0 < 1 {
                                let n0 = Int((p0 * (1 - p0) / room).rounded(.up))
                                boundNote! += " (significant for any \(wave) n ≥ \(n0))"
                            }
                        }
                    }
                }
            }
            if let found = check.found, found != .notTested {
                check.status = found == s.verdict ? .held : .notHeld
                if check.status == .notHeld, let reason = data.irreconcilable[s.id] ?? data.notReached[s.id].map({ "not reached by the calibration: " + $0 }) {
                    check.reason = reason
                }
            } else {
                check.reason = boundNote ?? "the test cannot be computed (no n for the earlier wave, or a group too small)"
            }
            if check.status != .notChecked, let note = boundNote { check.reason = check.reason.isEmpty ? note : check.reason + "; " + note }
            out.append(check)
        }
        return out
    }
}

extension StatementCheck.Alternative {
    init(test: GroupTest, comparison c: Comparison?, expected: Comparison.Verdict) {
        self.test = test
        found = c?.verdict
        pValue = c.flatMap { $0.pValue.isFinite ? $0.pValue : nil }
        status = found == nil || found == .notTested ? .notChecked : (found == expected ? .held : .notHeld)
    }
}

/// The result of `monitor reproduce` for one or more surveys, and its renderings.
public struct ReproductionReport: Sendable, Codable {
    public var sources: [String]
    public var figures: [FigureCheck]
    public var statements: [StatementCheck]

    public init(sources: [String], figures: [FigureCheck], statements: [StatementCheck]) {
        self.sources = sources
        self.figures = figures
        self.statements = statements
    }

    public func count(_ status: FigureCheck.Status) -> Int { figures.filter { $0.status == status }.count }

    /// Figures checked and reproduced per part of the report (`ReportFigure.chapter(ofTable:)`): the chapters
    /// in order, then the bijlagen and the management summary.
    public var chapterCounts: [(part: String, checked: Int, reproduced: Int)] {
        let parts = Dictionary(grouping: figures) { ReportFigure.chapter(ofTable: $0.table) }
        let order = ["samenvatting", "1", "2", "3", "4", "5", "B", "C", "?"]
        return parts.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }.map { part in
            let rows = parts[part] ?? []
            return (part == "samenvatting" ? "summary" : part.count == 1 && part.first!.isNumber ? "ch. \(part)" : part == "?" ? "other" : "bijlage \(part)",
                    rows.count, rows.filter { $0.status == .reproduced }.count)
        }
    }

    /// Figures that differ without documentation, and explicit statements that do not hold without documentation.
    public var failures: Int {
        count(.differs) + statements.filter { $0.explicit && $0.status == .notHeld && $0.reason.isEmpty }.count
    }

    public var summary: String {
        var lines = ["reproduced \(count(.reproduced)) of \(figures.count) figures"]
        lines.append("  \(count(.differs)) differ, \(count(.irreconcilable)) documented as irreconcilable, \(count(.notReached)) not reached by the "
                     + "synthetic files' calibration, \(count(.notComputed)) not computed by any table")
        lines.append("  by part of the report (reproduced / checked): " + chapterCounts.map { "\($0.part) \($0.reproduced)/\($0.checked)" }
            .joined(separator: ", "))
        for explicit in [true, false] {
            let s = statements.filter { $0.explicit == explicit }
            let kind = explicit ? "explicit (SIG-E)" : "inferred (SIG-I)"
            lines.append("significance statements, \(kind): \(s.filter { $0.status == .held }.count) held, "
                         + "\(s.filter { $0.status == .notHeld }.count) not held, \(s.filter { $0.status == .notChecked }.count) not checked, of \(s.count)")
        }
        if let test = statements.lazy.compactMap({ $0.alternative?.test }).first {
            // The same statements with the other test of groups (waves keep theirs).
            var parts: [String] = []
            for explicit in [true, false] {
                let s = statements.filter { $0.explicit == explicit }
                let status = s.map { $0.alternative?.status ?? $0.status }
                parts.append("\(explicit ? "explicit" : "inferred") \(status.filter { $0 == .held }.count) held, \(status.filter { $0 == .notHeld }.count) not held")
            }
            let changed = statements.filter { s in s.alternative.map { a in a.found != s.found } ?? false }.count
            lines.append("with --test \(test.rawValue) instead: \(parts.joined(separator: "; ")) (\(changed) verdicts differ)")
        }
        return lines.joined(separator: "\n")
    }

    public enum Format: String, Sendable, CaseIterable { case md, csv, json }

    public func render(_ format: Format) -> String {
        switch format {
        case .csv: return csv()
        case .json: return json()
        case .md: return markdown()
        }
    }

    static func number(_ x: Double?, _ decimals: Int = 4) -> String {
        guard let x, x.isFinite else { return "" }
        return NumberFormat.fixed(x, decimals)
    }

    func csv() -> String {
        var w = CSVWriter(header: ["kind", "id", "survey", "table", "spec", "cell", "published", "reproduced", "difference",
                                   "published_n", "reproduced_n", "status", "reason"])
        for f in figures {
            w.row(["figure", f.id, f.survey, f.table, f.spec, f.cell, f.published.map(NumberFormat.exact) ?? "",
                   f.reproduced.map(NumberFormat.exact) ?? "", f.difference.map(NumberFormat.exact) ?? "",
                   f.publishedN.map(String.init) ?? "", f.reproducedN.map(String.init) ?? "", f.status.rawValue, f.reason])
        }
        for s in statements {
            w.row(["statement", s.id, s.survey, "", "", s.comparison, s.expected.rawValue, s.found?.rawValue ?? "",
                   s.pValue.map(NumberFormat.exact) ?? "", "", "", s.status.rawValue, s.reason])
        }
        return w.text
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func markdown() -> String {
        var out = "# Reproduction of the 2024 report\n\n"
        out += "Generated by `monitor reproduce --format md` from \(sources.map { "`\($0)`" }.joined(separator: " and ")). "
        out += "The bundled respondent files are **synthetic**: calibrated so that their weighted tables give the published "
        out += "figures (docs/synthesis.md); the report's own inconsistencies are in docs/errata.md. Each published 2024 "
        out += "figure (every survey and family: prevalence, severity, reporting, aangifte, response and the other sections) is recomputed with the table catalogue "
        out += "(`data/tables/`) and compared at the printed precision; `reproduced` is unrounded.\n\n"
        out += "```\n" + summary + "\n```\n\n"
        for survey in SurveyInference.surveys {
            let rows = figures.filter { $0.survey == survey }
            guard !rows.isEmpty else { continue }
            out += "## Figures: \(survey)\n\n"
            var md = MarkdownTable(headers: ["id", "table", "published", "reproduced", "difference", "n (printed / data)", "status"])
            for f in rows {
                let n = f.publishedN.map { "\($0) / \(f.reproducedN.map(String.init) ?? "?")" } ?? ""
                md.add([f.id, f.table, f.published.map { NumberFormat.exact($0) } ?? "-", Self.number(f.reproduced),
                        Self.number(f.difference), n, f.status.rawValue + (f.reason.isEmpty ? "" : ": " + f.reason)])
            }
            out += md.render() + "\n\n"
        }
        if !statements.isEmpty {
            out += "## Significance statements\n\n"
            out += "SIG-E statements say explicitly whether a difference is significant; SIG-I statements are inferred from the "
            out += "report's rule that it names only significant differences. `found` is the test on the data (group against "
            out += "the rest of its block; two named groups, pairwise with Bonferroni over the block's pairs as `monitor test` does; "
            out += "or 2024 against an earlier wave's published figure with its n). A proportion's group comparisons use the Rao-Scott "
            out += "F test of the 2 × 2 table group × answer (R `svychisq`), which stays valid when a group has 0% or 100%; the Wald t "
            out += "test on the difference (R `svyttest`, the default before; `--test wald`) gives a variance of 0 to such a group. "
            out += "The last three columns give each comparison of groups under the other test, so the effect of the choice is "
            out += "visible statement by statement.\n\n"
            let other = statements.lazy.compactMap { $0.alternative?.test.rawValue }.first ?? "other test"
            var md = MarkdownTable(headers: ["id", "comparison", "report", "found", "p", "status",
                                             "found (\(other))", "p (\(other))", "status (\(other))"])
            for s in statements {
                md.add([s.id, s.comparison, s.expected.rawValue, s.found?.rawValue ?? "", Self.number(s.pValue),
                        s.status.rawValue + (s.reason.isEmpty ? "" : ": " + s.reason),
                        s.alternative?.found?.rawValue ?? "", Self.number(s.alternative?.pValue), s.alternative?.status.rawValue ?? ""])
            }
            out += md.render() + "\n"
        }
        return out
    }
}
