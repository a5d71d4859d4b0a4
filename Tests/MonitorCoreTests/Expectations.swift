import Foundation
import Testing
@testable import MonitorCore

/// Reference values produced by R `survey` (scripts/r/expectations.R; versions in Expectations/VERSIONS.txt),
/// in the long format `case,quantity,level,group,value`.
struct Expectations {
    struct Key: Hashable {
        var quantity: String
        var level: String
        var group: String
    }

    private var values: [String: [Key: Double]] = [:]

    init(_ file: String) throws {
        let path = Fixtures.testsRoot.appendingPathComponent("MonitorCoreTests/Expectations/\(file)").path
        let table = try CSVReader().read(.file(path), columns: .all)
        let columns = ["case", "quantity", "level", "group", "value"].map { table.column(named: $0)! }
        for row in 0..<table.rowCount {
            let key = Key(quantity: columns[1][row], level: columns[2][row], group: columns[3][row])
            values[columns[0][row], default: [:]][key] = Double(columns[4][row])
        }
    }

    func value(_ caseName: String, _ quantity: String, level: String = "", group: String = "") -> Double? {
        values[caseName]?[Key(quantity: quantity, level: level, group: group)]
    }

    /// Every (level, value) of one quantity of a case.
    func byLevel(_ caseName: String, _ quantity: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for (key, v) in values[caseName] ?? [:] where key.quantity == quantity { out[key.level] = v }
        return out
    }

    func entries(_ caseName: String, _ quantity: String) -> [(level: String, group: String, value: Double)] {
        (values[caseName] ?? [:]).filter { $0.key.quantity == quantity }.map { ($0.key.level, $0.key.group, $0.value) }
    }
}

/// |a − b| ≤ tolerance · max(|b|, tiny)
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), 1e-300)
}

extension Expectations {
    /// Records an issue unless `actual` is within `tolerance` (relative) of R's value.
    func expect(_ actual: Double, _ caseName: String, _ quantity: String, level: String = "", group: String = "",
                tolerance: Double = 1e-9, sourceLocation: SourceLocation) {
        guard let expected = value(caseName, quantity, level: level, group: group) else {
            Issue.record("no expectation \(caseName) \(quantity) [\(level)] [\(group)]", sourceLocation: sourceLocation)
            return
        }
        #expect(relativelyClose(actual, expected, tolerance),
                "\(caseName) \(quantity) [\(level)] [\(group)]: \(actual) vs R \(expected)", sourceLocation: sourceLocation)
    }
}
