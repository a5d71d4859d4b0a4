import Foundation
import Testing
@testable import MonitorCore

/// The Markdown of `monitor tables`: column blocks as a header row over the groups, no line over the limit.
@Suite("Markdown layout")
struct MarkdownLayoutTests {
    /// A table with one block of `groups` groups with long labels, and a row label of `rowLabel`.
    static func wide(groups: Int, rowLabel: String = "Totaal") -> ComputedTable {
        let columns = (0..<groups).map { g in
            ComputedTable.Column(block: "blok", blockLabel: "Contact met mensen van buiten de organisatie", code: "g\(g)",
                                 label: "Groep nummer \(g) met een lange naam", n: 100 + g)
        }
        let cells = columns.map { c in
            ReportTests.cell("r", "blok", c.code, 0.25, n: c.n, verdict: c.code == "g1" ? .higher : nil, rowLabel: rowLabel, columnLabel: c.label)
        }
        return ComputedTable(spec: ReportTests.spec("9.1", title: "Een tabel"), baseN: 500,
                             rows: [.init(key: "r", label: rowLabel)], columns: columns, cells: cells)
    }

    @Test("blocks: the block label over its first column, the groups' labels wrapped in the rows below, numbers under them")
    func blockHeader() {
        let md = TableReport.markdown(ReportTests.prevalence)
        let lines = md.split(separator: "\n").map(String.init)
        #expect(lines.contains("|                  | Totaal | Overheid  |            |               |"))
        #expect(lines.contains("|                  |        | Gemeenten | Provincies | Waterschappen |"))
        #expect(lines.contains("| Totaal           |    45% |     47% ▲ |     23%* ▼ |             – |"))
        #expect(lines.contains("| n                |    300 |       250 |        42* |             8 |"))
    }

    @Test("a block wider than a line continues in a next table with its label and (vervolg); long row labels wrap")
    func split() {
        let label = String(repeating: "Ik voel me veilig bij het uitoefenen van mijn werkzaamheden ", count: 2) + "(Helemaal) mee eens"
        let md = TableReport.markdown(Self.wide(groups: 12, rowLabel: label))
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= TableReport.lineLimit }, "\(md)")
        #expect(md.contains("| Contact met mensen van buiten de organisatie (vervolg) |"))
        #expect(md.contains("| Ik voel me veilig bij het uitoefenen van mijn    |"))
        // Every group's value and n is printed once, in one of the tables.
        #expect(md.components(separatedBy: "25% ▲").count == 2)
        #expect((0..<12).allSatisfy { md.contains(" \(100 + $0) |") })
        #expect(md.components(separatedBy: "| n ").count >= 3)
    }

    @Test("wrap: at spaces, a long name after _, a continuation row for the rest of a cell")
    func wrap() {
        #expect(MarkdownTable.wrap("Leden dagelijks bestuur", width: 16) == ["Leden dagelijks", "bestuur"])
        #expect(MarkdownTable.wrap("reden_geen_aangifte_wist_niet_dat_het_kon, x", width: 28) == ["reden_geen_aangifte_wist_", "niet_dat_het_kon, x"])
        #expect(MarkdownTable.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        var table = MarkdownTable(headers: ["a", "b"], maxWidths: [10, nil])
        table.add(["een twee drie vier", "1"])
        #expect(table.render() == "| a         | b   |\n| --------- | --- |\n| een twee  | 1   |\n| drie vier |     |\n")
    }
}
