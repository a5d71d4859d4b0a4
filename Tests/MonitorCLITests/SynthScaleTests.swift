import Foundation
import Testing

/// `monitor synth` for large benchmark files: attitude-item padding, streamed output, determinism.
@Suite("monitor synth at scale")
struct SynthScaleTests {
    static func synth(_ arguments: [String], in dir: URL, name: String) throws -> (CLI.Result, String) {
        let path = dir.appendingPathComponent(name).path
        let result = try CLI.run(["synth", "--survey", "ambtsdragers", "-o", path, "-q"] + arguments)
        return (result, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    static func lines(_ text: String) -> [[Substring]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    @Test("--attitude-items appends Likert items after the codebook columns; the survey answers stay those of the seed")
    func padding() throws {
        let dir = CLI.temporaryDirectory()
        let (plain, plainText) = try Self.synth(["--n", "300", "--seed", "11", "--iterations", "0"], in: dir, name: "plain.csv")
        let (padded, paddedText) = try Self.synth(["--n", "300", "--seed", "11", "--iterations", "0", "--attitude-items", "28"],
                                                  in: dir, name: "padded.csv")
        #expect(plain.status == 0 && padded.status == 0, "\(plain.stderr)\(padded.stderr)")
        #expect(plain.stderr.isEmpty && padded.stderr.isEmpty)
        let a = Self.lines(plainText), b = Self.lines(paddedText)
        #expect(a.count == 301 && b.count == 301)
        // The codebook's columns (101 for ambtsdragers), then the 28 items.
        let width = a[0].count
        #expect(width == 101)
        #expect(b[0].count == width + 28)
        #expect(b[0][width] == "houding_01" && b[0][width + 27] == "houding_28")
        var seen = Set<Substring>()
        for (x, y) in zip(a, b) {
            #expect(y.count == width + 28)
            #expect(Array(y.prefix(width)) == x)
            for cell in y.dropFirst(width) { seen.insert(cell) }
        }
        #expect(seen.isSubset(of: ["1", "2", "3", "4", "5", "weet_niet", "houding_01", "houding_28"] + (2...27).map { Substring(String(format: "houding_%02d", $0)) } + [""]))
        #expect(seen.isSuperset(of: ["1", "2", "3", "4", "5", "weet_niet"]))
        // Only the output is left in the folder (the temporary file was renamed into place).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["padded.csv", "plain.csv"])
    }

    @Test("same seed, same bytes; another seed, another file; the calibrated path pads as well")
    func deterministic() throws {
        let dir = CLI.temporaryDirectory()
        let args = ["--n", "200", "--iterations", "0", "--attitude-items", "5"]
        let (_, one) = try Self.synth(args + ["--seed", "3"], in: dir, name: "one.csv")
        let (_, two) = try Self.synth(args + ["--seed", "3"], in: dir, name: "two.csv")
        let (_, other) = try Self.synth(args + ["--seed", "4"], in: dir, name: "other.csv")
        #expect(!one.isEmpty && one == two)
        #expect(one != other)
        #expect(Self.lines(one)[1][0] == "A0001")

        let calibrated = ["--n", "200", "--iterations", "2000", "--attitude-items", "3", "--seed", "5"]
        let (c1, x) = try Self.synth(calibrated, in: dir, name: "c1.csv")
        let (_, y) = try Self.synth(calibrated, in: dir, name: "c2.csv")
        #expect(c1.status == 0, "\(c1.stderr)")
        #expect(!x.isEmpty && x == y)
        #expect(Self.lines(x)[0].suffix(3) == ["houding_01", "houding_02", "houding_03"])
    }

    @Test("a padded file is read by monitor tables (the extra columns are ignored)")
    func readable() throws {
        let dir = CLI.temporaryDirectory()
        let (_, text) = try Self.synth(["--n", "2000", "--seed", "2", "--iterations", "0", "--attitude-items", "28"], in: dir, name: "big.csv")
        #expect(!text.isEmpty)
        let result = try CLI.run(["tables", dir.appendingPathComponent("big.csv").path, "--survey", "ambtsdragers", "--table", "2.2",
                                  "--format", "csv", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("slachtoffer"))
    }

    @Test("--start goes on from a file: two steps give the same bytes twice, the input is never overwritten")
    func start() throws {
        let dir = CLI.temporaryDirectory()
        let (first, text) = try Self.synth(["--n", "300", "--seed", "8", "--iterations", "3000"], in: dir, name: "first.csv")
        #expect(first.status == 0 && !text.isEmpty, "\(first.stderr)")
        let input = dir.appendingPathComponent("first.csv").path
        let (a, x) = try Self.synth(["--start", input, "--seed", "9", "--iterations", "3000"], in: dir, name: "a.csv")
        let (_, y) = try Self.synth(["--start", input, "--seed", "9", "--iterations", "3000"], in: dir, name: "b.csv")
        #expect(a.status == 0, "\(a.stderr)")
        #expect(!x.isEmpty && x == y)
        #expect(Self.lines(x).count == 301 && Self.lines(x)[0] == Self.lines(text)[0])
        // A step with chain moves is as reproducible.
        let chains = ["--start", input, "--seed", "9", "--iterations", "2000", "--chain-moves", "0.5", "--chain-length", "5"]
        let (c1, u) = try Self.synth(chains, in: dir, name: "c1.csv")
        let (_, v) = try Self.synth(chains, in: dir, name: "c2.csv")
        #expect(c1.status == 0, "\(c1.stderr)")
        #expect(!u.isEmpty && u == v && u != x)
        // The input as output: refused before any work, the file untouched.
        let same = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--iterations", "10", "-o", input])
        #expect(same.status == 2 && same.stderr.contains("refusing to overwrite the input"), "\(same.stderr)")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == text)
        // --swap: only with --start, two ids of the file.
        let swapped = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--iterations", "10", "--swap", "A0001:A0002",
                                   "-o", dir.appendingPathComponent("s.csv").path])
        #expect(swapped.status == 0 && swapped.stderr.contains("1 exchanges of answers"), "\(swapped.stderr)")
        let unknown = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--iterations", "10", "--swap", "A0001:X9",
                                   "-o", dir.appendingPathComponent("s.csv").path])
        #expect(unknown.status != 0 && unknown.stderr.contains("no respondent X9"), "\(unknown.stderr)")
        for args in [["--swap", "A0001:A0002"], ["--start", input, "--swap", "A0001"]] {
            let bad = try CLI.run(["synth", "--survey", "ambtsdragers", "--iterations", "10"] + args + ["-o", dir.appendingPathComponent("s.csv").path])
            #expect(bad.status == 2 && bad.stderr.contains("--swap"), "\(args): \(bad.stderr)")
        }
        // --set: only with --start, ID:VARIABLE=VALUE of a respondent of the file, a value the model produces.
        let setOut = dir.appendingPathComponent("set.csv").path
        let set = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--iterations", "10", "--set", "A0001:geslacht=vrouw",
                               "--set", "A0002:geslacht=man", "-o", setOut])
        #expect(set.status == 0 && set.stderr.contains("2 answers set (--set)"), "\(set.stderr)")
        for (edit, message) in [("X9:geslacht=man", "no respondent X9"), ("A0001:geslacht=onbekend", "geslacht must be one of"),
                                ("A0001:slachtoffer=1", "not a variable of the codebook that a respondent answers")] {
            let bad = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--iterations", "10", "--set", edit, "-o", setOut])
            #expect(bad.status != 0 && bad.stderr.contains(message), "\(edit): \(bad.stderr)")
        }
        for args in [["--set", "A0001:geslacht=man"], ["--start", input, "--set", "A0001=geslacht"]] {
            let bad = try CLI.run(["synth", "--survey", "ambtsdragers", "--iterations", "10"] + args + ["-o", setOut])
            #expect(bad.status == 2 && bad.stderr.contains("--set"), "\(args): \(bad.stderr)")
        }
        // --n does not go with --start.
        let withN = try CLI.run(["synth", "--survey", "ambtsdragers", "--start", input, "--n", "5", "-o", dir.appendingPathComponent("c.csv").path])
        #expect(withN.status == 2)
    }

    @Test("usage errors: negative --attitude-items, chain options out of range, missing output folder")
    func errors() throws {
        let bad = try CLI.run(["synth", "--survey", "ambtsdragers", "--attitude-items", "-1", "-o", "/tmp/x.csv"])
        #expect(bad.status == 2)
        for (option, value) in [("--chain-moves", "0.9"), ("--chain-length", "0"), ("--chain-candidates", "0")] {
            let chain = try CLI.run(["synth", "--survey", "ambtsdragers", option, value, "-o", "/tmp/x.csv"])
            #expect(chain.status == 2 && chain.stderr.contains(option), "\(option) \(value): \(chain.stderr)")
        }
        let missing = try CLI.run(["synth", "--survey", "ambtsdragers", "--n", "10", "--iterations", "0",
                                   "-o", "/nonexistent-folder-\(UUID().uuidString)/x.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
    }
}
