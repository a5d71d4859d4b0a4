import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `monitor report` as a user runs it, checked against `monitor tables --format json` on the same file; and
/// `monitor tables --format xlsx`. (The browser screenshot and the LibreOffice round trip are scripts:
/// scripts/render-report.sh, scripts/check-xlsx.py.)
@Suite("monitor report")
struct ReportCommandTests {
    let example = CLI.data("examples/ambtsdragers-example.csv")

    /// Every data mark of every <svg>: its table, cell coordinates, wave and value; and charts without a title.
    final class Marks: NSObject, XMLParserDelegate {
        var charts = 0
        var untitled: [String] = []
        var empty: [String] = []
        var marks: [[String: String]] = []
        private var current: (id: String, depth: Int, titled: Bool, marks: Int)?
        private var depth = 0

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            depth += 1
            if name == "svg" {
                charts += 1
                current = (attributes["id"] ?? "?", depth, false, 0)
            } else if let c = current {
                if name == "title" && depth == c.depth + 1 { current?.titled = true }
                if (attributes["class"] ?? "").split(separator: " ").contains("mark"), attributes["data-value"] != nil {
                    marks.append(attributes)
                    current?.marks += 1
                }
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "svg", let c = current {
                if !c.titled { untitled.append(c.id) }
                if c.marks == 0 { empty.append(c.id) }
                current = nil
            }
            depth -= 1
        }
    }

    @Test("the page of the example file: well-formed, every table, every chart titled and with data, values = monitor tables")
    func page() throws {
        let dir = CLI.temporaryDirectory()
        let output = dir.appendingPathComponent("report.html").path
        let run = try CLI.run(["report", example, "--survey", "ambtsdragers", "--output", output, "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try Data(contentsOf: URL(fileURLWithPath: output))
        let parser = XMLParser(data: html)
        let reader = Marks()
        parser.delegate = reader
        #expect(parser.parse(), "well-formed: \(String(describing: parser.parserError))")
        #expect(reader.charts > 20 && reader.untitled.isEmpty && reader.empty.isEmpty, "untitled \(reader.untitled), empty \(reader.empty)")

        let json = try CLI.run(["tables", example, "--survey", "ambtsdragers", "--format", "json", "-q"])
        let tables = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let text = String(decoding: html, as: UTF8.self)
        var cells: [String: [String: Any]] = [:]
        for table in tables {
            let spec = try #require(table["spec"] as? [String: Any])
            let key = ((spec["kind"] as? String) == "figuur" ? "F" : "T") + (spec["id"] as? String ?? "")
            #expect(text.contains("id=\"ambtsdragers-\(key)\""), "a section for \(key)")
            for cell in table["cells"] as? [[String: Any]] ?? [] {
                cells["\(key)|\(cell["row"] ?? "")|\(cell["block"] ?? "")|\(cell["column"] ?? "")"] = cell
            }
        }
        #expect(!reader.marks.isEmpty)
        for mark in reader.marks {
            let key = "\(mark["data-table"] ?? "")|\(mark["data-row"] ?? "")|\(mark["data-block"] ?? "")|\(mark["data-column"] ?? "")"
            let cell = try #require(cells[key], "a chart mark of no table cell: \(key)")
            let value = try #require(mark["data-value"].flatMap(Double.init))
            if let wave = mark["data-wave"], wave != "2024" {
                let trend = (cell["trend"] as? [[String: Any]] ?? []).first { $0["wave"] as? String == wave }
                let published = try #require(trend?["published"] as? Double, "\(key) \(wave)")
                #expect(abs(value - (cell["statistic"] as? String == "percent" ? published / 100 : published)) < 1e-12, "\(key) \(wave)")
            } else {
                let estimate = try #require(cell["estimate"] as? Double, "\(key): a mark for a suppressed cell")
                #expect(abs(value - estimate) <= 1e-15 * max(1, abs(estimate)), "\(key): \(value) vs \(estimate)")
            }
        }

        let again = dir.appendingPathComponent("again.html").path
        _ = try CLI.run(["report", example, "--survey", "ambtsdragers", "--output", again, "-q"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == html, "same input, same bytes")
        let refuse = try CLI.run(["report", example, "--survey", "ambtsdragers", "--output", example])
        #expect(refuse.status != 0 && refuse.stderr.contains("refusing to overwrite the input"))
    }

    @Test("tables --format xlsx writes a zip package, the same bytes twice, one file per table with --output DIR/")
    func xlsx() throws {
        let dir = CLI.temporaryDirectory()
        let first = dir.appendingPathComponent("a.xlsx").path, second = dir.appendingPathComponent("b.xlsx").path
        for path in [first, second] {
            let run = try CLI.run(["tables", example, "--survey", "ambtsdragers", "--format", "xlsx", "--output", path, "-q"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(bytes.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "a zip file")
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == bytes)
        let folder = dir.appendingPathComponent("tabellen/").path + "/"
        let run = try CLI.run(["tables", example, "--survey", "ambtsdragers", "--table", "T2.2", "--format", "xlsx", "--output", folder, "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ambtsdragers-T2.2.xlsx"])
    }
}
