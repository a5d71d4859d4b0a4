import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 22, items 4-6, through the built binary: every line-end style reads every record (serial and in blocks,
/// at any size), a stream is read once (standard input, a FIFO, a process substitution), and binary files are
/// recognised instead of being read as text.
@Suite("hostile input")
struct HostileInputTests {
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) -> String {
        let path = dir.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ text: String, _ name: String, in dir: URL) -> String { write(Array(text.utf8), name, in: dir) }

    static let frame = CLI.fixture("input/weigh-frame.csv")
    static let bundled = CLI.data("monitor-2024-ambtsdragers.csv")

    // MARK: 4. line ends

    @Test("bare CR, LF and CRLF line ends read every record: the same profile, and errors on the same lines")
    func lineEndStyles() throws {
        let dir = CLI.temporaryDirectory()
        var profiles: [String] = []
        for (name, newline) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
            let path = Self.write(["g,x", "a,1", "b,\"2, twee\"", "a,3"].joined(separator: newline) + newline, "\(name).csv", in: dir)
            let result = try CLI.run(["describe", path, "--format", "csv"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("3 data rows read"), "\(name): \(result.stderr)")
            profiles.append(result.stdout)
            // Standard input is read sequentially (no blocks): the same.
            let piped = try CLI.run(["describe", "-", "--format", "csv"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(piped.stdout == result.stdout)

            let bad = Self.write(["g,x", "a,1", "", "b", "a,3"].joined(separator: newline) + newline, "bad-\(name).csv", in: dir)
            let error = try CLI.run(["describe", bad])
            #expect(error.status == 1)
            #expect(error.stderr.contains("bad-\(name).csv, line 4: too few fields: expected 2 (as in the header), found 1"), "\(error.stderr)")
        }
        #expect(profiles.allSatisfy { $0 == profiles[0] })
        #expect(profiles[0].contains("x,2,text,3,0,3,,,,\"1 (1); 2, twee (1); 3 (1)\""), "\(profiles[0])")

        // A header ending in CR, then LF lines: every record.
        let mixed = Self.write("g,x\ra,1\nb,2\r\na,3\n", "mixed.csv", in: dir)
        let result = try CLI.run(["describe", mixed, "--format", "csv"])
        let lf = try CLI.run(["describe", Self.write("g,x\na,1\nb,2\na,3\n", "lf-only.csv", in: dir), "--format", "csv"])
        #expect(result.stdout == lf.stdout, "\(result.stdout)")
        #expect(result.stderr.contains("3 data rows read"))
    }

    @Test("a bare-CR file over 4 MiB reads every record, from the file (in blocks) and from standard input (serially)")
    func largeBareCR() throws {
        let dir = CLI.temporaryDirectory()
        var lines = ["id,groep,score,opmerking"]
        let remarks = ["", "geen", "\"met, komma\"", "\"met \"\"quote\"\"\""]
        for i in 0..<200_000 { lines.append("\(i),groep \(i % 17),\(i % 10),\(remarks[i % remarks.count])") }
        var outputs: [String] = []
        for (name, newline) in [("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")] {
            let path = Self.write(lines.joined(separator: newline) + newline, "\(name).csv", in: dir)
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int) > 4 << 20)
            let result = try CLI.run(["describe", path, "--format", "csv", "-q"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("id,1,integer,200000,0,200000"), "\(name): \(result.stdout)")
            outputs.append(result.stdout)
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        let piped = try CLI.run(["describe", "-", "--format", "csv", "-q"],
                                stdin: Data((lines.joined(separator: "\r") + "\r").utf8))
        #expect(piped.stdout == outputs[0])
    }

    @Test("a stray CR inside an unquoted field ends a line everywhere: the reader and weigh's copy agree")
    func strayCR() throws {
        let dir = CLI.temporaryDirectory()
        // 1,a CR 2,b: two records; weigh writes a weight into each and keeps the CR.
        let stray = Self.write("id,cel\n1,a\r2,b\n3,a\n", "stray.csv", in: dir)
        let described = try CLI.run(["describe", stray])
        #expect(described.stderr.contains("3 data rows read"), "\(described.stderr)")
        let weighed = try CLI.run(["weigh", stray, "--cell", "cel", "--frame", Self.frame, "-q"])
        #expect(weighed.status == 0, "\(weighed.stderr)")
        #expect(weighed.stdout == "id,cel,weight\n1,a,30\r2,b,40\n3,a,30\n")
        // A CR that cuts a record in two: an error at its line, not a wrong count.
        let cut = Self.write("id,cel\n1,a\n2\r,b\n", "cut.csv", in: dir)
        let error = try CLI.run(["weigh", cut, "--cell", "cel", "--frame", Self.frame, "-q"])
        #expect(error.status == 1)
        #expect(error.stderr.contains("cut.csv, line 3: too few fields: expected 2 (as in the header), found 1"), "\(error.stderr)")
        // CRLF written through a text-mode filter (CR CR LF): a blank line after each record.
        let doubled = Self.write("id,cel\r\r\n1,a\r\r\n2,b\r\r\n", "doubled.csv", in: dir)
        let copy = try CLI.run(["weigh", doubled, "--cell", "cel", "--frame", Self.frame, "-q"])
        #expect(copy.stdout == "id,cel,weight\r\r\n1,a,60\r\r\n2,b,40\r\r\n", "\(copy.stderr)")
    }

    @Test("the bundled file with bare CR line ends: weigh writes the same bytes (CR for LF), tables the same tables")
    func bundledBareCR() throws {
        let dir = CLI.temporaryDirectory()
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.bundled))
        let cr = Self.write(original.map { $0 == 10 ? 13 : $0 }, "ambtsdragers-cr.csv", in: dir)
        let weighed = try CLI.run(["weigh", Self.bundled, "-q"])
        let weighedCR = try CLI.run(["weigh", cr, "-q"])
        #expect(weighed.status == 0 && weighedCR.status == 0, "\(weighedCR.stderr)")
        #expect(weighedCR.stdout == weighed.stdout.replacingOccurrences(of: "\n", with: "\r"))
        let tables = try CLI.run(["tables", Self.bundled, "--table", "2.2", "--table", "2.15", "-q"])
        let tablesCR = try CLI.run(["tables", cr, "--table", "2.2", "--table", "2.15", "-q"])
        #expect(tablesCR.status == 0 && tablesCR.stdout == tables.stdout, "\(tablesCR.stderr)")
    }

    // MARK: 5. streams

    @Test("tables and weigh read standard input once: without --survey, the same output as the file")
    func standardInput() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.bundled))
        let tables = try CLI.run(["tables", Self.bundled, "-q"])
        let piped = try CLI.run(["tables", "-", "-q"], stdin: bytes)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout == tables.stdout)
        #expect(tables.stdout.contains("Tabel 2.2"))

        let weighed = try CLI.run(["weigh", Self.bundled, "-q"])
        let weighedPiped = try CLI.run(["weigh", "-", "-q"], stdin: bytes)
        #expect(weighedPiped.status == 0, "\(weighedPiped.stderr)")
        #expect(weighedPiped.stdout == weighed.stdout)
        #expect(weighed.stdout.hasPrefix("respondent_id,"))

        // Over 4 MiB (more than the first read), and in error messages the input is still <stdin>.
        var big = bytes
        let body = bytes.drop(while: { $0 != 10 }).dropFirst()
        for _ in 0..<12 { big.append(contentsOf: body) }
        #expect(big.count > 4 << 20)
        let dir = CLI.temporaryDirectory()
        let bigFile = Self.write(Array(big), "big.csv", in: dir)
        let bigTables = try CLI.run(["tables", bigFile, "--table", "2.2", "-q"])
        let bigPiped = try CLI.run(["tables", "-", "--table", "2.2", "-q"], stdin: big)
        #expect(bigPiped.status == 0, "\(bigPiped.stderr)")
        #expect(bigPiped.stdout == bigTables.stdout)
        let broken = try CLI.run(["tables", "-", "-q"], stdin: Data("respondent_id,bestuurslaag\n1\n".utf8))
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("<stdin>"), "\(broken.stderr)")
        #expect(!broken.stderr.contains("monitor-input-"), "\(broken.stderr)")
    }

    @Test("weigh reads a FIFO written by another process, and a process substitution, as it reads the file")
    func fifo() throws {
        let dir = CLI.temporaryDirectory()
        let fifo = dir.appendingPathComponent("respondenten.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$1\" > \"$2\"", "sh", Self.bundled, fifo]
        try writer.run()
        let weighed = try CLI.run(["weigh", fifo, "-q"])
        if writer.isRunning && weighed.status != 0 { writer.terminate() }  // never opened: do not hang
        writer.waitUntilExit()
        #expect(weighed.status == 0, "\(weighed.stderr)")
        let regular = try CLI.run(["weigh", Self.bundled, "-q"])
        #expect(weighed.stdout == regular.stdout)
        #expect(!weighed.stdout.isEmpty)

        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let substitution = Process()
        substitution.executableURL = URL(fileURLWithPath: "/bin/bash")
        substitution.arguments = ["-c", "\"$1\" weigh <(cat \"$2\") -q --output \"$3\"", "bash", CLI.binary.path, Self.bundled,
                                  dir.appendingPathComponent("out.csv").path]
        try substitution.run()
        substitution.waitUntilExit()
        #expect(substitution.terminationStatus == 0)
        #expect(try String(contentsOfFile: dir.appendingPathComponent("out.csv").path, encoding: .utf8) == regular.stdout)
    }

    // MARK: 6. binary input

    @Test("a NUL byte is an error naming file, line, column and value; exit 1")
    func nulByte() throws {
        let dir = CLI.temporaryDirectory()
        let path = Self.write(Array("a,b\n1,x\n2,y\0z\n".utf8), "nul.csv", in: dir)
        let message = "line 3, column 2 \"b\", value \"y\\0\": a NUL byte"
        let result = try CLI.run(["describe", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("nul.csv, " + message), "\(result.stderr)")
        let piped = try CLI.run(["describe", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(piped.status == 1)
        #expect(piped.stderr.contains("<stdin>, " + message), "\(piped.stderr)")
        // In a quoted field, and in a column the command does not keep: still an error.
        let quoted = Self.write(Array("id,cel,opmerking\n1,a,\"x\0\"\n".utf8), "quoted.csv", in: dir)
        let weighed = try CLI.run(["weigh", quoted, "--cell", "cel", "--frame", Self.frame])
        #expect(weighed.status == 1)
        #expect(weighed.stderr.contains("quoted.csv, line 2, column 3 \"opmerking\", value \"x\\0\": a NUL byte"), "\(weighed.stderr)")
    }

    static let sav = Array("$FL2@(#) IBM SPSS STATISTICS 64-bit Linux 29.0.0.0".utf8) + [UInt8](repeating: 32, count: 12) + [2, 0, 0, 0, 0, 0, 0, 0]

    @Test("binary formats are recognised by their signature: exit 1, what the file is and how to get a CSV", arguments: [
        // SPSS files are read (docs/input.md): a header without a dictionary is a damaged SPSS file, not a CSV.
        ("data.sav", sav, "data.sav: cannot read the SPSS file"),
        ("data.zsav", Array("$FL3".utf8) + Array(sav.dropFirst(4)), "data.zsav: cannot read the SPSS file"),
        ("data.xlsx", [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0] + [UInt8](repeating: 0, count: 22) + Array("xl/workbook.xml".utf8),
         "this is an Excel workbook (.xlsx), not a CSV file; save the sheet from Excel as \"CSV UTF-8 (comma delimited)\""),
        ("data.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "this is an Excel 97-2003 workbook (.xls)"),
        ("data.csv.zip", [0x50, 0x4B, 0x03, 0x04, 20, 0] + Array("data.csv".utf8), "this is a ZIP archive, not a CSV file; decompress it first"),
        ("data.parquet", Array("PAR1".utf8) + [0x15, 0x00, 0x15, 0x1C], "this is a Parquet file"),
        ("data.csv.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3], "this is a gzip-compressed file, not a CSV file; decompress it first"),
        ("data.dta", Array("<stata_dta><header><release>118</release>".utf8), "this is a Stata data file (.dta)"),
        ("old.dta", [0x72, 0x02, 0x01, 0x00, 0x05, 0x00], "this is a Stata data file (.dta)"),
        ("data.sas7bdat", [UInt8](repeating: 0, count: 12) + [0xC2, 0xEA, 0x81, 0x60, 0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92,
                                                             0x08, 0x00, 0x09, 0xC7, 0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11],
         "this is a SAS data set (.sas7bdat)"),
        ("unicode.txt", [0xFF, 0xFE] + Array("a\0\t\0b\0\r\0\n\0".utf8), "this is UTF-16 text (Excel's \"Unicode text\")"),
    ] as [(String, [UInt8], String)])
    func binaryFormats(name: String, bytes: [UInt8], message: String) throws {
        let dir = CLI.temporaryDirectory()
        let path = Self.write(bytes, name, in: dir)
        let result = try CLI.run(["describe", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("monitor: error: "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("a damaged SPSS file given to weigh, tables or report, as a file or on standard input, is the same error; PAR1 as a column name is CSV")
    func binaryElsewhere() throws {
        let dir = CLI.temporaryDirectory()
        let path = Self.write(Self.sav, "data.sav", in: dir)
        for arguments in [["weigh", path], ["tables", path], ["tables", "-"], ["weigh", "-"], ["report", path]] {
            let result = try CLI.run(arguments + ["-q"], stdin: Data(Self.sav))
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("cannot read the SPSS file"), "\(arguments): \(result.stderr)")
        }
        let csv = Self.write("PAR1,PAR2\n1,2\n", "parameters.csv", in: dir)
        let result = try CLI.run(["describe", csv])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1 data rows read"))
    }
}
