import Foundation
import PropertyBased
import Testing
@testable import MonitorCore

/// Invariants that must hold for any input, checked on generated cases.
@Suite("Properties")
struct PropertyTests {
    /// Fields with the characters that make CSV hard: delimiters, quotes, CR, LF, spaces, non-ASCII.
    static let field = Gen.element(of: ["", "a", "ja", "1", "4,5", "\"", "a\"b", "x\ny", "r\r\nn", " lead", "trail ", "é€", ";", "\t", "weet_niet"])
        .map { $0! }.array(of: 1...3).map { $0.joined() }

    static func quote(_ s: String, delimiter: String) -> String {
        let special = s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r")
            || s.hasPrefix(" ") || s.hasSuffix(" ") || s.hasPrefix("\t") || s.hasSuffix("\t")
        return special ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    @Test("any table written as RFC 4180 CSV reads back field for field, whatever the chunk size and line ends")
    func roundTrip() async {
        await propertyCheck(count: 150, input: Self.field.array(of: 1...4).array(of: 1...6), Gen.int(in: 1...64),
                            Gen.element(of: [",", ";", "\t"]).map { $0! }, Gen.element(of: ["\n", "\r\n"]).map { $0! }) { rows, chunk, delimiter, newline in
            let width = rows[0].count
            let table = rows.map { row in (0..<width).map { $0 < row.count ? row[$0] : "v" } }
            let header = (0..<width).map { "c\($0)" }
            var text = header.joined(separator: delimiter) + newline
            for row in table { text += row.map { Self.quote($0, delimiter: delimiter) }.joined(separator: delimiter) + newline }
            let path = Fixtures.temporary(Array(text.utf8))
            let options = CSVOptions(delimiter: UInt8(ascii: Unicode.Scalar(delimiter)!))
            do {
                let read = try CSVReader(options: options, chunkSize: chunk).read(.file(path), columns: .all)
                // A row that is one empty field is a blank line to CSV readers; everything else survives.
                let expected = table.filter { !($0.count == 1 && $0[0].isEmpty) }
                #expect(read.rows == expected)
                #expect(read.header == header)
            } catch {
                Issue.record("read failed: \(error) for \(text.debugDescription)")
            }
        }
    }

    @Test("post-stratified weights reproduce every frame total")
    func postStratificationTotals() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 0...4).array(of: 5...200), Gen.double(in: 0.1...10).array(of: 200),
                            Gen.double(in: 1...10_000).array(of: 5)) { cells, base, totals in
            let present = Set(cells).sorted()
            let index = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, Int32($0)) })
            let margin = Margin(name: "cel", labels: present.map(String.init), totals: present.map { totals[$0] },
                                cellOfRow: cells.map { index[$0]! })
            let w = try PostStratification.weights(base: Array(base.prefix(cells.count)), margin: margin)
            for (h, achieved) in margin.weightedTotals(w).enumerated() {
                #expect(relativelyClose(achieved, margin.totals[h], 1e-12))
            }
            #expect(w.allSatisfy { $0 > 0 })
        }
    }

    @Test("raking reproduces every margin within tolerance when the margins are consistent")
    func rakingMargins() async throws {
        await propertyCheck(count: 100, input: Gen.int(in: 0...2).array(of: 60...150), Gen.int(in: 0...3).array(of: 150),
                            Gen.double(in: 0.5...3).array(of: 150), Gen.double(in: 0.2...5).array(of: 12)) { a, bAll, base, cellSizes in
            // Every (a, b) combination occurs, and the targets come from a positive joint table, so raking converges.
            let b = Array(bAll.prefix(a.count))
            var rowsA = a, rowsB = b
            for i in 0..<3 { for j in 0..<4 { rowsA.append(i); rowsB.append(j) } }
            let d = Array(base.prefix(a.count)) + [Double](repeating: 1, count: 12)
            var totalA = [Double](repeating: 0, count: 3), totalB = [Double](repeating: 0, count: 4)
            for i in 0..<3 { for j in 0..<4 { totalA[i] += cellSizes[i * 4 + j] * 100; totalB[j] += cellSizes[i * 4 + j] * 100 } }
            let marginA = Margin(name: "a", labels: ["0", "1", "2"], totals: totalA, cellOfRow: rowsA.map { Int32($0) })
            let marginB = Margin(name: "b", labels: ["0", "1", "2", "3"], totals: totalB, cellOfRow: rowsB.map { Int32($0) })
            let result = try Raking.weights(base: d, margins: [marginA, marginB], tolerance: 1e-9, maxIterations: 5000)
            for margin in [marginA, marginB] {
                for (h, achieved) in margin.weightedTotals(result.weights).enumerated() {
                    #expect(relativelyClose(achieved, margin.totals[h], 1e-9))
                }
            }
        }
    }

    @Test("trimming keeps the sum of weights, and strict trimming keeps every weight within bounds")
    func trimming() async throws {
        await propertyCheck(count: 200, input: Gen.double(in: 0.1...50).array(of: 10...100)) { weights in
            let mean = weights.reduce(0, +) / Double(weights.count)
            let lower = mean / 3, upper = mean * 2.5
            let strict = try Trimming.trim(weights, lower: lower, upper: upper, strict: true)
            #expect(relativelyClose(strict.reduce(0, +), weights.reduce(0, +), 1e-9))
            #expect(strict.allSatisfy { $0 >= lower * (1 - 1e-9) && $0 <= upper * (1 + 1e-9) })
            let once = try Trimming.trim(weights, lower: lower, upper: upper)
            #expect(relativelyClose(once.reduce(0, +), weights.reduce(0, +), 1e-9))
        }
    }

    @Test("Kish: 1 ≤ deff, n_eff ≤ n, n_eff · deff = n, and equal weights give deff 1")
    func kish() async {
        await propertyCheck(count: 200, input: Gen.double(in: 0.01...100).array(of: 1...80)) { weights in
            let d = WeightDiagnostics(weights)
            #expect(d.kishDesignEffect >= 1 - 1e-12)
            #expect(d.effectiveSampleSize <= Double(weights.count) * (1 + 1e-12))
            #expect(relativelyClose(d.effectiveSampleSize * d.kishDesignEffect, Double(weights.count), 1e-12))
            let equal = WeightDiagnostics([Double](repeating: weights[0], count: weights.count))
            #expect(relativelyClose(equal.kishDesignEffect, 1, 1e-12))
        }
    }
}
