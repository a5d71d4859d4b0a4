import Foundation

/// An SVG chart of a computed table, in the spirit of the report's figures: horizontal bars by form and group
/// (Figuur 2.2, Tabel 2.2), stacked bars for the answers to one question (Figuur 2.9, 2.13), and a line through
/// the earlier waves' published figures and the current estimate (Figuur 2.3).
///
/// Every number in a chart is taken from the `ComputedTable`: nothing is typed in. Each value is drawn and
/// printed as `monitor tables` prints it; groups that differ significantly from the rest of their column block
/// are red (hoger) or blue (lager) and carry ▲ / ▼, so colour is never the only cue; indicatief groups carry `*`,
/// suppressed ones `–` without a bar. Each data mark has the cell's coordinates and unrounded value as
/// `data-*` attributes, and a `<title>` (a tooltip, and what a screen reader says); the chart as a whole has
/// `role="img"`, a `<title>` and a `<desc>` that lists every value.
public struct SVGChart: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Horizontal bars: one panel per row (or per column when the table has more rows than columns).
        case bars
        /// One bar per column, stacked from the levels of one categorical question (together 100%).
        case stacked
        /// The earlier waves' published figures and the current estimate over the years.
        case trend
    }

    public struct Style: Sendable {
        /// The current wave's label (e.g. "2024"), the last point of a trend line.
        public var wave: String
        /// The small-group thresholds, for the legend (the flags themselves come from the cells).
        public var thresholds: ReportingThresholds
        public var width: Double

        public init(wave: String = "2024", thresholds: ReportingThresholds = ReportingThresholds(), width: Double = 880) {
            self.wave = wave
            self.thresholds = thresholds
            self.width = width
        }
    }

    public var kind: Kind
    /// The `id` of the `<svg>` element (unique in a page).
    public var id: String
    public var title: String
    /// The alternative text: what the chart shows, with every value.
    public var summary: String
    /// The `<svg>` element.
    public var markup: String

    /// The report's significance colours: red for significantly higher, blue for significantly lower.
    public static let higherColor = "#c62828"
    public static let lowerColor = "#1565c0"
    static let neutralColor = "#8f8f8f"
    static let totalColor = "#4f4f4f"
    static let textColor = "#1a1a1a"
    static let mutedColor = "#555555"
    static let gridColor = "#d6d6d6"
    static let fontSize = 13.0
    /// Categories of a stacked bar, and lines of a trend chart: no red, no blue (those mean "significant").
    static let palette = ["#2e5e58", "#79aaa3", "#c9a94a", "#8d6e63", "#b8b8b8", "#4e4e4e", "#5d7f3a", "#e0cf9a"]

    // MARK: choice

    /// The charts of a table: bars (or stacked bars when the rows are the answers to one question and add up to
    /// 100% in every column), and a trend line when earlier waves are given. A table of one cell with earlier
    /// waves gets only the trend line.
    public static func charts(for table: ComputedTable, id: String, style: Style = Style()) -> [SVGChart] {
        var out: [SVGChart] = []
        let hasTrend = table.cells.contains { !$0.trend.isEmpty }
        let oneCell = table.rows.count == 1 && table.columns.count == 1
        if !(hasTrend && oneCell) && table.cells.contains(where: { $0.estimate != nil }) {
            out.append(isStacked(table) ? stacked(table, id: id + "-stacked", style: style) : bars(table, id: id + "-bars", style: style))
        }
        if hasTrend { out.append(trend(table, id: id + "-trend", style: style)) }
        return out
    }

    /// The rows are levels of one categorical variable (`variable=level`), percentages, and in every column
    /// whose cells are all shown they add up to 100% (within rounding of the engine's domain estimates).
    static func isStacked(_ table: ComputedTable) -> Bool {
        guard table.rows.count >= 2 else { return false }
        let variables = Set(table.rows.map { $0.key.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0.key })
        guard variables.count == 1, table.rows.allSatisfy({ $0.key.contains("=") }) else { return false }
        var anyComplete = false
        for column in table.columns {
            let cells = table.rows.map { table.cell(row: $0.key, block: column.block, column: column.code) }
            guard cells.allSatisfy({ $0?.statistic == .percent }) else { return false }
            let values = cells.compactMap { $0?.estimate }
            guard values.count == cells.count else { continue }
            anyComplete = true
            if abs(values.reduce(0, +) - 1) > 0.015 { return false }
        }
        return anyComplete
    }

    // MARK: labels

    /// The value as `monitor tables` prints it: "47%", "65,6", with `*` for indicatief and ▲ / ▼.
    static func label(_ cell: TableCell, decimals: Int) -> String {
        guard cell.estimate != nil else { return "–" }
        return TableReport.value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "") + symbol(cell.verdict)
    }

    static func symbol(_ verdict: Comparison.Verdict?) -> String {
        switch verdict {
        case .higher?: return " ▲"
        case .lower?: return " ▼"
        default: return ""
        }
    }

    /// Words for a tooltip and the alternative text: "47,3% (n = 787), significant hoger dan de rest".
    static func spoken(_ cell: TableCell, decimals: Int, thresholds: ReportingThresholds) -> String {
        guard let estimate = cell.estimate else {
            return "niet getoond: minder dan \(thresholds.minimum) respondenten (n = \(TableReport.count(cell.n)))"
        }
        var text = cell.statistic == .percent
            ? NumberFormat.fixed(estimate * 100, max(decimals, 1)).replacingOccurrences(of: ".", with: ",") + "%"
            : NumberFormat.fixed(estimate, max(decimals, 1)).replacingOccurrences(of: ".", with: ",")
        text += " (n = \(TableReport.count(cell.n)))"
        if cell.flag == .indicative { text += ", indicatief" }
        switch cell.verdict {
        case .higher?: text += ", significant hoger dan de andere groep(en)"
        case .lower?: text += ", significant lager dan de andere groep(en)"
        default: break
        }
        return text
    }

    static func colorClass(_ cell: TableCell) -> (color: String, name: String) {
        switch cell.verdict {
        case .higher?: return (higherColor, "hoger")
        case .lower?: return (lowerColor, "lager")
        default: return cell.block.isEmpty ? (totalColor, "totaal") : (neutralColor, "neutraal")
        }
    }

    /// The cell's coordinates and unrounded value as attributes of its mark.
    static func dataAttributes(_ table: ComputedTable, _ cell: TableCell, value: Double, label: String, wave: String? = nil) -> String {
        var out = "data-table=\"\(Markup.escape(table.spec.key))\" data-row=\"\(Markup.escape(cell.row))\" data-block=\"\(Markup.escape(cell.block))\" data-column=\"\(Markup.escape(cell.column))\""
        if let wave { out += " data-wave=\"\(Markup.escape(wave))\"" }
        out += " data-value=\"\(NumberFormat.exact(value))\" data-label=\"\(Markup.escape(label))\""
        return out
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", weight: String? = nil, fill: String = textColor,
                     size: Double = fontSize, className: String? = nil) -> String {
        var attributes = "x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if fill != textColor { attributes += " fill=\"\(fill)\"" }
        if size != fontSize { attributes += " font-size=\"\(Markup.number(size))\"" }
        if let className { attributes += " class=\"\(className)\"" }
        return "<text \(attributes)>\(Markup.escape(content))</text>\n"
    }

    static func frame(kind: Kind, id: String, title: String, summary: String, width: Double, height: Double, body: String) -> SVGChart {
        let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" class="chart chart-\(kind.rawValue)" role="img" \
        aria-labelledby="\(id)-title \(id)-desc" width="\(Markup.number(width))" height="\(Markup.number(height))" \
        viewBox="0 0 \(Markup.number(width)) \(Markup.number(height))" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" \
        font-size="\(Markup.number(fontSize))" fill="\(textColor)">
        <title id="\(id)-title">\(Markup.escape(title))</title>
        <desc id="\(id)-desc">\(Markup.escape(summary))</desc>
        \(body)</svg>
        """
        return SVGChart(kind: kind, id: id, title: title, summary: summary, markup: svg)
    }

    /// Legend lines for the marks a chart uses, wrapped to the chart's width; returns the markup and its height.
    static func legend(cells: [TableCell], y: Double, width: Double, thresholds: ReportingThresholds, extra: [String] = []) -> (String, Double) {
        var items: [(swatch: String?, text: String)] = []
        if cells.contains(where: { $0.verdict == .higher }) {
            items.append((higherColor, "▲ rood: significant hoger dan de andere groep(en) in het kolomblok"))
        }
        if cells.contains(where: { $0.verdict == .lower }) {
            items.append((lowerColor, "▼ blauw: significant lager dan de andere groep(en) in het kolomblok"))
        }
        if cells.contains(where: { $0.flag == .indicative }) {
            items.append((nil, "* indicatief: minder dan \(thresholds.indicative) respondenten"))
        }
        if cells.contains(where: { $0.flag == .suppressed }) {
            items.append((nil, "– niet getoond: minder dan \(thresholds.minimum) respondenten"))
        }
        if cells.contains(where: { $0.flag == .secondary }) {
            items.append((nil, TableReport.secondaryLegend))
        }
        items += extra.map { (nil, $0) }
        var out = ""
        var yy = y
        for item in items {
            var x = 8.0
            if let swatch = item.swatch {
                out += "<rect x=\"8\" y=\"\(Markup.number(yy - 10))\" width=\"12\" height=\"12\" fill=\"\(swatch)\"/>\n"
                x = 26
            }
            for line in Markup.wrap(item.text, width: width - x - 8, fontSize: fontSize - 1, maxLines: 3) {
                out += text(x, yy, line, fill: mutedColor, size: fontSize - 1, className: "legend")
                yy += 15
            }
        }
        return (out, yy - y)
    }

    // MARK: bars

    struct Category {
        var label: String
        var block: String
        var blockLabel: String
    }

    /// Bars: one panel per row and one bar per column (Tabel 2.2: the forms side by side, the groups down), or,
    /// when the table has more rows than columns, one panel per column and one bar per row (Figuur 2.2).
    static func bars(_ table: ComputedTable, id: String, style: Style) -> SVGChart {
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let width = style.width
        let rowsArePanels = table.rows.count <= table.columns.count
        let panelCount = rowsArePanels ? table.rows.count : table.columns.count
        let categories: [Category] = rowsArePanels
            ? table.columns.map { Category(label: $0.label, block: $0.block, blockLabel: $0.block.isEmpty ? "" : $0.blockLabel) }
            : table.rows.map { Category(label: $0.label, block: "", blockLabel: "") }
        func cell(panel p: Int, category c: Int) -> TableCell? {
            let (row, column) = rowsArePanels ? (table.rows[p], table.columns[c]) : (table.rows[c], table.columns[p])
            return table.cell(row: row.key, block: column.block, column: column.code)
        }
        func panelTitle(_ p: Int) -> (String, String) {
            if rowsArePanels { return (table.rows[p].label, "") }
            let c = table.columns[p]
            return (c.label, c.block.isEmpty ? "" : c.blockLabel)
        }

        // Scale: percentages 0-100%; means 0 to a round number above the largest.
        let cells = table.cells
        let isPercent = cells.allSatisfy { $0.statistic == .percent }
        let largest = cells.compactMap(\.estimate).max() ?? 1
        let scaleMax = isPercent ? 1.0 : niceCeiling(largest)

        let labelWidth = min(300, max(110, (categories.map { Markup.textWidth($0.label, fontSize: fontSize) }.max() ?? 0) + 14))
        let plotLeft = 8 + labelWidth
        let plotWidth = width - plotLeft - 8
        let perBand = max(1, min(panelCount, Int(plotWidth / 120)))
        let panelWidth = plotWidth / Double(perBand)
        let valueRoom = min(panelWidth * 0.45, (cells.map { Markup.textWidth(label($0, decimals: decimals), fontSize: fontSize) }.max() ?? 30) + 8)
        let scaleWidth = panelWidth - valueRoom - 6

        var body = ""
        var summary = "Staafdiagram. "
        var y = 4.0
        let barHeight = 14.0
        for bandStart in stride(from: 0, to: panelCount, by: perBand) {
            let band = Array(bandStart..<min(panelCount, bandStart + perBand))
            // Panel headers.
            // A title whose longest word is wider than its panel (Volksvertegenwoordigers) is set smaller, not cut.
            let titleSizes = band.map { p -> Double in
                let longest = panelTitle(p).0.split(separator: " ").map { Markup.textWidth(String($0), fontSize: fontSize * 1.1) }.max() ?? 0
                return longest <= panelWidth - 8 ? fontSize : max(9, (fontSize * (panelWidth - 8) / longest).rounded(.down))
            }
            let headers = band.enumerated().map { k, p -> [String] in
                let (title, block) = panelTitle(p)
                let lines = Markup.wrap(title, width: panelWidth - 8, fontSize: titleSizes[k] * 1.1, maxLines: 3)  // bold
                return block.isEmpty ? lines : Markup.wrap(block, width: panelWidth - 8, fontSize: fontSize - 1, maxLines: 2) + lines
            }
            let headerLines = headers.map(\.count).max() ?? 1
            for (k, p) in band.enumerated() {
                let x = plotLeft + Double(k) * panelWidth
                let (_, block) = panelTitle(p)
                let blockLines = block.isEmpty ? 0 : Markup.wrap(block, width: panelWidth - 8, fontSize: fontSize - 1, maxLines: 2).count
                for (i, line) in headers[k].enumerated() {
                    let yy = y + 12 + Double(headerLines - headers[k].count + i) * 15
                    body += i < blockLines
                        ? text(x, yy, line, fill: mutedColor, size: fontSize - 1)
                        : text(x, yy, line, weight: "bold", size: titleSizes[k], className: "panel-title")
                }
            }
            y += Double(headerLines) * 15 + 6
            let top = y
            // Category rows.
            var lastBlock = ""
            var rowsSVG = ""
            for (c, category) in categories.enumerated() {
                if category.block.isEmpty && !lastBlock.isEmpty { y += 10 }  // a total after a block stands apart
                if category.block != lastBlock && !category.block.isEmpty {
                    y += 4
                    rowsSVG += text(8, y + 12, category.blockLabel, weight: "bold", fill: mutedColor, size: fontSize - 1, className: "block-title")
                    y += 17
                }
                lastBlock = category.block
                let lines = Markup.wrap(category.label, width: labelWidth - 14, fontSize: fontSize, maxLines: 3)
                let rowHeight = max(20, Double(lines.count) * 14 + 6)
                for (i, line) in lines.enumerated() {
                    rowsSVG += text(16, y + 14 + Double(i) * 14, line, className: "category")
                }
                for (k, p) in band.enumerated() {
                    guard let cell = cell(panel: p, category: c) else { continue }
                    let x0 = plotLeft + Double(k) * panelWidth
                    let (panelName, _) = panelTitle(p)
                    let spokenText = "\(category.label), \(panelName): " + spoken(cell, decimals: decimals, thresholds: style.thresholds)
                    summary += spokenText + "; "
                    guard let estimate = cell.estimate else {
                        rowsSVG += "<text x=\"\(Markup.number(x0 + 4))\" y=\"\(Markup.number(y + 14))\" class=\"suppressed\" fill=\"\(mutedColor)\">–<title>\(Markup.escape(spokenText))</title></text>\n"
                        continue
                    }
                    let w = max(0, min(1, estimate / scaleMax)) * scaleWidth
                    let (color, name) = colorClass(cell)
                    let shown = label(cell, decimals: decimals)
                    let indicative = cell.flag == .indicative ? " indicatief" : ""
                    rowsSVG += "<rect class=\"mark bar \(name)\(indicative)\" x=\"\(Markup.number(x0))\" y=\"\(Markup.number(y + 3))\" width=\"\(Markup.number(w))\" height=\"\(Markup.number(barHeight))\" fill=\"\(color)\"\(cell.flag == .indicative ? " fill-opacity=\"0.6\" stroke=\"\(color)\"" : "") \(dataAttributes(table, cell, value: estimate, label: shown))><title>\(Markup.escape(spokenText))</title></rect>\n"
                    rowsSVG += text(x0 + w + 4, y + 14, shown, weight: cell.verdict == .higher || cell.verdict == .lower ? "bold" : nil,
                                    fill: cell.verdict == .higher || cell.verdict == .lower ? color : textColor, className: "value")
                }
                y += rowHeight
            }
            // Axis: the zero line and 50% / 100% (or the mean scale's half and top) of every panel.
            for k in 0..<band.count {
                let x0 = plotLeft + Double(k) * panelWidth
                for (fraction, tick) in [(0.5, scaleMax / 2), (1.0, scaleMax)] {
                    let x = x0 + fraction * scaleWidth
                    body += "<line x1=\"\(Markup.number(x))\" y1=\"\(Markup.number(top))\" x2=\"\(Markup.number(x))\" y2=\"\(Markup.number(y))\" stroke=\"\(gridColor)\" stroke-dasharray=\"3 3\"/>\n"
                    body += text(x, y + 13, axisLabel(tick, percent: isPercent), anchor: "middle", fill: mutedColor, size: fontSize - 2)
                }
                body += "<line x1=\"\(Markup.number(x0))\" y1=\"\(Markup.number(top))\" x2=\"\(Markup.number(x0))\" y2=\"\(Markup.number(y))\" stroke=\"#777777\"/>\n"
                body += text(x0, y + 13, axisLabel(0, percent: isPercent), anchor: "middle", fill: mutedColor, size: fontSize - 2)
            }
            body += rowsSVG
            y += 24
        }
        let (legendSVG, legendHeight) = legend(cells: cells, y: y + 6, width: width, thresholds: style.thresholds)
        body += legendSVG
        y += legendHeight + 6
        let title = "\(spec.name) \(spec.title)"
        return frame(kind: .bars, id: id, title: title, summary: String(summary.dropLast(2)) + ".", width: width, height: y.rounded(.up), body: body)
    }

    static func axisLabel(_ value: Double, percent: Bool) -> String {
        percent ? NumberFormat.exact((value * 100).rounded()) + "%" : NumberFormat.exact(value).replacingOccurrences(of: ".", with: ",")
    }

    /// A round number (1, 2, 2.5 or 5 times a power of ten) at or above `x`.
    static func niceCeiling(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let power = pow(10, floor(log10(x)))
        for step in [1.0, 2, 2.5, 5, 10] where step * power >= x { return step * power }
        return 10 * power
    }

    // MARK: stacked bars

    /// One bar per column of the table, made of the row levels (Figuur 2.9: minder ernstig / (zeer) ernstig;
    /// Figuur 2.13: ja / nee / weet ik niet). A segment significantly higher or lower than in the rest of its
    /// column block has a red or blue outline and ▲ / ▼ in its label.
    static func stacked(_ table: ComputedTable, id: String, style: Style) -> SVGChart {
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let width = style.width
        let labelWidth = min(280, max(110, (table.columns.map { Markup.textWidth($0.label, fontSize: fontSize) }.max() ?? 0) + 14))
        let plotLeft = 8 + labelWidth
        let outsideRoom = 120.0
        let plotWidth = width - plotLeft - 8 - outsideRoom
        let barHeight = 22.0
        var body = ""
        var summary = "Gestapeld staafdiagram (samen 100%). "
        var y = 4.0

        // Category legend first: which colour is which answer.
        var x = 8.0
        y += 12
        for (r, row) in table.rows.enumerated() {
            let color = palette[r % palette.count]
            // An answer too long for the rest of the line starts a new one; too long for a whole line, it wraps.
            let lines = Markup.wrap(row.label, width: width - 8 - 19 - 8, fontSize: fontSize, maxLines: 3)
            let w = (lines.map { Markup.textWidth($0, fontSize: fontSize) }.max() ?? 0) + 30
            if x > 8 && (x + w > width - 8 || lines.count > 1) { x = 8; y += 18 }
            body += "<rect x=\"\(Markup.number(x))\" y=\"\(Markup.number(y - 10))\" width=\"14\" height=\"14\" fill=\"\(color)\"/>\n"
            for (i, line) in lines.enumerated() { body += text(x + 19, y + 1 + Double(i) * 16, line, className: "legend") }
            if lines.count > 1 { y += Double(lines.count - 1) * 16; x = width }  // the next answer on a line of its own
            else { x += w }
        }
        y += 14
        let top = y
        var lastBlock = ""
        for column in table.columns {
            if column.block.isEmpty && !lastBlock.isEmpty { y += 10 }
            if column.block != lastBlock && !column.block.isEmpty {
                y += 4
                body += text(8, y + 12, column.blockLabel, weight: "bold", fill: mutedColor, size: fontSize - 1, className: "block-title")
                y += 17
            }
            lastBlock = column.block
            let lines = Markup.wrap(column.label, width: labelWidth - 14, fontSize: fontSize, maxLines: 3)
            let rowHeight = max(barHeight + 8, Double(lines.count) * 14 + 8)
            for (i, line) in lines.enumerated() {
                body += text(16, y + 16 + Double(i) * 14, line, className: "category")
            }
            var x0 = plotLeft
            var outside: [(String, String)] = []
            var spokenParts: [String] = []
            for (r, row) in table.rows.enumerated() {
                guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else { continue }
                let spokenText = "\(column.label), \(row.label): " + spoken(cell, decimals: decimals, thresholds: style.thresholds)
                spokenParts.append(spokenText)
                guard let estimate = cell.estimate else {
                    if r == 0 {
                        body += "<text x=\"\(Markup.number(x0 + 4))\" y=\"\(Markup.number(y + 16))\" class=\"suppressed\" fill=\"\(mutedColor)\">–<title>\(Markup.escape(spokenText))</title></text>\n"
                    }
                    continue
                }
                let color = palette[r % palette.count]
                let w = max(0, min(1, estimate)) * plotWidth
                let shown = label(cell, decimals: decimals)
                var outline = ""
                var name = "neutraal"
                if cell.verdict == .higher || cell.verdict == .lower {
                    let (c, n) = colorClass(cell)
                    outline = " stroke=\"\(c)\" stroke-width=\"2.5\""
                    name = n
                }
                body += "<rect class=\"mark segment \(name)\(cell.flag == .indicative ? " indicatief" : "")\" x=\"\(Markup.number(x0))\" y=\"\(Markup.number(y + 3))\" width=\"\(Markup.number(w))\" height=\"\(Markup.number(barHeight))\" fill=\"\(color)\"\(outline) \(dataAttributes(table, cell, value: estimate, label: shown))><title>\(Markup.escape(spokenText))</title></rect>\n"
                if Markup.textWidth(shown, fontSize: fontSize) + 6 <= w {
                    body += text(x0 + w / 2, y + 18, shown, anchor: "middle", weight: name == "neutraal" ? nil : "bold",
                                 fill: isDark(color) ? "#ffffff" : textColor, className: "value")
                } else {
                    outside.append((color, shown))
                }
                x0 += w
            }
            // Labels of segments too narrow for them: after the bar, each behind a square of its colour.
            var ox = plotLeft + plotWidth + 6
            for (color, shown) in outside {
                body += "<text x=\"\(Markup.number(ox))\" y=\"\(Markup.number(y + 18))\" class=\"value\"><tspan fill=\"\(color)\">■</tspan> \(Markup.escape(shown))</text>\n"
                ox += Markup.textWidth("■ " + shown, fontSize: fontSize) + 8
            }
            summary += spokenParts.joined(separator: "; ") + ". "
            y += rowHeight
        }
        body += "<line x1=\"\(Markup.number(plotLeft))\" y1=\"\(Markup.number(top))\" x2=\"\(Markup.number(plotLeft))\" y2=\"\(Markup.number(y))\" stroke=\"#777777\"/>\n"
        for (fraction, tick) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            body += text(plotLeft + fraction * plotWidth, y + 13, tick, anchor: "middle", fill: mutedColor, size: fontSize - 2)
        }
        y += 24
        let (legendSVG, legendHeight) = legend(cells: table.cells, y: y + 6, width: width, thresholds: style.thresholds)
        body += legendSVG.replacingOccurrences(of: "▲ rood:", with: "▲ rode rand:").replacingOccurrences(of: "▼ blauw:", with: "▼ blauwe rand:")
        y += legendHeight + 6
        return frame(kind: .stacked, id: id, title: "\(spec.name) \(spec.title)", summary: summary.trimmingCharacters(in: .whitespaces),
                     width: width, height: y.rounded(.up), body: body)
    }

    static func isDark(_ hex: String) -> Bool {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return false }
        func channel(_ i: Int) -> Double { Double(Int(String(digits[i..<i + 2]), radix: 16) ?? 0) / 255 }
        let luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
        return luminance < 0.45
    }

    // MARK: trend

    /// The earlier waves' published figures and the current estimate of every cell that has them, one line each,
    /// the years to scale (a dashed line where waves in between are not published). The current point is red
    /// (↑) or blue (↓) when it differs significantly from the latest earlier wave.
    static func trend(_ table: ComputedTable, id: String, style: Style) -> SVGChart {
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        let width = style.width
        let series = table.cells.filter { !$0.trend.isEmpty }
        let isPercent = series.allSatisfy { $0.statistic == .percent }
        let current = style.wave.isEmpty ? "nu" : style.wave
        func name(_ cell: TableCell) -> String {
            if table.rows.count == 1 && !cell.column.isEmpty { return cell.columnLabel }
            return cell.column.isEmpty ? cell.rowLabel : "\(cell.rowLabel) (\(cell.columnLabel))"
        }
        struct Point { var wave: String; var value: Double?; var verdict: Comparison.Verdict?; var label: String; var spoken: String }
        func points(_ cell: TableCell) -> [Point] {
            var out = cell.trend.map { t -> Point in
                let text = NumberFormat.fixed(t.published, isPercent ? decimals : 1).replacingOccurrences(of: ".", with: ",") + (isPercent ? "%" : "")
                return Point(wave: t.wave, value: isPercent ? t.published / 100 : t.published, verdict: nil, label: text,
                             spoken: "\(t.wave): \(text) (gepubliceerd\(t.n.map { ", n = \(TableReport.count($0))" } ?? ""))")
            }
            let latest = cell.trend.last?.verdict
            let arrow = latest == .higher ? " ↑" : (latest == .lower ? " ↓" : "")
            let shown = cell.estimate == nil ? "–" : TableReport.value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "") + arrow
            var said = "\(current): " + spoken(cell, decimals: decimals, thresholds: style.thresholds)
            if let last = cell.trend.last, latest == .higher || latest == .lower {
                said += ", significant \(latest == .higher ? "hoger" : "lager") dan in \(last.wave)"
            }
            out.append(Point(wave: current, value: cell.estimate, verdict: latest, label: shown, spoken: said))
            return out
        }

        // The x axis: the years to scale when every wave is a year; else the waves in order.
        var waves: [String] = []
        for cell in series { for t in cell.trend where !waves.contains(t.wave) { waves.append(t.wave) } }
        let years = waves.compactMap { Int($0) }
        let yearsKnown = years.count == waves.count && !years.isEmpty
        var allWaves = yearsKnown ? waves.sorted { Int($0)! < Int($1)! } : waves
        allWaves.append(current)
        let currentYear = Int(current) ?? ((years.max() ?? 0) + 2)
        func position(_ wave: String) -> Double {
            if yearsKnown { return Double(wave == current ? currentYear : (Int(wave) ?? currentYear)) }
            return Double(allWaves.firstIndex(of: wave) ?? allWaves.count - 1)
        }
        let xMin = position(allWaves[0]), xMax = max(position(current), xMin + 1)

        let values = series.flatMap { points($0).compactMap(\.value) }
        let yMax = isPercent ? 1.0 : niceCeiling(values.max() ?? 1)
        let names = series.map(name)
        // Right of the plot: the current value and the series' name, wrapped (at most 3 lines) in at most 340 px.
        // Left of the first wave's points: their values, right-aligned, so they cover neither points nor lines.
        let seriesPoints = series.map(points)
        let nameRoom = min(340, max(90, names.map { Markup.textWidth($0, fontSize: fontSize) }.max() ?? 60))
        let endValueRoom = (seriesPoints.compactMap { $0.last.map { Markup.textWidth($0.label, fontSize: fontSize) } }.max() ?? 30) + 6
        let firstLabelRoom = (seriesPoints.compactMap { pts in pts.first { $0.wave == allWaves[0] }.map { Markup.textWidth($0.label, fontSize: fontSize) } }.max() ?? 0)
        let plotLeft = 52.0
        let plotRight = width - 8 - nameRoom - 8 - endValueRoom - 10
        let plotTop = 14.0
        let plotHeight = 270.0
        let plotBottom = plotTop + plotHeight
        let firstOffset = max(24, firstLabelRoom + 16)
        func px(_ wave: String) -> Double { plotLeft + firstOffset + (position(wave) - xMin) / (xMax - xMin) * (plotRight - plotLeft - firstOffset - 10) }
        func py(_ v: Double) -> Double { plotBottom - max(0, min(1, v / yMax)) * plotHeight }

        var body = ""
        // Grid and axes.
        for k in 0...5 {
            let v = yMax * Double(k) / 5
            let yy = py(v)
            body += "<line x1=\"\(Markup.number(plotLeft))\" y1=\"\(Markup.number(yy))\" x2=\"\(Markup.number(plotRight))\" y2=\"\(Markup.number(yy))\" stroke=\"\(k == 0 ? "#777777" : gridColor)\"/>\n"
            body += text(plotLeft - 6, yy + 4, axisLabel(v, percent: isPercent), anchor: "end", fill: mutedColor, size: fontSize - 2)
        }
        var ticks: [(String, Bool)] = allWaves.map { ($0, true) }
        if yearsKnown, let first = Int(allWaves[0]), currentYear - first <= 40 {
            // The report's waves are two years apart: the years without a published figure are ticks without a point.
            ticks = stride(from: first, through: currentYear, by: 2).map { year in
                let wave = year == currentYear ? current : String(year)
                return (wave, allWaves.contains(wave))
            }
        }
        for (wave, published) in ticks {
            let xx = px(wave)
            body += "<line x1=\"\(Markup.number(xx))\" y1=\"\(Markup.number(plotBottom))\" x2=\"\(Markup.number(xx))\" y2=\"\(Markup.number(plotBottom + 4))\" stroke=\"#777777\"/>\n"
            body += text(xx, plotBottom + 17, wave, anchor: "middle", weight: published ? "bold" : nil, fill: published ? textColor : mutedColor,
                         size: fontSize - 1)
        }

        // Lines, markers and value labels; labels at one wave are kept apart vertically.
        var labelsAt: [String: [(y: Double, text: String, color: String, bold: Bool)]] = [:]
        var ends: [(y: Double, text: String, name: String, color: String)] = []
        var summary = "Lijndiagram, \(allWaves.first ?? "") tot \(current). "
        var dashed = false
        var marks = ""
        for (s, cell) in series.enumerated() {
            let color = palette[s % palette.count]
            let pts = seriesPoints[s]
            summary += "\(names[s]): " + pts.map(\.spoken).joined(separator: ", ") + ". "
            let drawn = pts.filter { $0.value != nil }
            for (a, b) in zip(drawn, drawn.dropFirst()) {
                let gap = yearsKnown && abs(position(b.wave) - position(a.wave)) > 2
                dashed = dashed || gap
                body += "<line x1=\"\(Markup.number(px(a.wave)))\" y1=\"\(Markup.number(py(a.value!)))\" x2=\"\(Markup.number(px(b.wave)))\" y2=\"\(Markup.number(py(b.value!)))\" stroke=\"\(color)\" stroke-width=\"2.5\"\(gap ? " stroke-dasharray=\"6 4\"" : "")/>\n"
            }
            for (i, p) in pts.enumerated() {
                guard let value = p.value else { continue }
                let isCurrent = i == pts.count - 1
                let fill = p.verdict == .higher ? higherColor : (p.verdict == .lower ? lowerColor : color)
                let attributes = "class=\"mark point\(isCurrent ? " current" : "")\" fill=\"\(fill)\" stroke=\"#ffffff\" stroke-width=\"1.5\" \(dataAttributes(table, cell, value: value, label: p.label, wave: p.wave))"
                marks += shape(s, x: px(p.wave), y: py(value), attributes: attributes, title: "\(names[s]), \(p.spoken)")
                let significant = p.verdict == .higher || p.verdict == .lower
                if isCurrent {
                    ends.append((py(value), p.label, names[s], significant ? fill : textColor))
                } else {
                    // The first wave's values beside their points (left), later waves' above them.
                    labelsAt[p.wave, default: []].append((p.wave == allWaves[0] ? py(value) + 4 : py(value) - 9, p.label, textColor, false))
                }
            }
        }
        body += marks
        for wave in allWaves where wave != current {
            let first = wave == allWaves[0]
            for label in spread(labelsAt[wave] ?? [], gap: 15, top: plotTop, bottom: plotBottom + 4) {
                body += text(first ? px(wave) - 10 : px(wave), label.y, label.text, anchor: first ? "end" : "middle", fill: label.color, className: "value")
            }
        }
        // The current values with their series' names; a name wraps, and the labels keep apart by their heights.
        let nameLines = ends.map { Markup.wrap($0.name, width: nameRoom, fontSize: fontSize, maxLines: 3) }
        let heights = nameLines.map { Double($0.count - 1) * 14 + 16 }
        let endYs = stack(ends.map { $0.y + 4 }, heights: heights, top: plotTop + 4, bottom: plotBottom + 4)
        for (k, end) in ends.enumerated() {
            let xx = px(current) + 10
            body += text(xx, endYs[k], end.text, weight: end.color != textColor ? "bold" : nil, fill: end.color, className: "value")
            for (i, line) in nameLines[k].enumerated() {
                body += text(xx + endValueRoom, endYs[k] + Double(i) * 14, line, fill: mutedColor, className: "series-name")
            }
        }
        var y = plotBottom + 30
        var extra: [String] = []
        if series.contains(where: { $0.trend.last?.verdict == .higher || $0.trend.last?.verdict == .lower }), let last = waves.last {
            extra.append("↑ rood / ↓ blauw: \(current) significant hoger / lager dan in \(last) (z-toets tegen het gepubliceerde percentage en n)")
        }
        if dashed { extra.append("Stippellijn: de metingen daartussen zijn niet gepubliceerd (jaren zonder punt)") }
        extra.append("Eerdere jaren: de gepubliceerde cijfers; \(current): deze berekening")
        // The trend chart shows no ▲ / ▼ (those compare groups): only the small-group marks go in its legend.
        let unmarked = series.map { cell -> TableCell in var c = cell; c.verdict = nil; return c }
        let (legendSVG, legendHeight) = legend(cells: unmarked, y: y + 6, width: width, thresholds: style.thresholds, extra: extra)
        body += legendSVG
        y += legendHeight + 6
        return frame(kind: .trend, id: id, title: "\(spec.name) \(spec.title): trend", summary: summary.trimmingCharacters(in: .whitespaces),
                     width: width, height: y.rounded(.up), body: body)
    }

    /// A marker of series `s`: circle, square, diamond or triangle, so the lines differ in more than colour.
    static func shape(_ s: Int, x: Double, y: Double, attributes: String, title: String) -> String {
        let t = "<title>\(Markup.escape(title))</title>"
        switch s % 4 {
        case 0:
            return "<circle cx=\"\(Markup.number(x))\" cy=\"\(Markup.number(y))\" r=\"5.5\" \(attributes)>\(t)</circle>\n"
        case 1:
            return "<rect x=\"\(Markup.number(x - 5))\" y=\"\(Markup.number(y - 5))\" width=\"10\" height=\"10\" \(attributes)>\(t)</rect>\n"
        case 2:
            let d = "M\(Markup.number(x)) \(Markup.number(y - 6.5))L\(Markup.number(x + 6.5)) \(Markup.number(y))L\(Markup.number(x)) \(Markup.number(y + 6.5))L\(Markup.number(x - 6.5)) \(Markup.number(y))Z"
            return "<path d=\"\(d)\" \(attributes)>\(t)</path>\n"
        default:
            let d = "M\(Markup.number(x)) \(Markup.number(y - 6.5))L\(Markup.number(x + 6.5)) \(Markup.number(y + 5))L\(Markup.number(x - 6.5)) \(Markup.number(y + 5))Z"
            return "<path d=\"\(d)\" \(attributes)>\(t)</path>\n"
        }
    }

    /// Baselines of labels `heights` tall moved apart so that none overlaps the next (in the order of `ys`), kept
    /// above `bottom` (the last label's last line) where there is room, and never above `top`.
    static func stack(_ ys: [Double], heights: [Double], top: Double, bottom: Double) -> [Double] {
        guard !ys.isEmpty else { return [] }
        let order = ys.indices.sorted { ys[$0] < ys[$1] || (ys[$0] == ys[$1] && $0 < $1) }
        var placed = order.map { ys[$0] }
        for k in 1..<max(1, placed.count) where placed[k] < placed[k - 1] + heights[order[k - 1]] {
            placed[k] = placed[k - 1] + heights[order[k - 1]]
        }
        // Too low: move up from the bottom as far as the labels above allow.
        let lastBottom = placed[placed.count - 1] + heights[order[order.count - 1]] - 16
        if lastBottom > bottom {
            placed[placed.count - 1] -= lastBottom - bottom
            for k in stride(from: placed.count - 2, through: 0, by: -1) where placed[k] > placed[k + 1] - heights[order[k]] {
                placed[k] = placed[k + 1] - heights[order[k]]
            }
        }
        if placed[0] < top { placed = placed.map { $0 + top - placed[0] } }
        var out = ys
        for (k, i) in order.enumerated() { out[i] = placed[k] }
        return out
    }

    /// Labels moved apart vertically (at least `gap` between baselines), in their order on the page, within bounds.
    static func spread<T>(_ labels: [(y: Double, text: String, color: String, bold: T)], gap: Double, top: Double, bottom: Double)
        -> [(y: Double, text: String, color: String, bold: T)] {
        guard !labels.isEmpty else { return [] }
        let order = labels.indices.sorted { labels[$0].y < labels[$1].y || (labels[$0].y == labels[$1].y && $0 < $1) }
        var ys = order.map { labels[$0].y }
        for i in 1..<max(1, ys.count) where ys[i] < ys[i - 1] + gap { ys[i] = ys[i - 1] + gap }
        if let last = ys.last, last > bottom {
            ys[ys.count - 1] = bottom
            for i in stride(from: ys.count - 2, through: 0, by: -1) where ys[i] > ys[i + 1] - gap { ys[i] = ys[i + 1] - gap }
        }
        if let first = ys.first, first < top {
            let shift = top - first
            ys = ys.map { $0 + shift }
        }
        var out = labels
        for (k, i) in order.enumerated() { out[i].y = ys[k] }
        return out
    }
}
