import Foundation
import Yams

/// How synthetic respondents of one survey are generated: the response composition (fixed counts), the
/// questionnaire's routing and consistency rules, and prior distributions for the first draw. Read from
/// `data/synthesis/<survey>.yaml`; the format is documented in docs/synthesis.md.
///
/// The rules restate the routing of docs/codebook.md ("Routing") as data, so that every record the
/// calibration produces is a possible questionnaire: incident questions only for victims, the reasons for not
/// reporting only when the incident was neither discussed nor reported, exclusive "niet …" items, and the
/// most recent incident being one of the forms the respondent reported.
public struct SynthesisModel: Codable, Sendable, Equatable {
    /// A condition on the record: every listed variable (raw or derived) has one of the listed codes.
    public typealias Condition = [String: [String]]

    public struct IDSpec: Codable, Sendable, Equatable {
        public var variable: String
        public var prefix: String
        public var digits: Int
    }

    /// Prior weights for drawing a variable, optionally only when a condition holds. The first matching
    /// entry of a variable applies; a variable without one is drawn uniformly from its valid codes.
    public struct Prior: Codable, Sendable, Equatable {
        public var variable: String
        public var when: Condition?
        public var weights: [String: Double]
    }

    /// Candidate values of a numeric variable with their prior weights.
    public struct NumericValues: Codable, Sendable, Equatable {
        public var values: [Double]
        public var weights: [Double]?
    }

    /// Variables asked only when `when` holds; otherwise they hold the routing code (`nvt`, or empty for numbers).
    public struct Routing: Codable, Sendable, Equatable {
        public var ask: [String]
        public var when: Condition
    }

    /// Values fixed by the questionnaire in a group (e.g. voorzitters are not asked about "de voorzitter").
    public struct Structural: Codable, Sendable, Equatable {
        public var set: [String: String]
        public var when: Condition
    }

    public var survey: String
    /// Respondents in the report.
    public var n: Int
    public var id: IDSpec
    /// The response composition: joint counts of the design variables (each entry: codes plus `n`).
    public var design: [[String: String]]
    /// Further fixed variables drawn to exact marginal counts (code -> count, summing to n).
    public var margins: [String: [String: Int]]?
    /// Variables drawn once from their priors and never changed by the calibration.
    public var fixed: [String]?
    /// Raw variables drawn before the others, in this order (respondent characteristics the priors of earlier
    /// questions depend on); the rest follow in codebook order.
    public var first: [String]?
    public var priors: [Prior]?
    public var numeric: [String: NumericValues]?
    public var routing: [Routing]?
    /// Multiple-response set -> its exclusive "none" item, or items (`[nee, onbekend]`): each excludes every other
    /// item of the set.
    public var exclusive: [String: ExclusiveItems]?
    /// Sets of which an answered record ticks at least one item.
    public var atLeastOne: [String]?
    /// Categorical variable -> (code -> binary variable that must be 1 for that code).
    public var consistent: [String: [String: String]]?
    /// Numeric variable -> binary variables: the number is at least the count of those that are 1.
    public var atLeast: [String: [String]]?
    public var structural: [Structural]?

    enum CodingKeys: String, CodingKey {
        case survey, n, id, design, margins, fixed, first, priors, numeric, routing, exclusive
        case atLeastOne = "at_least_one", consistent, atLeast = "at_least", structural
    }

    public static func load(path: String) throws -> SynthesisModel {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DataError(.io, SourcePosition(file: path), "cannot read the synthesis model: \(error.localizedDescription)")
        }
        do { return try YAMLDecoder().decode(SynthesisModel.self, from: text) } catch {
            throw DataError(.spec, SourcePosition(file: path), "not a valid synthesis model: \(error)")
        }
    }

    /// The design counts scaled to `total` respondents (largest remainder, ties in file order).
    public func designCounts(total: Int) throws -> [(codes: [String: String], n: Int)] {
        var cells: [(codes: [String: String], n: Int)] = []
        for entry in design {
            guard let text = entry["n"], let count = Int(text), count >= 0 else {
                throw DataError(.spec, SourcePosition(file: "synthesis model \(survey)"), "design entry \(entry) has no count n")
            }
            cells.append((entry.filter { $0.key != "n" }, count))
        }
        let sum = cells.reduce(0) { $0 + $1.n }
        guard sum > 0 else { throw DataError(.spec, SourcePosition(file: "synthesis model \(survey)"), "design counts sum to 0") }
        if total == sum { return cells }
        return zip(cells, Self.apportion(cells.map { Double($0.n) }, total: total)).map { ($0.codes, $1) }
    }

    /// Integer counts proportional to `shares` summing to `total` (largest remainder).
    public static func apportion(_ shares: [Double], total: Int) -> [Int] {
        let sum = shares.reduce(0, +)
        guard sum > 0 else { return shares.map { _ in 0 } }
        let exact = shares.map { $0 / sum * Double(total) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), -$0) > (exact[$1] - Double(counts[$1]), -$1) }
        var left = total - counts.reduce(0, +)
        var k = 0
        while left > 0 { counts[order[k % order.count]] += 1; left -= 1; k += 1 }
        return counts
    }
}

/// The exclusive items of a multiple-response set: one name (`niet_besproken`) or a list (`[sociale_media_nee,
/// sociale_media_onbekend]`, Tabel 4.3 of the organisaties: 'nee' and 'onbekend' exclude the doelgroepen and each other).
public struct ExclusiveItems: Codable, Sendable, Equatable {
    public var items: [String]
    public init(_ items: [String]) { self.items = items }
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let one = try? c.decode(String.self) { items = [one] } else { items = try c.decode([String].self) }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if items.count == 1 { try c.encode(items[0]) } else { try c.encode(items) }
    }
}
