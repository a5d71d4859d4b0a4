import Foundation
import Testing

/// `monitor describe` through the built binary: output, messages and exit codes.
@Suite("monitor describe")
struct DescribeCommandTests {
    @Test("describes any CSV: rows read, dialect, one line per column")
    func profile() throws {
        let result = try CLI.run(["describe", CLI.fixture("input/semicolon-decimal-comma.csv")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Rows: 3 data rows read. Columns: 3. Dialect: semicolon-delimited, utf-8, decimal comma."))
        #expect(result.stdout.contains("|   3 | score         | number  |      3 |     0 |        3 | 0.250 | 4.500 | 2.583 |"), "\(result.stdout)")
        #expect(result.stdout.contains("number"))
        #expect(result.stderr.contains("3 data rows read"))
    }

    @Test("reads standard input with '-'")
    func standardInput() throws {
        let result = try CLI.run(["describe", "-", "--format", "csv"], stdin: Data("x,y\n1,a\n2,b\n".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("column,position,type,filled,empty,distinct,min,max,mean,most_frequent\n"))
        #expect(result.stdout.contains("x,1,integer,2,0,2,1,2,1.5,1 (1); 2 (1)\n"))
    }

    @Test("--quiet silences notes; --output writes the file atomically and not over the input")
    func output() throws {
        let dir = CLI.temporaryDirectory()
        let target = dir.appendingPathComponent("profile.md").path
        let result = try CLI.run(["describe", CLI.fixture("input/comma.csv"), "--output", target, "--quiet"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("# "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["profile.md"])

        let input = dir.appendingPathComponent("in.csv").path
        try "a\n1\n".write(toFile: input, atomically: true, encoding: .utf8)
        let clobber = try CLI.run(["describe", input, "--output", input])
        #expect(clobber.status == 2)
        #expect(clobber.stderr.contains("refusing to overwrite the input"))
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a\n1\n")
    }

    @Test("same input, same bytes out")
    func deterministic() throws {
        let a = try CLI.run(["describe", CLI.fixture("input/quoted.csv")])
        let b = try CLI.run(["describe", CLI.fixture("input/quoted.csv")])
        #expect(a.stdout == b.stdout)
    }

    @Test("bad input: message names file, line, column and value; exit status 1",
          arguments: [
            ("input/too-few-fields.csv", "too-few-fields.csv, line 3: too few fields: expected 3 (as in the header), found 2"),
            ("input/too-many-fields.csv", "too-many-fields.csv, line 3: too many fields: expected 3 (as in the header), found 4"),
            ("input/unterminated-quote.csv", "unterminated-quote.csv, line 3: a quoted field starting on this line is never closed"),
            ("input/malformed-quote.csv", "malformed-quote.csv, line 3, column 2 \"b\", value \"5\": malformed quoting"),
            ("input/duplicate-header.csv", "duplicate-header.csv, line 1, column 3 \"a\": duplicate column name: column 1 has the same name"),
            ("input/empty-header.csv", "empty-header.csv, line 1, column 2: empty column name in the header"),
            ("input/empty.csv", "empty.csv: the file is empty"),
            ("input/does-not-exist.csv", "does-not-exist.csv: cannot open file: No such file or directory"),
          ])
    func badInput(fixture: String, message: String) throws {
        let result = try CLI.run(["describe", CLI.fixture(fixture)])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("monitor: error: "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("--encoding utf-8 on a Windows-1252 file names the value")
    func encodingError() throws {
        let result = try CLI.run(["describe", CLI.fixture("input/windows-1252.csv"), "--encoding", "utf-8"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("windows-1252.csv, line 2, column 2 \"naam\", value \"José\": not valid UTF-8"))
    }

    @Test("usage errors exit with status 2", arguments: [
        ["describe"],
        ["describe", "x.csv", "--bogus"],
        ["describe", "x.csv", "--delimiter", "ab"],
        ["describe", "x.csv", "--encoding", "ebcdic"],
        ["frobnicate"],
    ])
    func usage(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test("help shows examples")
    func help() throws {
        let result = try CLI.run(["describe", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        let root = try CLI.run(["--help"])
        #expect(root.stdout.contains("describe"))
    }

    @Test("--survey checks a file against the codebook: valid example exits 0 and reports rows used")
    func surveyValid() throws {
        let result = try CLI.run(["describe", CLI.data("examples/ambtsdragers-example.csv"), "--survey", "ambtsdragers"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Rows: 60 data rows read, 60 used, 0 rejected"))
        #expect(result.stdout.contains("## Derived variables"))
        #expect(result.stderr.contains("60 data rows read, 60 used, 0 rejected"))
    }

    @Test("--map turns an SPSS export into the canonical file")
    func surveyMapped() throws {
        let result = try CLI.run(["describe", CLI.data("examples/ambtsdragers-spss-export.csv"),
                                  "--map", CLI.data("maps/example-spss-export.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| bestuurslaag "))
        #expect(result.stdout.contains("semicolon-delimited, utf-8, decimal comma"))
    }

    @Test("--survey with invalid values: every problem located, exit 1")
    func surveyInvalid() throws {
        let result = try CLI.run(["describe", CLI.fixture("input/ambtsdragers-invalid.csv"), "--survey", "ambtsdragers"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("## Problems"))
        #expect(result.stderr.contains("ambtsdragers-invalid.csv, line 3, column \"ernst\", value \"9\": not a valid number for ernst"), "\(result.stderr)")
        #expect(result.stderr.contains("line 5, column \"bestuurslaag\", value \"Gemeente\": not a valid code of bestuurslaag"))
        #expect(result.stderr.contains("line 4, column \"respondent_id\", value \"2\": respondent_id must be filled and unique"))
        #expect(result.stderr.contains("1 data rows read") == false)
        #expect(result.stderr.contains("4 data rows read, 1 used, 3 rejected"))
    }

    @Test("an unknown survey is a clear error")
    func unknownSurvey() throws {
        let result = try CLI.run(["describe", CLI.fixture("input/comma.csv"), "--survey", "burgers"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown survey \"burgers\""))
    }
}
