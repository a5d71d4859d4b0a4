import Foundation
import Testing
@testable import MonitorCore

/// Where the charts put their text: inside the chart, the first wave's values beside (not on) their points.
@Suite("Chart layout")
struct ChartLayoutTests {
    /// Every `<text>` of a chart: x, y, anchor, size and content (tspans joined).
    static func texts(_ svg: String) -> [(x: Double, y: Double, anchor: String, size: Double, text: String)] {
        let pattern = try! NSRegularExpression(pattern: "<text ([^>]*)>(.*?)</text>")
        let ns = svg as NSString
        return pattern.matches(in: svg, range: NSRange(location: 0, length: ns.length)).map { m in
            let attributes = ns.substring(with: m.range(at: 1))
            var content = ns.substring(with: m.range(at: 2))
            content = content.replacingOccurrences(of: "<title>.*?</title>", with: "", options: .regularExpression)
                .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            func attribute(_ name: String) -> String? {
                guard let r = attributes.range(of: "\(name)=\"([^\"]*)\"", options: .regularExpression) else { return nil }
                return String(attributes[r].dropFirst(name.count + 2).dropLast())
            }
            return (Double(attribute("x") ?? "0") ?? 0, Double(attribute("y") ?? "0") ?? 0, attribute("text-anchor") ?? "start",
                    Double(attribute("font-size") ?? "") ?? SVGChart.fontSize, content)
        }
    }

    /// Every text's estimated extent lies within 0...width.
    static func inside(_ chart: SVGChart, width: Double = 880, sourceLocation: SourceLocation = #_sourceLocation) {
        for t in texts(chart.markup) {
            let w = Markup.textWidth(t.text, fontSize: t.size)
            let (left, right) = t.anchor == "end" ? (t.x - w, t.x) : (t.anchor == "middle" ? (t.x - w / 2, t.x + w / 2) : (t.x, t.x + w))
            #expect(left >= 0 && right <= width + 0.5, "\(chart.id): \(t.text) spans \(left)...\(right)", sourceLocation: sourceLocation)
        }
    }

    /// Five series with long names and close values in 2022 (Tabel 2.13), a long answer in the stacked legend.
    static var background: ComputedTable {
        let labels = ["Achtergrond: Uiting van ongenoegen over een bepaalde situatie of organisatie, zonder specifiek gericht te zijn op u als een persoon",
                      "Achtergrond: Uiting van oplopende emoties c.q. frustratie", "Achtergrond: Bewust gebruikt om een bepaald doel te bereiken",
                      "Achtergrond: Uiting van ongerichte, onvoorspelbare agressie door personen met verward gedrag", "Achtergrond: Weet ik niet"]
        let values = [0.31, 0.31, 0.26, 0.07, 0.05], earlier = [32.0, 33, 23, 7, 3]
        let rows = labels.indices.map { ComputedTable.Row(key: "achtergrond=\($0)", label: labels[$0]) }
        let cells = labels.indices.map { i in
            ReportTests.cell("achtergrond=\(i)", "", "", values[i], n: 485, rowLabel: labels[i],
                             trend: [.init(wave: "2022", published: earlier[i], n: 500, verdict: i == 4 ? .higher : .notSignificant, pValue: 0.3)])
        }
        return ComputedTable(spec: ReportTests.spec("2.13", title: "Achtergrond"), baseN: 485, rows: rows,
                             columns: [.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: 485)], cells: cells)
    }

    @Test("trend: long series names wrap inside the chart; the first wave's values stand left of their points, apart")
    func trendLabels() throws {
        let charts = SVGChart.charts(for: Self.background, id: "c")
        #expect(charts.map(\.kind) == [.stacked, .trend])
        for chart in charts { Self.inside(chart) }
        let trend = charts[1].markup
        let texts = Self.texts(trend)
        #expect(texts.contains { $0.text == "Achtergrond: Weet ik niet" })
        #expect(texts.filter { $0.text.hasPrefix("Achtergrond: Uiting van ongenoegen") }.count == 1)  // wrapped: its first line
        // The 2022 values: right-aligned before the first points, at least 15 px apart.
        let first = texts.filter { $0.anchor == "end" && $0.text.hasSuffix("%") && ["32%", "33%", "23%", "7%", "3%"].contains($0.text) }
        #expect(first.count == 5)
        let pointX = try #require(trend.range(of: "cx=\"[0-9.]+\"", options: .regularExpression).map { Double(trend[$0].dropFirst(4).dropLast())! })
        #expect(first.allSatisfy { $0.x <= pointX - 6 })
        let ys = first.map(\.y).sorted()
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $1 - $0 >= 15 - 1e-9 })
    }

    @Test("bars: a panel title with a word wider than its panel is set smaller, not cut")
    func panelTitle() {
        // More rows than columns: one panel per column, titled with the group's label.
        let long = "Volksvertegenwoordigersenwaterschapsbestuurders"
        let rows = (0..<5).map { ComputedTable.Row(key: "r\($0)", label: "Rij \($0)") }
        let columns: [ComputedTable.Column] = [.init(block: "", blockLabel: "Totaal", code: "", label: "Totaal", n: 300),
                                               .init(block: "type", blockLabel: "Type", code: "vv", label: long, n: 200),
                                               .init(block: "type", blockLabel: "Type", code: "vz", label: "Voorzitters", n: 100)]
        let cells = rows.flatMap { row in
            columns.map { c in ReportTests.cell(row.key, c.block, c.code, 0.4, n: c.n, rowLabel: row.label, columnLabel: c.label) }
        }
        let table = ComputedTable(spec: ReportTests.spec("2.11", title: "Panelen"), baseN: 300, rows: rows, columns: columns, cells: cells)
        let chart = SVGChart.bars(table, id: "b", style: .init(width: 520))
        #expect(chart.markup.contains(">\(long)</text>"))
        Self.inside(chart, width: 520)
    }

    @Test("the page: a value never wraps (37% ▼), headers break only between words, a wide table prints on a landscape page")
    func pageStyle() {
        let css = HTMLReport.css
        #expect(css.contains("td { white-space: nowrap; }") && !css.contains("anywhere"))
        #expect(css.contains("@page landscape { size: A4 landscape;") && css.contains("div.landscape { page: landscape; }"))
        var wide = ReportTests.prevalence
        let extra = (0..<6).map { ComputedTable.Column(block: "b", blockLabel: "B", code: "c\($0)", label: "Groep \($0)", n: 50) }
        wide.columns += extra
        #expect(HTMLReport.render([wide]).contains("<div class=\"landscape\">"))
        #expect(!HTMLReport.render([ReportTests.prevalence]).contains("<div class=\"landscape\">"))
    }
}
