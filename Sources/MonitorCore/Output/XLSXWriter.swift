import Foundation
import ZIPFoundation

/// A minimal Office Open XML spreadsheet (.xlsx) writer: sheets of numbers and text with a few styles.
///
/// The package holds `[Content_Types].xml`, `_rels/.rels`, `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`,
/// `xl/styles.xml` and `xl/worksheets/sheetN.xml`; text is written as inline strings, numbers as numbers
/// (`<c t="n"><v>…</v></c>`), so Excel and LibreOffice compute with them. The bytes depend only on the
/// content: the zip entries carry a fixed date (1980-01-01 00:00) and fixed permissions, and styles are numbered
/// in order of first use.
public struct XLSXWorkbook: Sendable {
    /// How a cell looks: a number format (Excel's codes, e.g. `0%`, `0.0`, `0%" ▲"`), bold, a font colour
    /// (RRGGBB), text wrapped in the cell, horizontal alignment (`center`, `right`; nil: Excel's default).
    public struct Style: Hashable, Sendable {
        public var numberFormat: String?
        public var bold: Bool
        public var color: String?
        public var wrap: Bool
        public var horizontal: String?

        public init(numberFormat: String? = nil, bold: Bool = false, color: String? = nil, wrap: Bool = false, horizontal: String? = nil) {
            self.numberFormat = numberFormat
            self.bold = bold
            self.color = color
            self.wrap = wrap
            self.horizontal = horizontal
        }
    }

    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case empty
    }

    public struct Cell: Sendable {
        public var value: Value
        public var style: Style

        public init(_ value: Value, style: Style = Style()) {
            self.value = value
            self.style = style
        }

        public static func number(_ x: Double, _ style: Style = Style()) -> Cell { Cell(.number(x), style: style) }
        public static func text(_ s: String, _ style: Style = Style()) -> Cell { Cell(s.isEmpty ? .empty : .text(s), style: style) }
        public static let empty = Cell(.empty)
    }

    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[Cell]]
        /// Widths of the first columns, in characters (Excel's unit).
        public var columnWidths: [Double]
        /// Rows and columns kept in view when scrolling (frozen panes): the headers above, the row labels left.
        public var frozenRows: Int = 0
        public var frozenColumns: Int = 0
        /// Merged ranges ("B3:D3").
        public var merges: [String] = []
        /// Heights of rows (0-based index) in points, where wrapped text needs more than one line.
        public var rowHeights: [Int: Double] = [:]
        /// Print: landscape instead of portrait; always A4, fitted to one page wide.
        public var landscape = false

        public init(name: String, rows: [[Cell]] = [], columnWidths: [Double] = []) {
            self.name = name
            self.rows = rows
            self.columnWidths = columnWidths
        }
    }

    public private(set) var sheets: [Sheet] = []

    public init() {}

    /// Adds a sheet; its name is made valid and unique (`sheetName`). Returns the name it got.
    @discardableResult
    public mutating func add(_ sheet: Sheet) -> String {
        var s = sheet
        s.name = Self.sheetName(sheet.name, taken: sheets.map(\.name))
        sheets.append(s)
        return s.name
    }

    /// A valid sheet name: none of `[ ] : * ? / \`, not starting or ending with `'`, 1-31 characters, and
    /// unique (case-insensitively, as Excel compares) among `taken`, by a suffix " (2)", " (3)", ... .
    public static func sheetName(_ proposed: String, taken: [String]) -> String {
        var base = String(proposed.map { "[]:*?/\\".contains($0) ? "-" : $0 }.filter { !$0.isNewline && $0 != "\t" })
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        if base.isEmpty { base = "Blad" }
        let existing = Set(taken.map { $0.lowercased() })
        func cut(_ s: String, _ limit: Int) -> String { s.count <= limit ? s : String(s.prefix(limit)).trimmingCharacters(in: CharacterSet(charactersIn: "' ")) }
        var name = cut(base, 31)
        var k = 2
        while existing.contains(name.lowercased()) {
            let suffix = " (\(k))"
            name = cut(base, 31 - suffix.count) + suffix
            k += 1
        }
        return name
    }

    /// "A", "B", ..., "Z", "AA", ... for column index 0, 1, ...
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    // MARK: package

    /// The .xlsx file's bytes.
    public func data() throws -> Data {
        var styles: [Style] = [Style()]
        func styleIndex(_ s: Style) -> Int {
            if let i = styles.firstIndex(of: s) { return i }
            styles.append(s)
            return styles.count - 1
        }
        var sheetXML: [String] = []
        for sheet in sheets {
            sheetXML.append(worksheet(sheet, styleIndex: styleIndex))
        }
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes()),
            ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>

            """),
            ("xl/workbook.xml", workbook()),
            ("xl/_rels/workbook.xml.rels", workbookRelationships()),
            ("xl/styles.xml", stylesXML(styles)),
        ]
        for (i, xml) in sheetXML.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", xml)) }

        let archive = try Archive(data: Data(), accessMode: .create)
        let fixedDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01 00:00:00 UTC, the earliest zip date
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: fixedDate,
                                 permissions: 0o644, compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw DataError(.io, SourcePosition(file: "xlsx"), "the xlsx package could not be built in memory") }
        return data
    }

    func contentTypes() -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
        """
        for i in sheets.indices {
            out += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return out + "</Types>\n"
    }

    func workbook() -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
        """
        for (i, sheet) in sheets.enumerated() {
            out += "<sheet name=\"\(Markup.escape(sheet.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        return out + "</sheets></workbook>\n"
    }

    func workbookRelationships() -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        """
        for i in sheets.indices {
            out += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        out += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return out + "</Relationships>\n"
    }

    func worksheet(_ sheet: Sheet, styleIndex: (Style) -> Int) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        """
        // Print fitted to the page width (as many pages down as needed).
        out += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
        if sheet.frozenRows > 0 || sheet.frozenColumns > 0 {
            let topLeft = Self.columnName(sheet.frozenColumns) + String(sheet.frozenRows + 1)
            let pane = sheet.frozenRows > 0 && sheet.frozenColumns > 0 ? "bottomRight" : (sheet.frozenRows > 0 ? "bottomLeft" : "topRight")
            out += "<sheetViews><sheetView workbookViewId=\"0\"><pane"
            if sheet.frozenColumns > 0 { out += " xSplit=\"\(sheet.frozenColumns)\"" }
            if sheet.frozenRows > 0 { out += " ySplit=\"\(sheet.frozenRows)\"" }
            out += " topLeftCell=\"\(topLeft)\" activePane=\"\(pane)\" state=\"frozen\"/><selection pane=\"\(pane)\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/></sheetView></sheetViews>"
        }
        if !sheet.columnWidths.isEmpty {
            out += "<cols>"
            for (i, w) in sheet.columnWidths.enumerated() {
                out += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(NumberFormat.exact(w))\" customWidth=\"1\"/>"
            }
            out += "</cols>"
        }
        out += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            out += "<row r=\"\(r + 1)\"" + (sheet.rowHeights[r].map { " ht=\"\(NumberFormat.exact($0))\" customHeight=\"1\"" } ?? "") + ">"
            for (c, cell) in row.enumerated() {
                let ref = Self.columnName(c) + String(r + 1)
                let s = styleIndex(cell.style)
                let styleAttribute = s == 0 ? "" : " s=\"\(s)\""
                switch cell.value {
                case .number(let x) where x.isFinite:
                    out += "<c r=\"\(ref)\"\(styleAttribute) t=\"n\"><v>\(NumberFormat.exact(x))</v></c>"
                case .text(let text):
                    out += "<c r=\"\(ref)\"\(styleAttribute) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Markup.escape(text))</t></is></c>"
                default:
                    if s != 0 { out += "<c r=\"\(ref)\"\(styleAttribute)/>" }
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !sheet.merges.isEmpty {
            out += "<mergeCells count=\"\(sheet.merges.count)\">" + sheet.merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        out += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        out += "<pageSetup paperSize=\"9\" orientation=\"\(sheet.landscape ? "landscape" : "portrait")\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        return out + "</worksheet>\n"
    }

    /// Fonts, number formats and cell formats for the styles used (index 0 is the default).
    func stylesXML(_ styles: [Style]) -> String {
        let builtIn = ["0": 1, "0.00": 2, "0%": 9, "0.00%": 10]
        var customFormats: [String] = []
        var fonts: [String] = []  // (bold, color) keys
        func fontKey(_ s: Style) -> String { "\(s.bold ? "b" : "")|\(s.color ?? "")" }
        var fontKeys = [fontKey(Style())]
        var xfs: [(numFmt: Int, font: Int, wrap: Bool, horizontal: String?)] = []
        for style in styles {
            var numFmt = 0
            if let code = style.numberFormat {
                if let id = builtIn[code] {
                    numFmt = id
                } else {
                    if !customFormats.contains(code) { customFormats.append(code) }
                    numFmt = 164 + customFormats.firstIndex(of: code)!
                }
            }
            let key = fontKey(style)
            if !fontKeys.contains(key) { fontKeys.append(key) }
            xfs.append((numFmt, fontKeys.firstIndex(of: key)!, style.wrap, style.horizontal))
        }
        for key in fontKeys {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false)
            var font = "<font>"
            if parts[0] == "b" { font += "<b/>" }
            font += "<sz val=\"11\"/>"
            if !parts[1].isEmpty { font += "<color rgb=\"FF\(parts[1])\"/>" }
            font += "<name val=\"Calibri\"/><family val=\"2\"/></font>"
            fonts.append(font)
        }
        var out = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
        """
        if !customFormats.isEmpty {
            out += "<numFmts count=\"\(customFormats.count)\">"
            for (i, code) in customFormats.enumerated() {
                out += "<numFmt numFmtId=\"\(164 + i)\" formatCode=\"\(Markup.escape(code))\"/>"
            }
            out += "</numFmts>"
        }
        out += "<fonts count=\"\(fonts.count)\">" + fonts.joined() + "</fonts>"
        out += "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        out += "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        out += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        out += "<cellXfs count=\"\(xfs.count)\">"
        for xf in xfs {
            out += "<xf numFmtId=\"\(xf.numFmt)\" fontId=\"\(xf.font)\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
            if xf.numFmt != 0 { out += " applyNumberFormat=\"1\"" }
            if xf.font != 0 { out += " applyFont=\"1\"" }
            if xf.wrap || xf.horizontal != nil {
                out += " applyAlignment=\"1\"><alignment"
                if let h = xf.horizontal { out += " horizontal=\"\(h)\"" }
                out += xf.wrap ? " vertical=\"bottom\" wrapText=\"1\"/></xf>" : "/></xf>"
            } else {
                out += "/>"
            }
        }
        out += "</cellXfs>"
        out += "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        return out + "</styleSheet>\n"
    }
}
