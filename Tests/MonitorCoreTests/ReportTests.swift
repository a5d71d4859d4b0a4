import Foundation
import Testing
import ZIPFoundation
@testable import MonitorCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The page of `monitor report` (HTML with SVG charts) and the xlsx workbook of `monitor tables --format xlsx`:
/// well-formed, every chart has data, the charts' and the sheets' numbers are the tables' numbers.
@Suite("Report: HTML, SVG and xlsx")
struct ReportTests {
    // MARK: fixtures

    static func cell(_ row: String, _ block: String, _ column: String, _ estimate: Double?, n: Int = 100,
                     flag: SmallGroupFlag = .none, verdict: Comparison.Verdict? = nil, rowLabel: String = "", columnLabel: String = "",
                     statistic: TableSpec.Statistic = .percent, trend: [TableCell.Trend] = []) -> TableCell {
        TableCell(row: row, rowLabel: rowLabel.isEmpty ? row : rowLabel, block: block, column: column,
                  columnLabel: columnLabel.isEmpty ? (column.isEmpty ? "Totaal" : column) : columnLabel, statistic: statistic, n: n,
                  effectiveN: Double(n), estimate: estimate, standardError: estimate.map { _ in 0.02 }, ciLow: nil, ciHigh: nil,
                  flag: flag, verdict: verdict, pValue: nil, trend: trend)
    }

    static func spec(_ id: String, kind: TableSpec.Kind = .tabel, title: String, decimals: Int? = 0) -> TableSpec {
        TableSpec(id: id, kind: kind, survey: "ambtsdragers", family: .prevalence, title: title,
                  base: .init(label: "politieke ambtsdragers", filter: nil), rows: [], columns: [], decimals: decimals, test: nil,
                  previous: nil, source: nil, published: nil, notes: nil, file: nil)
    }

    /// Forms by groups (bars), with a suppressed, an indicatief, a higher and a lower group, and text that needs escaping.
    static var prevalence: ComputedTable {
        ComputedTable(
            spec: spec("2.2", title: "Ervaring met agressie & intimidatie <naar> \"groep\""),
            baseN: 300,
            rows: [.init(key: "slachtoffer", label: "Totaal"), .init(key: "fysieke_agressie", label: "Fysieke agressie")],
            columns: [.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: 300),
                      .init(block: "bestuurslaag", blockLabel: "Overheid", code: "gemeente", label: "Gemeenten", n: 250),
                      .init(block: "bestuurslaag", blockLabel: "Overheid", code: "provincie", label: "Provincies", n: 42),
                      .init(block: "bestuurslaag", blockLabel: "Overheid", code: "waterschap", label: "Waterschappen", n: 8)],
            cells: [
                cell("slachtoffer", "", "", 0.4512, n: 300),
                cell("slachtoffer", "bestuurslaag", "gemeente", 0.4734, n: 250, verdict: .higher, columnLabel: "Gemeenten"),
                cell("slachtoffer", "bestuurslaag", "provincie", 0.2349, n: 42, flag: .indicative, verdict: .lower, columnLabel: "Provincies"),
                cell("slachtoffer", "bestuurslaag", "waterschap", nil, n: 8, flag: .suppressed, columnLabel: "Waterschappen"),
                cell("fysieke_agressie", "", "", 0.029, n: 300),
                cell("fysieke_agressie", "bestuurslaag", "gemeente", 0.031, n: 250, verdict: .notSignificant, columnLabel: "Gemeenten"),
                cell("fysieke_agressie", "bestuurslaag", "provincie", 0.0, n: 42, flag: .indicative, columnLabel: "Provincies"),
                cell("fysieke_agressie", "bestuurslaag", "waterschap", nil, n: 8, flag: .suppressed, columnLabel: "Waterschappen"),
            ])
    }

    /// The answers to one question (stacked bars), with earlier waves (a trend line).
    static var severity: ComputedTable {
        ComputedTable(
            spec: spec("2.9", kind: .figuur, title: "Hoe ernstig?"),
            baseN: 120,
            rows: [.init(key: "ernst_categorie=minder_ernstig", label: "Minder ernstig"), .init(key: "ernst_categorie=zeer_ernstig", label: "(Zeer) ernstig")],
            columns: [.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: 120)],
            cells: [
                cell("ernst_categorie=minder_ernstig", "", "", 0.665, n: 120, rowLabel: "Minder ernstig",
                     trend: [.init(wave: "2014", published: 63, n: nil, verdict: .notTested, pValue: nil),
                             .init(wave: "2022", published: 72, n: 900, verdict: .lower, pValue: 0.01)]),
                cell("ernst_categorie=zeer_ernstig", "", "", 0.335, n: 120, rowLabel: "(Zeer) ernstig",
                     trend: [.init(wave: "2022", published: 28, n: 900, verdict: .higher, pValue: 0.01)]),
            ])
    }

    /// A mean (one decimal).
    static var mean: ComputedTable {
        ComputedTable(spec: spec("2.6", kind: .figuur, title: "Online", decimals: nil), baseN: 80,
                      rows: [.init(key: "aandeel_online", label: "Online (%)")],
                      columns: [.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: 80)],
                      cells: [cell("aandeel_online", "", "", 65.55, n: 80, statistic: .mean)])
    }

    static var all: [ComputedTable] { [prevalence, severity, mean] }

    // MARK: parsing

    struct Mark: Equatable {
        var table: String, row: String, block: String, column: String, wave: String?, value: Double, label: String
    }

    struct SVG {
        var id: String
        var hasTitle = false
        var hasDescription = false
        var role: String?
        var labelledBy: String?
        var marks: [Mark] = []
    }

    /// Reads every <svg> of a page: its title, description, role and the data marks (class `mark` with data-value).
    final class PageReader: NSObject, XMLParserDelegate {
        var svgs: [SVG] = []
        var depth = 0
        var svgDepth: Int?
        var elements = 0
        var error: Error?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            depth += 1
            elements += 1
            if name == "svg" {
                svgs.append(SVG(id: attributes["id"] ?? "", role: attributes["role"], labelledBy: attributes["aria-labelledby"]))
                svgDepth = depth
                return
            }
            guard let svgDepth, !svgs.isEmpty else { return }
            if depth == svgDepth + 1 && name == "title" { svgs[svgs.count - 1].hasTitle = true }
            if depth == svgDepth + 1 && name == "desc" { svgs[svgs.count - 1].hasDescription = true }
            let classes = (attributes["class"] ?? "").split(separator: " ")
            if classes.contains("mark"), let value = attributes["data-value"].flatMap(Double.init) {
                svgs[svgs.count - 1].marks.append(Mark(table: attributes["data-table"] ?? "", row: attributes["data-row"] ?? "",
                                                       block: attributes["data-block"] ?? "", column: attributes["data-column"] ?? "",
                                                       wave: attributes["data-wave"], value: value, label: attributes["data-label"] ?? ""))
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "svg" { svgDepth = nil }
            depth -= 1
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
    }

    static func read(_ text: String) throws -> PageReader {
        let parser = XMLParser(data: Data(text.utf8))
        let reader = PageReader()
        parser.delegate = reader
        let ok = parser.parse()
        #expect(ok, "the page is well-formed XML: \(String(describing: reader.error ?? parser.parserError))")
        return reader
    }

    /// Every mark of every chart is a cell of its table: the same unrounded value, the label as the table prints it.
    static func checkMarks(_ svgs: [SVG], tables: [ComputedTable], sourceLocation: SourceLocation = #_sourceLocation) {
        for svg in svgs {
            #expect(svg.hasTitle && svg.hasDescription, "\(svg.id) has a <title> and a <desc>", sourceLocation: sourceLocation)
            #expect(svg.role == "img" && svg.labelledBy == "\(svg.id)-title \(svg.id)-desc", sourceLocation: sourceLocation)
            #expect(!svg.marks.isEmpty, "\(svg.id) has data", sourceLocation: sourceLocation)
            for mark in svg.marks {
                guard let table = tables.first(where: { $0.spec.key == mark.table }),
                      let cell = table.cell(row: mark.row, block: mark.block, column: mark.column) else {
                    Issue.record("\(svg.id): a mark of no cell: \(mark)", sourceLocation: sourceLocation)
                    continue
                }
                let decimals = table.spec.decimals ?? 0
                if let wave = mark.wave, let trend = cell.trend.first(where: { $0.wave == wave }) {
                    #expect(mark.value == (cell.statistic == .percent ? trend.published / 100 : trend.published), sourceLocation: sourceLocation)
                    #expect(mark.label == NumberFormat.fixed(trend.published, cell.statistic == .percent ? decimals : 1)
                        .replacingOccurrences(of: ".", with: ",") + (cell.statistic == .percent ? "%" : ""), sourceLocation: sourceLocation)
                } else {
                    #expect(mark.value == cell.estimate, "\(svg.id) \(mark.row) \(mark.column)", sourceLocation: sourceLocation)
                    #expect(mark.label.hasPrefix(TableReport.value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "")),
                            "\(svg.id): \(mark.label)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    // MARK: HTML and SVG

    @Test("the page is well-formed XHTML; every chart has a title, a description and data; the chart values are the table values")
    func pageAndCharts() throws {
        let html = HTMLReport.render(Self.all, options: .init(sources: ["bestand <a&b>.csv"]))
        let page = try Self.read(html)
        #expect(page.svgs.count == 4, "bars, stacked bars + trend, bars of the mean")
        Self.checkMarks(page.svgs, tables: Self.all)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"nl\""))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script") && !html.contains("http://www.w3.org/2000/svg\" href") && !html.contains("@import")
                && !html.contains("url("), "self-contained: no scripts, no external resources")
        #expect(html.contains("bestand &lt;a&amp;b&gt;.csv") && html.contains("agressie &amp; intimidatie &lt;naar&gt; &quot;groep&quot;"))
        #expect(HTMLReport.render(Self.all) == HTMLReport.render(Self.all), "same tables, same bytes")
    }

    @Test("bars mark significance by colour and symbol, indicatief with *, suppressed with – and no bar")
    func barMarks() throws {
        let charts = SVGChart.charts(for: Self.prevalence, id: "c")
        #expect(charts.map(\.kind) == [.bars])
        let svg = charts[0].markup
        let page = try Self.read(svg)
        let marks = page.svgs[0].marks
        #expect(marks.count == 6, "8 cells, 2 suppressed")
        #expect(marks.first { $0.column == "gemeente" && $0.row == "slachtoffer" }?.label == "47% ▲")
        #expect(marks.first { $0.column == "provincie" && $0.row == "slachtoffer" }?.label == "23%* ▼")
        #expect(marks.first { $0.column == "provincie" && $0.row == "fysieke_agressie" }?.label == "0%*")
        #expect(svg.contains("class=\"mark bar hoger\"") && svg.contains("fill=\"\(SVGChart.higherColor)\""))
        #expect(svg.contains("class=\"mark bar lager indicatief\"") && svg.contains("fill=\"\(SVGChart.lowerColor)\""))
        #expect(svg.contains("class=\"suppressed\"") && svg.contains("niet getoond: minder dan 10 respondenten"))
        #expect(svg.contains("Gemeenten, Totaal: 47,3% (n = 250), significant hoger"), "the tooltip and description")
    }

    @Test("answers to one question are stacked; earlier waves give a trend line to scale with the current point last")
    func stackedAndTrend() throws {
        let charts = SVGChart.charts(for: Self.severity, id: "c")
        #expect(charts.map(\.kind) == [.stacked, .trend])
        let trend = try Self.read(charts[1].markup).svgs[0].marks
        #expect(trend.map { $0.wave ?? "" } == ["2014", "2022", "2024", "2022", "2024"])
        #expect(trend.filter { $0.wave == "2024" }.map(\.label) == ["67% ↓", "34% ↑"])
        #expect(charts[1].markup.contains("stroke-dasharray=\"6 4\""), "2014-2022: waves in between not published")
        #expect(charts[1].summary.contains("2024: 66,5% (n = 120), significant lager dan in 2022"))
        #expect(SVGChart.isStacked(Self.severity) && !SVGChart.isStacked(Self.prevalence))
    }

    @Test("markup helpers: escaping drops control characters; wrapping keeps every word")
    func markup() {
        #expect(Markup.escape("a<b>&\"c'\u{1}") == "a&lt;b&gt;&amp;&quot;c&#39;")
        let lines = Markup.wrap("Contact met personen buiten de organisatie", width: 120, fontSize: 12, maxLines: 5)
        #expect(lines.count > 1 && lines.joined(separator: " ") == "Contact met personen buiten de organisatie")
        #expect(Markup.number(-0.04) == "0" && Markup.number(12.25) == "12.3" && Markup.number(40) == "40")
    }

    // MARK: xlsx

    @Test("xlsx: the package parts, one sheet per table, numbers as numbers, the same bytes twice")
    func workbook() throws {
        let data = try TableReport.xlsx(Self.all)
        #expect(try TableReport.xlsx(Self.all) == data, "deterministic bytes")
        let archive = try Archive(data: data, accessMode: .read)
        let names = Set(archive.map(\.path))
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"] {
            #expect(names.contains(part), "\(part)")
        }
        func part(_ path: String) throws -> String {
            var bytes = Data()
            _ = try archive.extract(try #require(archive[path]), consumer: { bytes.append($0) })
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(XMLParser(data: bytes).parse(), "\(path) is well-formed")
            return text
        }
        let workbook = try part("xl/workbook.xml")
        #expect(workbook.contains("<sheet name=\"Tabel 2.2\" sheetId=\"1\" r:id=\"rId1\"/>") && workbook.contains("name=\"Figuur 2.9\""))
        _ = try part("[Content_Types].xml")

        let sheet = try part("xl/worksheets/sheet1.xml")
        // Every shown estimate of Tabel 2.2 is a number cell holding the unrounded proportion; suppressed cells are text.
        for cell in Self.prevalence.cells {
            if let estimate = cell.estimate {
                #expect(sheet.contains("t=\"n\"><v>\(NumberFormat.exact(estimate))</v></c>"), "\(cell.row) \(cell.column)")
            }
        }
        #expect(sheet.contains("Basis: politieke ambtsdragers (n=300)</t>"), "the base n")
        // Readable: blocks over the groups (merged), panes frozen below the headers and right of the row labels,
        // widths from the content, A4 fitted to the page width; the marks as a suffix of the number format.
        #expect(sheet.contains("<pane xSplit=\"1\" ySplit=\"4\" topLeftCell=\"B5\" activePane=\"bottomRight\" state=\"frozen\"/>"))
        #expect(sheet.contains("<mergeCell ref=\"C3:E3\"/>") && sheet.contains("<mergeCell ref=\"B3:B4\"/>"))
        #expect(sheet.contains("<pageSetup paperSize=\"9\" orientation=\"portrait\" fitToWidth=\"1\" fitToHeight=\"0\"/>"))
        #expect(sheet.contains("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"))
        #expect(sheet.contains("<col min=\"2\" max=\"2\" width=\"9\" customWidth=\"1\"/><col min=\"3\" max=\"3\" width=\"12\" customWidth=\"1\"/>"))
        #expect(!sheet.contains("Markeringen"))
        let styles = try part("xl/styles.xml")
        #expect(styles.contains("formatCode=\"0%&quot; ▲&quot;\"") && styles.contains("formatCode=\"0%&quot;* ▼&quot;\""))
        #expect(styles.contains("<alignment horizontal=\"center\" vertical=\"bottom\" wrapText=\"1\"/>"))
        #expect(sheet.contains("<t xml:space=\"preserve\">–</t>"), "suppressed")
        #expect(sheet.contains("Ervaring met agressie &amp; intimidatie &lt;naar&gt; &quot;groep&quot;"))
        let trend = try part("xl/worksheets/sheet2.xml")
        #expect(trend.contains("<v>0.63</v>") && trend.contains("<v>0.72</v>") && trend.contains("↓ lager"), "earlier waves as numbers")
        #expect(try part("xl/worksheets/sheet3.xml").contains("t=\"n\"><v>65.55</v>"))
    }

    @Test("sheet names: at most 31 characters, none of []:*?/\\, unique")
    func sheetNames() {
        #expect(XLSXWorkbook.sheetName("Tabel [2.2]: a/b?c*d\\e", taken: []) == "Tabel -2.2-- a-b-c-d-e")
        let long = String(repeating: "x", count: 40)
        let first = XLSXWorkbook.sheetName(long, taken: [])
        let second = XLSXWorkbook.sheetName(long, taken: [first])
        #expect(first.count == 31 && second.count == 31 && first != second && second.hasSuffix(" (2)"))
        #expect(XLSXWorkbook.sheetName("tabel 2.2", taken: ["Tabel 2.2"]) == "tabel 2.2 (2)")
        #expect(XLSXWorkbook.columnName(0) == "A" && XLSXWorkbook.columnName(25) == "Z" && XLSXWorkbook.columnName(26) == "AA")
    }
}
