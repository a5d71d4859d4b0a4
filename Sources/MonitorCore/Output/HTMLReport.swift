import Foundation

/// One self-contained HTML page with every computed table and its charts (`monitor report`): no scripts, no
/// fonts or images from elsewhere, the charts inline SVG made by `SVGChart`.
///
/// The markup is XHTML-compatible (every element closed, attributes quoted, only XML's own entities), so any
/// XML parser can check it, and it is deterministic: the same tables give the same bytes. It is readable at
/// 100% zoom (16 px text, charts at most 880 px wide and shrinking with the window; values never wrap, headers
/// only between words; a table too wide for the window scrolls with its row labels in view) and in print
/// (`@media print`: A4, no navigation, tables and figures not split over pages, wide tables on landscape pages).
public enum HTMLReport {
    public struct Options: Sendable {
        /// The page's title and heading.
        public var title: String
        /// The current wave (e.g. "2024").
        public var wave: String
        public var thresholds: ReportingThresholds
        /// Significance level of the marks, for the legend.
        public var alpha: Double
        /// Lines under the heading: which respondent files, how weighted.
        public var sources: [String]

        public init(title: String = "Monitor Integriteit en Veiligheid: tabellen en figuren", wave: String = "2024",
                    thresholds: ReportingThresholds = ReportingThresholds(), alpha: Double = 0.05, sources: [String] = []) {
            self.title = title
            self.wave = wave
            self.thresholds = thresholds
            self.alpha = alpha
            self.sources = sources
        }
    }

    /// Dutch names of the surveys, as the report's parts are called.
    public static func surveyName(_ survey: String) -> String {
        switch survey {
        case "ambtsdragers": return "Politieke ambtsdragers"
        case "medewerkers": return "Medewerkers"
        default: return survey
        }
    }

    /// Dutch names of the table families.
    public static func familyName(_ family: TableSpec.Family) -> String {
        switch family {
        case .prevalence: return "Slachtofferschap"
        case .severity: return "Ernst"
        case .reporting: return "Bespreken, melden en registreren"
        case .aangifte: return "Aangifte"
        case .context: return "Daders, doelwit en beleving"
        case .response: return "Respons"
        }
    }

    /// The `id` of a table's section: "ambtsdragers-T2.2".
    public static func anchor(_ table: ComputedTable) -> String {
        Markup.identifier("\(table.spec.survey)-\(table.spec.key)")
    }

    public static func render(_ tables: [ComputedTable], options: Options = Options()) -> String {
        let style = SVGChart.Style(wave: options.wave, thresholds: options.thresholds)
        var surveys: [String] = []
        for t in tables where !surveys.contains(t.spec.survey) { surveys.append(t.spec.survey) }

        var out = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="nl" xml:lang="nl">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="monitor report"/>
        <title>\(Markup.escape(options.title))</title>
        <style>
        \(css)</style>
        </head>
        <body>
        <header>
        <h1>\(Markup.escape(options.title))</h1>

        """
        for line in options.sources { out += "<p class=\"source\">\(Markup.escape(line))</p>\n" }
        out += """
        <p class="source">Elke grafiek is berekend uit dezelfde cijfers als de tabel eronder. Rood met ▲: significant hoger \
        dan de andere groep(en) in hetzelfde kolomblok; blauw met ▼: significant lager (p &lt; \(Markup.escape(decimal(options.alpha)))). \
        * indicatief: minder dan \(options.thresholds.indicative) respondenten; – niet getoond: minder dan \(options.thresholds.minimum) respondenten.</p>
        </header>
        <nav aria-label="Inhoud">
        <h2>Inhoud</h2>

        """
        for survey in surveys {
            out += "<h3><a href=\"#\(Markup.identifier(survey))\">\(Markup.escape(surveyName(survey)))</a></h3>\n<ol>\n"
            for t in tables where t.spec.survey == survey {
                out += "<li><a href=\"#\(anchor(t))\">\(Markup.escape(t.spec.name))</a> \(Markup.escape(t.spec.title))</li>\n"
            }
            out += "</ol>\n"
        }
        out += "</nav>\n<main>\n"
        for survey in surveys {
            out += "<section class=\"survey\" id=\"\(Markup.identifier(survey))\" aria-labelledby=\"\(Markup.identifier(survey))-heading\">\n"
            out += "<h2 id=\"\(Markup.identifier(survey))-heading\">\(Markup.escape(surveyName(survey)))</h2>\n"
            for t in tables where t.spec.survey == survey {
                out += section(t, style: style, options: options)
            }
            out += "</section>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func decimal(_ x: Double) -> String { NumberFormat.exact(x).replacingOccurrences(of: ".", with: ",") }

    /// One table: heading, base, its charts, the table itself, earlier waves and the legend.
    static func section(_ table: ComputedTable, style: SVGChart.Style, options: Options) -> String {
        let spec = table.spec
        let id = anchor(table)
        var out = "<section class=\"tabel\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        out += "<h3 id=\"\(id)-heading\"><span class=\"number\">\(Markup.escape(spec.name))</span> \(Markup.escape(spec.title))</h3>\n"
        out += "<p class=\"base\">Basis: \(Markup.escape(spec.base.label)) (n=\(TableReport.count(table.baseN))) · \(Markup.escape(familyName(spec.family)))</p>\n"
        for chart in SVGChart.charts(for: table, id: "chart-" + id, style: style) {
            let caption: String
            switch chart.kind {
            case .trend: caption = "Grafiek bij \(spec.name): de eerdere metingen (gepubliceerde cijfers) en \(options.wave)."
            case .stacked: caption = "Grafiek bij \(spec.name): de antwoorden per groep, \(options.wave) (samen 100%)."
            case .bars: caption = "Grafiek bij \(spec.name): \(options.wave), de waarden als in de tabel."
            }
            out += "<figure class=\"chart\">\n\(chart.markup)\n<figcaption>\(Markup.escape(caption))</figcaption>\n</figure>\n"
        }
        // A table of more than 8 groups prints on a landscape page, with its earlier waves and legend.
        out += table.columns.count > 8 ? "<div class=\"landscape\">\n\(htmlTable(table, options: options))</div>\n" : htmlTable(table, options: options)
        out += "</section>\n"
        return out
    }

    /// The table as `monitor tables` prints it (values, ▲ / ▼, *, –, group n's), with the column blocks as a
    /// header row above the groups.
    static func htmlTable(_ table: ComputedTable, options: Options) -> String {
        let spec = table.spec
        let decimals = spec.decimals ?? 0
        // A table of more than 8 groups is "wide": smaller text.
        let wide = table.columns.count > 8
        var out = "<div class=\"table-wrap\">\n<table\(wide ? " class=\"wide\"" : "")>\n<caption class=\"visually-hidden\">\(Markup.escape(spec.name)) \(Markup.escape(spec.title))</caption>\n<thead>\n"
        let hasBlocks = table.columns.contains { !$0.block.isEmpty }
        if hasBlocks {
            out += "<tr><td></td>"
            var i = 0
            while i < table.columns.count {
                let column = table.columns[i]
                if column.block.isEmpty {
                    out += "<th scope=\"col\" rowspan=\"2\">\(Markup.escape(column.label))</th>"
                    i += 1
                    continue
                }
                var j = i
                while j < table.columns.count && table.columns[j].block == column.block { j += 1 }
                out += "<th scope=\"colgroup\" colspan=\"\(j - i)\" class=\"block\">\(Markup.escape(column.blockLabel))</th>"
                i = j
            }
            out += "</tr>\n<tr><td></td>"
            for column in table.columns where !column.block.isEmpty { out += "<th scope=\"col\">\(Markup.escape(column.label))</th>" }
            out += "</tr>\n"
        } else {
            out += "<tr><td></td>" + table.columns.map { "<th scope=\"col\">\(Markup.escape($0.label))</th>" }.joined() + "</tr>\n"
        }
        out += "</thead>\n<tbody>\n"
        var flags: Set<SmallGroupFlag> = []
        var marked = false
        for row in table.rows {
            out += "<tr><th scope=\"row\">\(Markup.escape(row.label))</th>"
            for column in table.columns {
                guard let cell = table.cell(row: row.key, block: column.block, column: column.code) else { out += "<td></td>"; continue }
                flags.insert(cell.flag)
                out += valueCell(cell, decimals: decimals)
                if cell.verdict == .higher || cell.verdict == .lower { marked = true }
            }
            out += "</tr>\n"
        }
        out += "<tr class=\"n\"><th scope=\"row\">n</th>"
        for column in table.columns {
            let small = column.n < options.thresholds.indicative && column.n >= options.thresholds.minimum
            out += "<td>\(TableReport.count(column.n))\(small ? "*" : "")</td>"
        }
        out += "</tr>\n</tbody>\n</table>\n</div>\n"

        // Earlier waves.
        let trended = table.cells.filter { !$0.trend.isEmpty }
        var arrows = false
        if !trended.isEmpty {
            var waves = (spec.previous ?? []).map(\.wave)
            for cell in trended { for t in cell.trend where !waves.contains(t.wave) { waves.append(t.wave) } }
            let current = options.wave.isEmpty ? "nu" : options.wave
            out += "<div class=\"table-wrap\">\n<table class=\"trend\">\n<caption>Eerdere metingen (gepubliceerde cijfers)</caption>\n<thead>\n<tr><td></td>"
            out += (waves + [current]).map { "<th scope=\"col\">\(Markup.escape($0))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
            for cell in trended {
                let label = cell.column.isEmpty ? cell.rowLabel : "\(cell.rowLabel) (\(cell.columnLabel))"
                out += "<tr><th scope=\"row\">\(Markup.escape(label))</th>"
                for wave in waves {
                    let text = cell.trend.first { $0.wave == wave }.map {
                        NumberFormat.fixed($0.published, cell.statistic.isProportion ? decimals : 1).replacingOccurrences(of: ".", with: ",")
                            + (cell.statistic.isProportion ? "%" : "")
                    } ?? ""
                    out += "<td>\(Markup.escape(text))</td>"
                }
                let latest = cell.trend.last?.verdict
                let shown = TableReport.value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "")
                switch latest {
                case .higher?: out += "<td class=\"hoger\">\(Markup.escape(shown))<span class=\"symbol\"> ↑</span></td>"; arrows = true
                case .lower?: out += "<td class=\"lager\">\(Markup.escape(shown))<span class=\"symbol\"> ↓</span></td>"; arrows = true
                default: out += "<td>\(Markup.escape(shown))</td>"
                }
                out += "</tr>\n"
            }
            out += "</tbody>\n</table>\n</div>\n"
            if arrows, let last = waves.last {
                out += "<p class=\"legend\">↑ / ↓ significant hoger / lager dan in \(Markup.escape(last)) (z-toets tegen het gepubliceerde percentage en n).</p>\n"
            }
        }
        var legend: [String] = []
        if marked {
            legend.append(Markup.escape(TableReport.markLegend(table)))
        }
        if flags.contains(.indicative) { legend.append("* indicatief: minder dan \(options.thresholds.indicative) respondenten.") }
        if flags.contains(.suppressed) { legend.append("– niet getoond: minder dan \(options.thresholds.minimum) respondenten.") }
        if flags.contains(.secondary) { legend.append(TableReport.secondaryLegend + ".") }
        for line in legend { out += "<p class=\"legend\">\(line)</p>\n" }
        return out
    }

    static func valueCell(_ cell: TableCell, decimals: Int) -> String {
        let shown = TableReport.value(cell, decimals: decimals) + (cell.flag == .indicative ? "*" : "")
        guard cell.estimate != nil else { return "<td class=\"suppressed\">–</td>" }
        switch cell.verdict {
        case .higher?: return "<td class=\"hoger\">\(Markup.escape(shown))<span class=\"symbol\"> ▲</span></td>"
        case .lower?: return "<td class=\"lager\">\(Markup.escape(shown))<span class=\"symbol\"> ▼</span></td>"
        default: return "<td>\(Markup.escape(shown))</td>"
        }
    }

    /// The page's only style sheet: system fonts, no external resources; print on A4.
    static let css = """
    :root { color-scheme: light; }
    body { margin: 0; background: #ffffff; color: #1a1a1a; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif;
      font-size: 16px; line-height: 1.45; }
    header, nav, main { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
    header { padding-top: 24px; }
    h1 { font-size: 1.75rem; margin: 0 0 0.5rem; }
    h2 { font-size: 1.4rem; margin: 2rem 0 0.5rem; }
    h3 { font-size: 1.1rem; margin: 0 0 0.25rem; }
    a { color: #0b4f9c; }
    p.source { margin: 0.25rem 0; color: #333333; }
    nav ol { columns: 2; column-gap: 2rem; margin: 0.25rem 0 1rem; padding-left: 1.5rem; font-size: 0.875rem; }
    nav h3 { margin-top: 1rem; }
    section.tabel { border-top: 1px solid #bbbbbb; margin-top: 2rem; padding-top: 1rem; }
    section.tabel .number { white-space: nowrap; }
    p.base { margin: 0 0 0.75rem; color: #444444; font-size: 0.9rem; }
    figure.chart { margin: 0.75rem 0 1rem; }
    figure.chart figcaption { font-size: 0.8rem; color: #555555; }
    svg.chart { display: block; max-width: 100%; height: auto; }
    .table-wrap { overflow-x: auto; margin: 0.5rem 0; }
    table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: bold; padding: 0.25rem 0; caption-side: top; }
    th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid #dddddd; text-align: right; vertical-align: bottom; }
    td { white-space: nowrap; }
    th[scope="col"], th.block { overflow-wrap: normal; word-break: normal; hyphens: manual; }
    th[scope="row"] { text-align: left; font-weight: normal; min-width: 10rem; }
    table.wide { font-size: 0.7rem; }
    table.wide th, table.wide td { padding: 0.15rem 0.22rem; }
    table.wide th[scope="row"] { min-width: 7rem; }
    table.wide th[scope="col"] { font-weight: normal; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    th.block { text-align: center; border-bottom: 1px solid #999999; }
    td.hoger { color: #c62828; font-weight: bold; }
    td.lager { color: #1565c0; font-weight: bold; }
    td.suppressed { color: #555555; }
    tr.n th, tr.n td { color: #555555; border-top: 1px solid #999999; }
    .table-wrap th[scope="row"], .table-wrap thead td:first-child { position: sticky; left: 0; background: #ffffff; }
    p.legend { margin: 0.2rem 0; font-size: 0.85rem; color: #444444; }
    @media (max-width: 900px) {
      header, nav, main { padding: 0 12px; }
      table { font-size: 0.78rem; }
      th, td { padding: 0.15rem 0.3rem; }
      th[scope="row"] { min-width: 7rem; }
      table.wide { font-size: 0.7rem; }
    }
    @media print {
      @page { size: A4; margin: 14mm; }
      @page landscape { size: A4 landscape; margin: 12mm; }
      div.landscape { page: landscape; }
      body { font-size: 10pt; }
      header, main { max-width: none; padding: 0; }
      nav { display: none; }
      a { color: inherit; text-decoration: none; }
      h2 { break-before: page; }
      section.tabel { break-inside: auto; }
      h3, p.base { break-after: avoid; }
      figure.chart, table { break-inside: avoid; }
      .table-wrap { overflow: visible; }
      table { font-size: 7.5pt; }
      th, td { padding: 0.1rem 0.25rem; }
      th[scope="row"] { min-width: 0; }
      svg.chart { max-width: 100%; }
    }

    """
}
