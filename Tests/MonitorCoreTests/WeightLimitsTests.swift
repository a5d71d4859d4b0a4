import Foundation
import Testing
@testable import MonitorCore

@Suite("Sparse frame cells and weight limits")
struct WeightLimitsTests {
    /// The frame cell of a row by trying every cell (what `Frame.margin` did per combination): -1 if none.
    static func bruteForce(_ frame: Frame, _ key: [String]) -> Int32 {
        frame.cells.firstIndex { cell in zip(cell.values, key).allSatisfy { $0 == Frame.wildcard || $0 == $1 } }.map { Int32($0) } ?? -1
    }

    @Test("Frame.margin assigns every row as matching each cell would, with wildcards, duplicate codes and unmatched rows",
          arguments: [1, 2, 3, 7])
    func sparseMatchesBruteForce(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let k = 1 + Int(seed % 4), rows = 500
        let texts = (0..<k).map { _ in (0..<rows).map { _ in "v\(rng.below(6))" } }
        var cells: [Frame.Cell] = []
        var seen = Set<[String]>()
        for line in 0..<40 {
            let values = (0..<k).map { _ in rng.below(4) == 0 ? Frame.wildcard : "v\(rng.below(7))" }
            if seen.insert(values).inserted && !cells.contains(where: { Frame.overlap($0.values, values) }) {
                cells.append(Frame.Cell(values: values, total: Double(line + 1), line: line + 2))
            }
        }
        let frame = Frame(source: "f", variables: (0..<k).map { "c\($0)" }, cells: cells)
        // The same texts coded with duplicate values (as trimmed or mapped exports give).
        let coded = texts.map { column -> CodedColumn in
            let c = CodedColumn(column)
            return CodedColumn(values: c.values + c.values, codes: c.codes.enumerated().map { $0.offset % 2 == 0 ? $0.element : $0.element + UInt32(c.values.count) })
        }
        let margin = frame.margin(name: "m", coded: coded, rowCount: rows)
        for row in 0..<rows {
            #expect(margin.cellOfRow[row] == Self.bruteForce(frame, texts.map { $0[row] }), "row \(row)")
        }
    }

    @Test("overlaps are found between wildcard patterns, later line against earlier")
    func overlaps() {
        let cells = [["a", "x", "1"], ["a", "*", "*"], ["b", "y", "2"], ["*", "y", "*"], ["c", "z", "3"]].enumerated().map {
            Frame.Cell(values: $0.element, total: 1, line: $0.offset + 2)
        }
        let pairs = Frame.overlaps(cells).map { [$0.later, $0.earlier] }
        #expect(pairs == [[1, 0], [3, 1], [3, 2]])
    }

    @Test("weights of 1e308 post-stratify as weights of 1; raking without a complete margin keeps the base scale")
    func extremeWeights() throws {
        let margin = Margin(name: "m", labels: ["a", "b"], totals: [10, 5], cellOfRow: [0, 0, 1, 0])
        let ones = try PostStratification.weights(base: [1, 2, 1, 1], margin: margin)
        let big = try PostStratification.weights(base: [0.5e308, 1e308, 0.5e308, 0.5e308], margin: margin)
        #expect(ones == [2.5, 5, 5, 2.5])
        for (a, b) in zip(ones, big) { #expect(abs(a - b) <= 1e-15 * a) }
        #expect(throws: WeightingError.invalidBaseWeight(row: 1, value: 1e-320)) {
            try PostStratification.weights(base: [1, 1e-320, 1, 1], margin: margin)
        }
        #expect(throws: WeightingError.weightRange(smallestRow: 1, smallest: 1e-60, largestRow: 0, largest: 1e60)) {
            try PostStratification.weights(base: [1e60, 1e-60, 1, 1], margin: margin)
        }
        let partial = Margin(name: "p", labels: ["a"], totals: [1], cellOfRow: [0, -1])
        let raked = try Raking.weights(base: [1e300, 3e300], margins: [partial])
        #expect(raked.weights == [1e300, 3e300])
        let d = WeightDiagnostics([1e300, 1e300, 2e300])
        #expect(abs(d.kishDesignEffect - 3 * 6 / 16) < 1e-12 && abs(d.sum - 4e300) < 1e288)
        #expect(WeightScale.mean1.apply([1e308, 1e308, 1e308]) == [1, 1, 1])
    }
}
