import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 22, items 1, 3, 8 and 9, through the built binary: write errors and closed pipes, `--output` on special
/// files and never over an input, describe's Markdown on a hostile wide file, and clearer messages.
@Suite("monitor output under hostile conditions")
struct OutputCommandTests {
    let example = CLI.data("examples/ambtsdragers-example.csv")
    let fixture = CLI.fixture("monitor/fixture.csv")
    let frame = CLI.fixture("monitor/frame.csv")

    /// A temporary folder with a one-row CSV in it.
    func oneRow() throws -> (URL, String) {
        let dir = CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("one-row.csv").path
        try "a,b\n1,x\n".write(toFile: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    // MARK: 1. write errors

    @Test("standard output on a full device: a message and exit 1, no crash (describe, tables, weigh)")
    func fullDevice() throws {
        let (_, file) = try oneRow()
        for arguments in [["describe", file], ["tables", example, "--table", "2.2", "-q"], ["weigh", example, "-q"]] {
            let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
            let result = try CLI.run(arguments, standardOutput: full)
            try full.close()
            #expect(result.status == 1, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("monitor: error: cannot write standard output: No space left on device"), "\(arguments[0]): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments[0])")
        }
        let toFile = try CLI.run(["describe", file, "-q", "--output", "/dev/full"])
        #expect(toFile.status == 1 && toFile.stderr.contains("cannot write /dev/full: No space left on device"), "\(toFile.stderr)")
    }

    @Test("a pipe closed early (monitor tables | head -1) ends quietly: exit 0, nothing on standard error")
    func closedPipe() throws {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["tables", "--format", "csv", "-q"]  // about 250 KB: more than a pipe holds
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let first = out.fileHandleForReading.readData(ofLength: 100)
        try out.fileHandleForReading.close()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(!first.isEmpty)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(String(decoding: errors, as: UTF8.self) == "")
    }

    // MARK: 3. --output targets

    @Test("--output /dev/null writes the device and leaves it a device")
    func deviceTarget() throws {
        let (_, file) = try oneRow()
        let result = try CLI.run(["describe", file, "-q", "--output", "/dev/null"])
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }

    @Test("--output /dev/stdout sends the result down the pipe")
    func standardOutputPath() throws {
        let (_, file) = try oneRow()
        let result = try CLI.run(["describe", file, "-q", "--output", "/dev/stdout"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("# ") && result.stdout.contains("| a "))
    }

    @Test("--output FIFO is opened and written, and stays a FIFO")
    func fifoTarget() throws {
        let (dir, file) = try oneRow()
        let fifo = dir.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { box.data = handle.readDataToEndOfFile() }
        }
        reader.start()
        let result = try CLI.run(["describe", file, "-q", "--output", fifo])
        while !reader.isFinished { usleep(10_000) }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: box.data, as: UTF8.self).contains("| a "))
        var info = stat()
        #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("a regular file is replaced atomically: its permissions kept, no temporary file left")
    func regularTarget() throws {
        let (dir, file) = try oneRow()
        let target = dir.appendingPathComponent("profile.md").path
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        #expect(chmod(target, 0o640) == 0)
        let result = try CLI.run(["describe", file, "-q", "--output", target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("# "))
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["one-row.csv", "profile.md"])
    }

    @Test("an output that is an input or another output is refused (exit 2, both options named), the file untouched")
    func neverOverAnInput() throws {
        let dir = CLI.temporaryDirectory()
        let frameCopy = dir.appendingPathComponent("frame.csv").path
        try FileManager.default.copyItem(atPath: frame, toPath: frameCopy)
        let before = try Data(contentsOf: URL(fileURLWithPath: frameCopy))
        let weigh = ["weigh", fixture, "--cell", "cel", "--frame", frameCopy, "--base-weight", "w0", "-q"]
        let linked = dir.appendingPathComponent("link.csv").path
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: frameCopy)
        let cases: [([String], [String])] = [
            (weigh + ["-o", frameCopy], ["--output", "--frame"]),
            (weigh + ["--report", frameCopy], ["--report", "--frame"]),
            (weigh + ["-o", linked], ["--output", "--frame"]),  // the same file by another name
            (weigh + ["-o", dir.appendingPathComponent("x.csv").path, "--report", dir.appendingPathComponent("./x.csv").path], ["--output", "--report"]),
            (["estimate", fixture, "--var", "bedreiging", "--cell", "cel", "--frame", frameCopy, "--weight", "w0", "-o", frameCopy], ["--output", "--frame"]),
            (["weigh", fixture, "--margin", frameCopy, "-o", frameCopy], ["--output", "--margin"]),
            (["tables", example, "--specs", CLI.fixture("tables"), "-o", CLI.fixture("tables/ambtsdragers/T2.2.yaml")], ["--output", "--specs"]),
        ]
        for (arguments, options) in cases {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(options.allSatisfy { result.stderr.contains($0) } && result.stderr.contains("refusing to overwrite"), "\(arguments): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: frameCopy)) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.csv").path))
    }

    // MARK: 8. describe's Markdown

    @Test("describe's Markdown caps a cell: 2,000 columns with one 100 KB value stay small")
    func wideFileProfile() throws {
        let dir = CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("wide.csv").path
        let columns = 2_000
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<columns).map { $0 == 7 ? String(repeating: "x", count: 100_000) : String($0) }.joined(separator: ",")
        try (header + "\n" + row + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["describe", file, "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.utf8.count < 1_000_000, "\(result.stdout.utf8.count) bytes")
        #expect(result.stdout.contains(String(repeating: "x", count: 59) + "… (1)"))
        #expect(!result.stdout.contains(String(repeating: "x", count: 61)))
        let csv = try CLI.run(["describe", file, "-q", "--format", "csv"])  // machine-readable: the value whole
        #expect(csv.stdout.contains(String(repeating: "x", count: 100_000)))
    }

    // MARK: 9. messages

    @Test("a header-only file is an error for estimate (no rows, exit 1), not an estimate with df -1")
    func headerOnly() throws {
        let dir = CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("header.csv").path
        try "a,b\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["estimate", file, "--var", "a"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("header.csv, line 1: no rows"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--specs naming no folder says the folder does not exist")
    func missingSpecs() throws {
        let result = try CLI.run(["tables", example, "--specs", "/nonexistent-monitor-specs"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent-monitor-specs: the folder of table specifications does not exist"), "\(result.stderr)")
    }

    @Test("an empty --output path is a usage error that says so")
    func emptyOutput() throws {
        let (_, file) = try oneRow()
        for arguments in [["describe", file], ["tables", example, "--table", "2.2"], ["weigh", example]] {
            let result = try CLI.run(arguments + ["-o", ""])
            #expect(result.status == 2, "\(arguments[0])")
            #expect(result.stderr.contains("the output path is empty"), "\(arguments[0]): \(result.stderr)")
        }
    }

    @Test("--alpha is checked the same in tables, report and test", arguments: ["5", "inf", "nan", "0", "1", "-0.05"])
    func alpha(value: String) throws {
        for arguments in [["tables", example, "--table", "2.2"], ["report", example, "--table", "2.2"],
                          ["test", fixture, "--var", "bedreiging", "--by", "geslacht"]] {
            let result = try CLI.run(arguments + ["--alpha=\(value)"])  // = keeps -0.05 a value
            #expect(result.status == 2, "\(arguments[0]) --alpha \(value)")
            #expect(result.stderr.contains("--alpha must be a number between 0 and 1 (exclusive)"), "\(arguments[0]): \(result.stderr)")
        }
    }

    @Test("a column name in the wrong case gets a hint, not silent renaming")
    func caseHint() throws {
        let dir = CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("upper.csv").path
        var lines = try String(contentsOfFile: example, encoding: .utf8).components(separatedBy: "\n")
        lines[0] = lines[0].replacingOccurrences(of: "dader_anders", with: "DADER_ANDERS")
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let tables = try CLI.run(["tables", file, "--survey", "ambtsdragers", "-q"])
        #expect(tables.status == 1)
        #expect(tables.stderr.contains("the data have no variable dader_anders (the file has a column \"DADER_ANDERS\": names are case-sensitive"),
                "\(tables.stderr)")
        let estimate = try CLI.run(["estimate", file, "--survey", "ambtsdragers", "--var", "dader_anders"])
        #expect(estimate.status == 1 && estimate.stderr.contains("the file has a column \"DADER_ANDERS\""), "\(estimate.stderr)")
    }
}
