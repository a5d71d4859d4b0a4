import Foundation
import Testing
@testable import MonitorCore

/// The Monitor-like fixture (Tests/Fixtures/monitor, made by scripts/r/monitor-fixture.R) as columns.
struct MonitorFixture {
    let table: RawTable
    let ids: [String]
    let w0: [Double]

    init() throws {
        let table = try Fixtures.read("monitor/fixture.csv")
        self.table = table
        ids = (0..<table.rowCount).map { table.column(named: "respondent_id")![$0] }
        w0 = (0..<table.rowCount).map { Double(table.column(named: "w0")![$0])! }
    }

    func strings(_ name: String) -> [String] { (0..<table.rowCount).map { table.column(named: name)![$0] } }

    func margin(_ frameFile: String) throws -> Margin {
        let frame = try Frame.load(path: Fixtures.path("monitor/\(frameFile)"))
        return frame.margin(name: frame.variables.joined(separator: " x "), columns: frame.variables.map(strings), rowCount: table.rowCount)
    }
}

@Suite("Weighting agrees with R survey")
struct WeightingTests {
    let r: Expectations
    let fixture: MonitorFixture

    init() throws {
        r = try Expectations("weighting.csv")
        fixture = try MonitorFixture()
    }

    func expectWeights(_ weights: [Double], _ caseName: String, tolerance: Double) {
        let expected = r.byLevel(caseName, "weight")
        #expect(expected.count == fixture.ids.count, "\(caseName) has \(expected.count) weights")
        var worst = 0.0
        for (i, id) in fixture.ids.enumerated() {
            let e = expected[id]!
            worst = max(worst, abs(weights[i] - e) / e)
        }
        #expect(worst <= tolerance, "\(caseName): largest relative difference \(worst)")
    }

    @Test("postStratify from base weights w0, to 1e-9")
    func postStratifyBase() throws {
        let w = try PostStratification.weights(base: fixture.w0, margin: fixture.margin("frame.csv"))
        expectWeights(w, "monitor_poststrat_w0", tolerance: 1e-9)
    }

    @Test("weighted means on the adjusted weights equal svymean's estimates, to 1e-9",
          arguments: ["monitor_poststrat_w0", "monitor_poststrat_equal", "monitor_rake"])
    func weightedMean(caseName: String) throws {
        let w: [Double]
        switch caseName {
        case "monitor_rake":
            w = try Raking.weights(base: fixture.w0, margins: [fixture.margin("margin_bestuurslaag.csv"), fixture.margin("margin_geslacht.csv")]).weights
        case "monitor_poststrat_equal":
            w = try PostStratification.weights(base: [Double](repeating: 1, count: fixture.w0.count), margin: fixture.margin("frame.csv"))
        default:
            w = try PostStratification.weights(base: fixture.w0, margin: fixture.margin("frame.csv"))
        }
        // svymean(~verbale_agressie, na.rm = TRUE): Σ w y / Σ w over respondents who answered.
        var num = 0.0, den = 0.0
        for (i, text) in fixture.strings("verbale_agressie").enumerated() {
            guard let y = Double(text) else { continue }
            num += w[i] * y
            den += w[i]
        }
        let expected = try #require(r.value(caseName, "svymean.verbale_agressie.mean"))
        #expect(relativelyClose(num / den, expected, 1e-9))
    }

    @Test("postStratify from equal weights (N_h / n_h), to 1e-9")
    func postStratifyEqual() throws {
        let w = try PostStratification.weights(base: [Double](repeating: 1, count: fixture.w0.count), margin: fixture.margin("frame.csv"))
        expectWeights(w, "monitor_poststrat_equal", tolerance: 1e-9)
    }

    @Test("rake on bestuurslaag and geslacht equals converged rake() and calibrate(raking), to 1e-6")
    func rake() throws {
        let margins = [try fixture.margin("margin_bestuurslaag.csv"), try fixture.margin("margin_geslacht.csv")]
        let result = try Raking.weights(base: fixture.w0, margins: margins)
        #expect(result.maxRelativeMisfit <= 1e-10)
        expectWeights(result.weights, "monitor_rake", tolerance: 1e-6)
        expectWeights(result.weights, "monitor_calibrate_raking_tight", tolerance: 1e-6)
    }

    @Test("trimWeights strict and non-strict, to 1e-9", arguments: [("monitor_trim_strict", true), ("monitor_trim_nonstrict", false)])
    func trim(caseName: String, strict: Bool) throws {
        let post = try PostStratification.weights(base: fixture.w0, margin: fixture.margin("frame.csv"))
        let lower = r.value(caseName, "lower_bound")!, upper = r.value(caseName, "upper_bound")!
        let trimmed = try Trimming.trim(post, lower: lower, upper: upper, strict: strict)
        expectWeights(trimmed, caseName, tolerance: 1e-9)
        #expect(relativelyClose(trimmed.reduce(0, +), post.reduce(0, +), 1e-12), "trimming keeps the sum of weights")
    }

    @Test("Kalton & Flores-Cervantes (2003): post-stratification and raking cell weights")
    func kalton() throws {
        let n = r.entries("kalton_data", "sample_n"), bigN = r.entries("kalton_data", "pop_N")
        var a: [String] = [], b: [String] = []
        for cell in n.sorted(by: { ($0.group, $0.level) < ($1.group, $1.level) }) {
            for _ in 0..<Int(cell.value) { a.append(cell.level); b.append(cell.group) }
        }
        func frame(_ key: (String, String) -> String) -> (labels: [String], totals: [Double]) {
            var totals: [String: Double] = [:]
            for cell in bigN { totals[key(cell.level, cell.group), default: 0] += cell.value }
            let labels = totals.keys.sorted()
            return (labels, labels.map { totals[$0]! })
        }
        func margin(_ name: String, _ key: @escaping (String, String) -> String) -> Margin {
            let f = frame(key)
            let index = Dictionary(uniqueKeysWithValues: f.labels.enumerated().map { ($1, Int32($0)) })
            return Margin(name: name, labels: f.labels, totals: f.totals, cellOfRow: zip(a, b).map { index[key($0, $1)]! })
        }
        let base = [Double](repeating: 1, count: a.count)
        let joint = try PostStratification.weights(base: base, margin: margin("a x b") { "\($0)|\($1)" })
        let raked = try Raking.weights(base: base, margins: [margin("a") { l, _ in l }, margin("b") { _, g in g }]).weights
        for cell in r.entries("kalton_poststrat", "cell_weight") {
            let i = a.indices.first { a[$0] == cell.level && b[$0] == cell.group }!
            #expect(relativelyClose(joint[i], cell.value, 1e-12))
        }
        for cell in r.entries("kalton_rake_tight", "cell_weight") {
            let i = a.indices.first { a[$0] == cell.level && b[$0] == cell.group }!
            #expect(relativelyClose(raked[i], cell.value, 1e-8))
        }
    }
}

@Suite("Raking with respondents outside a margin")
struct RakingExclusionTests {
    @Test("excluded respondents keep their weight on that margin; the others reach the margin's shares")
    func excluded() throws {
        // Row 4 has no geslacht in the frame: it is adjusted on bestuurslaag only.
        let laag = Margin(name: "laag", labels: ["g", "p"], totals: [70, 30], cellOfRow: [0, 0, 1, 1, 0])
        let sekse = Margin(name: "sekse", labels: ["m", "v"], totals: [50, 50], cellOfRow: [0, 1, 0, 1, -1])
        let result = try Raking.weights(base: [1, 1, 1, 1, 1], margins: [laag, sekse])
        let w = result.weights
        #expect(relativelyClose(w[0] + w[1] + w[4], 70, 1e-9) && relativelyClose(w[2] + w[3], 30, 1e-9))
        #expect(relativelyClose(w[0] + w[2], w[1] + w[3], 1e-9))
    }
}

@Suite("Weighting refuses what it cannot do")
struct WeightingErrorTests {
    @Test("a frame cell without respondents")
    func emptyCell() {
        let margin = Margin(name: "cel", labels: ["a", "b"], totals: [10, 20], cellOfRow: [0, 0])
        #expect(throws: WeightingError.emptyCell(margin: "cel", cell: "b", populationTotal: 20)) {
            try PostStratification.weights(base: [1, 1], margin: margin)
        }
    }

    @Test("respondents outside the frame")
    func unmatched() {
        let margin = Margin(name: "cel", labels: ["a"], totals: [10], cellOfRow: [0, -1, -1])
        #expect(throws: WeightingError.self) { try PostStratification.weights(base: [1, 1, 1], margin: margin) }
    }

    @Test("raking that cannot converge names the margin and how far off it is")
    func notConverged() throws {
        // Cell (a2, b1) is empty, so margins a = (5, 5) and b = (9, 1) cannot both hold.
        let a = Margin(name: "a", labels: ["a1", "a2"], totals: [5, 5], cellOfRow: [0, 0, 1])
        let b = Margin(name: "b", labels: ["b1", "b2"], totals: [9, 1], cellOfRow: [0, 1, 1])
        let error = #expect(throws: WeightingError.self) { try Raking.weights(base: [1, 1, 1], margins: [a, b], maxIterations: 50) }
        guard case .notConverged(_, _, _, _, let iterations)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(iterations == 50)
        #expect(error!.description.contains("raking did not converge in 50 iterations"))
    }

    @Test("frames: duplicate, overlapping, non-positive and non-numeric counts are located")
    func badFrames() throws {
        let text = "bestuurslaag,functie,N\ngemeente,raadslid,3214\ngemeente,raadslid,10\nprovincie,*,645\nprovincie,cdk,12\nwaterschap,*,0\nwaterschap,ab,veel\n"
        let errors = #expect(throws: DataErrors.self) {
            try Frame.load(path: Fixtures.temporary(Array(text.utf8), name: "frame.csv"))
        }
        let messages = errors?.errors.map { "\($0.position.line!): \($0.message)" } ?? []
        #expect(messages == [
            "3: duplicate frame cell: line 2 has the same cell",
            "5: frame cell overlaps line 4 (provincie|*): a respondent would match both",
            "6: population count must be a positive number",
            "7: population count must be a positive number",
        ])
    }
}
