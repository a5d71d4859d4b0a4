import Foundation
import Testing

/// Issue 22, items 2 and 7 through the built binary: many `--cell` columns cost only the combinations that
/// occur; extreme weights are computed right or refused, never printed wrong with exit 0.
@Suite("monitor weigh and estimate: sparse cells, extreme weights")
struct WeighLimitsCommandTests {
    /// A deterministic generator (64-bit LCG), so the generated files are the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// (id, weight) from `monitor weigh` output whose first column is the id and last the weight.
    static func weights(_ csv: String) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            out[Int(f.first!)!] = Double(f.last!)
        }
        return out
    }

    @Test("7 cell columns with 30 to 400 values on 4,000 rows: well under a second in debug, w = N_h / n_h; a cell absent from the frame is named")
    func sevenCellColumns() throws {
        let dir = CLI.temporaryDirectory()
        var g = Generator(state: 22)
        let columns = ["a", "b", "c", "d", "e", "f", "g"], sizes = [30, 60, 90, 120, 200, 300, 400]
        var rows: [[String]] = []
        for _ in 0..<4000 {
            // Some rows repeat a few combinations, so cells hold more than one respondent.
            let common = g.next(3) == 0
            rows.append(columns.indices.map { k in "\(columns[k])\(common ? g.next(2) : g.next(sizes[k]))" })
        }
        var n: [[String]: Int] = [:]
        for r in rows { n[r, default: 0] += 1 }
        var frameText = columns.joined(separator: ",") + ",N\n"
        var population: [[String]: Double] = [:]
        for (cell, count) in n.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let N = Double(count * (1 + g.next(50))) + 0.5
            population[cell] = N
            frameText += cell.joined(separator: ",") + ",\(N)\n"
        }
        let frame = try Self.write(frameText, "frame.csv", in: dir)
        let data = try Self.write("id," + columns.joined(separator: ",") + "\n"
                                  + rows.enumerated().map { "\($0.offset)," + $0.element.joined(separator: ",") + "\n" }.joined(),
                                  "data.csv", in: dir)
        let started = Date()
        let result = try CLI.run(["weigh", data, "--cell", columns.joined(separator: ","), "--frame", frame, "-q"])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        // AddressSanitizer builds (the test process has the ASan runtime loaded) run several times slower.
        let limit = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil ? 5.0 : 1.0
        #expect(seconds < limit, "took \(seconds) s")
        let w = Self.weights(result.stdout)
        #expect(w.count == rows.count)
        for (i, r) in rows.enumerated() {
            let expected = population[r]! / Double(n[r]!)
            #expect(abs(w[i]! - expected) <= 1e-12 * expected, "row \(i)")
        }

        // One respondent whose combination is not in the frame: exit 1, its line and cell named.
        let extra = ["a1", "b1", "c1", "d1", "e1", "f1", "g999"]
        let unmatched = try Self.write(try String(contentsOfFile: data, encoding: .utf8) + "4000," + extra.joined(separator: ",") + "\n",
                                       "unmatched.csv", in: dir)
        let refused = try CLI.run(["weigh", unmatched, "--cell", columns.joined(separator: ","), "--frame", frame])
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("unmatched.csv, line 4002, value \"\(extra.joined(separator: "|"))\": respondent's a x b x c x d x e x f x g cell is missing or not in the frame"),
                "\(refused.stderr)")
    }

    @Test("a frame with wildcards over 3 columns of 2,000 distinct values each: only occurring combinations cost")
    func wildcardsOnWideColumns() throws {
        let dir = CLI.temporaryDirectory()
        var lines = "id,a,b,c\n", frame = "a,b,c,N\n"
        for i in 0..<2000 { lines += "\(i),a\(i),b\(i),c\(i)\n" }
        for i in 0..<1000 { frame += "a\(i),b\(i),c\(i),\(2 * i + 2)\n" }
        for i in 1000..<2000 { frame += "a\(i),*,*,\(i)\n" }
        let result = try CLI.run(["weigh", try Self.write(lines, "data.csv", in: dir), "--cell", "a,b,c",
                                  "--frame", try Self.write(frame, "frame.csv", in: dir), "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        let w = Self.weights(result.stdout)
        #expect(w[0] == 2 && w[999] == 2000 && w[1000] == 1000 && w[1999] == 1999)
        frame += "*,b5,c5,1\n"
        let overlapping = try CLI.run(["weigh", try Self.write(lines, "data.csv", in: dir), "--cell", "a,b,c",
                                       "--frame", try Self.write(frame, "frame.csv", in: dir)])
        #expect(overlapping.status == 1)
        #expect(overlapping.stderr.contains("frame.csv, line 2002, value \"*|b5|c5\": frame cell overlaps line 7 (a5|b5|c5)"), "\(overlapping.stderr)")
    }

    @Test("weigh: base weights of 1e308 give N_h / n_h; 1e-320 (subnormal), a 1e200 spread, a frame N of 1e308 are refused with their position")
    func weighExtremes() throws {
        let dir = CLI.temporaryDirectory()
        let frame = try Self.write("cel,N\na,10\nb,5\n", "frame.csv", in: dir)
        let big = try Self.write("id,w,cel\n1,1e308,a\n2,1e308,a\n3,1.5e308,b\n4,1e308,a\n", "big.csv", in: dir)
        let ok = try CLI.run(["weigh", big, "--cell", "cel", "--frame", frame, "--base-weight", "w", "-q"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let w = Self.weights(ok.stdout)
        #expect(abs(w[1]! - 10.0 / 3) <= 1e-15 && w[3] == 5, "\(ok.stdout)")
        let mean1 = try CLI.run(["weigh", big, "--cell", "cel", "--frame", frame, "--base-weight", "w", "--scale", "mean1", "-q"])
        #expect(mean1.status == 0)
        #expect(abs(Self.weights(mean1.stdout).values.reduce(0, +) - 4) <= 1e-12)

        let tiny = try Self.write("id,w,cel\n1,1,a\n2,1e-320,a\n3,1,b\n", "tiny.csv", in: dir)
        let subnormal = try CLI.run(["weigh", tiny, "--cell", "cel", "--frame", frame, "--base-weight", "w"])
        #expect(subnormal.status == 1 && subnormal.stdout.isEmpty)
        #expect(subnormal.stderr.contains("tiny.csv, line 3, column 2 \"w\", value \"1e-320\": base weights must be positive numbers from 2.2250738585072014e-308"),
                "\(subnormal.stderr)")

        let spread = try Self.write("id,w,cel\n1,1e-200,a\n2,1e200,a\n3,1,b\n", "spread.csv", in: dir)
        let apart = try CLI.run(["weigh", spread, "--cell", "cel", "--frame", frame, "--base-weight", "w"])
        #expect(apart.status == 1 && apart.stdout.isEmpty)
        #expect(apart.stderr.contains("spread.csv, line 2, column 2 \"w\", value \"1e-200\": the smallest base weight; the largest, 1e200 on line 3, is more than 1e100 times larger"),
                "\(apart.stderr)")

        let hugeFrame = try Self.write("cel,N\na,1e308\nb,1e308\n", "huge.csv", in: dir)
        let huge = try CLI.run(["weigh", big, "--cell", "cel", "--frame", hugeFrame])
        #expect(huge.status == 1 && huge.stdout.isEmpty)
        #expect(huge.stderr.contains("huge.csv, line 2, column 2 \"N\", value \"1e308\": population count above 2^53"), "\(huge.stderr)")
    }

    @Test("estimate: weights of 1e308 give the shares of equal weights; 1e-320 and a 1e200 spread are refused with their position")
    func estimateExtremes() throws {
        let dir = CLI.temporaryDirectory()
        var g = Generator(state: 7)
        var text = "id,w,y,groep\n"
        for i in 0..<200 { text += "\(i),WEIGHT,\(g.next(2)),\(i % 3 == 0 ? "a" : "b")\n" }
        func run(_ weight: String) throws -> CLI.Result {
            let path = try Self.write(text.replacingOccurrences(of: "WEIGHT", with: weight), "w\(weight).csv", in: dir)
            return try CLI.run(["estimate", path, "--var", "y", "--by", "groep", "--weight", "w", "-q"])
        }
        let one = try run("1"), big = try run("1e308")
        #expect(one.status == 0 && big.status == 0, "\(big.stderr)")
        let rowsOne = one.stdout.split(separator: "\n"), rowsBig = big.stdout.split(separator: "\n")
        #expect(rowsOne.count == 4 && rowsBig.count == 4)
        for (a, b) in zip(rowsOne.dropFirst(), rowsBig.dropFirst()) {
            let x = a.split(separator: ",", omittingEmptySubsequences: false), y = b.split(separator: ",", omittingEmptySubsequences: false)
            #expect(x[2] == y[2] && x[3] == y[3])
            for k in 4...8 {  // n_eff, estimate, se, ci_low, ci_high
                let u = Double(x[k])!, v = Double(y[k])!
                #expect(abs(u - v) <= 1e-12 * abs(u), "\(a) / \(b)")
            }
        }
        let subnormal = try run("1e-320")
        #expect(subnormal.status == 1 && subnormal.stdout.isEmpty)
        #expect(subnormal.stderr.contains("w1e-320.csv, line 2, column 2 \"w\", value \"1e-320\": weights must be positive numbers from 2.2250738585072014e-308"),
                "\(subnormal.stderr)")

        let spread = try Self.write("id,w,y\n1,1e-200,1\n2,1e200,0\n3,1,1\n", "spread.csv", in: dir)
        let apart = try CLI.run(["estimate", spread, "--var", "y", "--weight", "w"])
        #expect(apart.status == 1 && apart.stdout.isEmpty)
        #expect(apart.stderr.contains("spread.csv, line 2, column 2 \"w\", value \"1e-200\": the smallest weight; the largest, 1e200 on line 3"), "\(apart.stderr)")

        let frame = try Self.write("groep,N\na,1e15\nb,3e15\n", "frame.csv", in: dir)
        let poststratified = try CLI.run(["estimate", try Self.write(text.replacingOccurrences(of: "WEIGHT", with: "1e308"), "ps.csv", in: dir),
                                          "--var", "y", "--weight", "w", "--cell", "groep", "--frame", frame, "-q"])
        #expect(poststratified.status == 0, "\(poststratified.stderr)")
        let estimate = Double(poststratified.stdout.split(separator: "\n")[1].split(separator: ",")[5])!
        #expect(estimate > 0 && estimate < 1)
    }
}
