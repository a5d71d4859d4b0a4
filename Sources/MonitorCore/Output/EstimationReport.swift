import Foundation

/// Renders estimates and tests as CSV (unrounded, for programs), JSON, or Markdown (rounded, for people).
public enum EstimationReport {
    public enum Format: String, Sendable, CaseIterable { case csv, json, md }

    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        return NumberFormat.exact(x)
    }

    // MARK: estimates

    public static let estimateColumns = ["variable", "level", "group", "n", "n_eff", "estimate", "se", "ci_low", "ci_high", "df", "flag",
                                         "level_label", "group_label"]

    public static func estimates(_ rows: [EstimateRow], format: Format, design: String, interval: IntervalMethod, level: Double) -> String {
        switch format {
        case .csv:
            var csv = CSVWriter(header: estimateColumns)
            for r in rows {
                csv.row([r.variable, r.level, r.group, String(r.n), number(r.effectiveN), number(r.estimate), number(r.standardError),
                         number(r.ciLow), number(r.ciHigh), String(r.df), r.flag.rawValue, r.levelLabel ?? "", r.groupLabel ?? ""])
            }
            return csv.text
        case .json:
            return json(EstimatesDocument(design: design, interval: interval.rawValue, level: level, estimates: rows))
        case .md:
            var table = MarkdownTable(headers: ["variable", "level", "group", "n", "n_eff", "estimate", "se", "\(percent(level)) CI", "flag"],
                                      alignments: [.left, .left, .left, .right, .right, .right, .right, .left, .left])
            for r in rows {
                table.add([r.variable, labelled(r.level, r.levelLabel), r.group.isEmpty ? "(all)" : labelled(r.group, r.groupLabel), NumberFormat.grouped(r.n),
                           NumberFormat.fixed(r.effectiveN, 1), r.estimate.map { NumberFormat.fixed($0, 4) } ?? "",
                           r.standardError.map { NumberFormat.fixed($0, 4) } ?? "",
                           r.ciLow.map { "\(NumberFormat.fixed($0, 4)) – \(NumberFormat.fixed(r.ciHigh!, 4))" } ?? "",
                           r.flag.rawValue])
            }
            return "Design: \(design). Interval: \(interval.rawValue), \(percent(level)).\n\n" + table.render()
                + legend(rows.map(\.flag))
        }
    }

    struct EstimatesDocument: Encodable {
        var design: String
        var interval: String
        var level: Double
        var estimates: [EstimateRow]
    }

    // MARK: tests

    public static let comparisonColumns = ["test", "method", "variable", "level", "group", "other", "n", "other_n", "estimate", "other_estimate",
                                           "difference", "se", "statistic", "df", "p_value", "p_adjusted", "verdict",
                                           "level_label", "group_label", "other_label"]

    public static func tests(_ comparisons: [Comparison], chiSquare: [RaoScottTest], format: Format, design: String, alpha: Double) -> String {
        switch format {
        case .csv:
            var csv = CSVWriter(header: comparisonColumns)
            for c in comparisons {
                csv.row([c.kind.rawValue, c.method.rawValue, c.variable, c.level, c.group, c.other, String(c.n), String(c.otherN), number(c.estimate),
                         number(c.otherEstimate), number(c.difference), number(c.standardError), number(c.statistic),
                         number(c.df), number(c.pValue), number(c.adjustedPValue), c.verdict.rawValue, c.levelLabel ?? "", c.groupLabel ?? "",
                         c.otherLabel ?? ""])
            }
            // The whole table as R's svychisq prints it: "F" (F; ndf;ddf; p) and "Chisq" (the unadjusted X-squared with
            // the p of X-squared / mean δ), then that adjusted statistic itself.
            for t in chiSquare {
                let fVerdict = t.fPValue < alpha ? "dependent" : "not_significant"
                let chisqVerdict = t.chisqPValue < alpha ? "dependent" : "not_significant"
                csv.row(["rao_scott", "F", t.variable, "", t.by, "", "", "", "", "", "", "", number(t.f),
                         "\(NumberFormat.exact(t.numeratorDF));\(NumberFormat.exact(t.denominatorDF))", number(t.fPValue), number(t.fPValue), fVerdict, "", "", ""])
                csv.row(["rao_scott", "X-squared", t.variable, "", t.by, "", "", "", "", "", "", "", number(t.pearson), String(t.chisqDF),
                         number(t.chisqPValue), number(t.chisqPValue), chisqVerdict, "", "", ""])
                csv.row(["rao_scott", "X-squared_adjusted", t.variable, "", t.by, "", "", "", "", "", "", "", number(t.chisq), String(t.chisqDF),
                         number(t.chisqPValue), number(t.chisqPValue), chisqVerdict, "", "", ""])
            }
            return csv.text
        case .json:
            return json(TestsDocument(design: design, alpha: alpha, comparisons: comparisons, chiSquare: chiSquare))
        case .md:
            var out = "Design: \(design). Two-sided tests at α = \(NumberFormat.exact(alpha)).\n"
            var table = MarkdownTable(headers: ["test", "method", "variable", "level", "group", "vs", "estimate", "other", "difference", "statistic", "df", "p", "p adj.", "verdict"],
                                      alignments: [.left, .left, .left, .left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .left])
            for c in comparisons {
                table.add([c.kind.rawValue, methodName(c.method), c.variable, labelled(c.level, c.levelLabel), labelled(c.group, c.groupLabel),
                           labelled(c.other, c.otherLabel), pct(c.estimate), pct(c.otherEstimate),
                           c.difference.isFinite ? NumberFormat.fixed(c.difference, 4) : "",
                           c.statistic.isFinite ? NumberFormat.fixed(c.statistic, 3) : "", c.df.map { NumberFormat.fixed($0, 0) } ?? "z",
                           pValue(c.pValue), pValue(c.adjustedPValue), symbol(c.verdict)])
            }
            if !comparisons.isEmpty { out += "\n" + table.render() }
            for t in chiSquare {
                out += "\nRao-Scott test of \(t.variable) by \(t.by) (\(t.rows) × \(t.columns)), as R's svychisq prints it:\n"
                out += "- statistic = \"F\" (Pearson's X² with Rao & Scott second-order adjustment): F = \(NumberFormat.fixed(t.f, 4)), "
                out += "ndf = \(NumberFormat.fixed(t.numeratorDF, 3)), ddf = \(NumberFormat.fixed(t.denominatorDF, 2)), p-value = \(pValue(t.fPValue))\n"
                out += "- statistic = \"Chisq\" (Pearson's X² with Rao & Scott adjustment): X-squared = \(NumberFormat.fixed(t.pearson, 3)), "
                out += "df = \(t.chisqDF), p-value = \(pValue(t.chisqPValue)) (the p of X-squared / mean design effect = "
                out += "\(NumberFormat.fixed(t.chisq, 3)); mean design effect \(NumberFormat.fixed(t.meanDesignEffect, 3)))\n"
            }
            return out
        }
    }

    struct TestsDocument: Encodable {
        var design: String
        var alpha: Double
        var comparisons: [Comparison]
        var chiSquare: [RaoScottTest]
        enum CodingKeys: String, CodingKey { case design, alpha, comparisons, chiSquare = "chi_square" }
    }

    static func symbol(_ verdict: Comparison.Verdict) -> String {
        switch verdict {
        case .higher: return "▲ higher"
        case .lower: return "▼ lower"
        case .notSignificant: return "n.s."
        case .notTested: return "not tested"
        }
    }

    static func methodName(_ m: Comparison.Method) -> String {
        switch m {
        case .raoScottF: return "Rao-Scott F"
        case .waldT: return "Wald t"
        case .z: return "z"
        }
    }

    /// A code with its label for people: "leeftijd_18_39 (18-39 jaar)", or the code alone.
    static func labelled(_ code: String, _ label: String?) -> String {
        guard let label, label != code, !code.isEmpty else { return code }
        return "\(code) (\(label))"
    }

    static func pct(_ x: Double) -> String { x.isFinite ? NumberFormat.fixed(x, 4) : "" }
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "" }
        return p < 0.0001 ? "< 0.0001" : NumberFormat.fixed(p, 4)
    }
    static func percent(_ level: Double) -> String { "\(NumberFormat.exact((level * 1000).rounded() / 10))%" }

    static func legend(_ flags: [SmallGroupFlag]) -> String {
        var notes: [String] = []
        if flags.contains(.indicative) { notes.append("indicatief: fewer than 50 respondents, read as indicative.") }
        if flags.contains(.suppressed) { notes.append("suppressed: too few respondents to show.") }
        return notes.isEmpty ? "" : "\n" + notes.joined(separator: "\n") + "\n"
    }

    /// JSON with sorted keys (same input, same bytes); any remaining non-finite number is written as a string.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
