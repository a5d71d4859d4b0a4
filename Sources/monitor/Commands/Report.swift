import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor report [FILE] [--survey S] [--family F] [--table ID] [--output report.html]`
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One HTML page with every table and the report's charts.",
            discussion: """
            Computes the tables as `monitor tables` does (same weighting, marks and small-group rules) and writes \
            one self-contained HTML file: no scripts, fonts or images from elsewhere. Every table comes with SVG \
            charts drawn from its own numbers: bars by form and group (as Figuur 2.2 and Tabel 2.2), stacked bars \
            for the answers to one question (Figuur 2.9, 2.13), and the trend over the published earlier waves \
            (Figuur 2.3). Red with ▲ is significantly higher than the rest of the column block, blue with ▼ lower; \
            * marks indicatief groups, – suppressed ones. The page prints on A4. See docs/report.md.

            Without FILE it runs on the bundled data of each survey.

            Examples:
              monitor report --output report.html
              monitor report survey.csv --survey medewerkers --output rapport.html
              monitor report --family prevalence --output slachtofferschap.html
            """
        )

        @Argument(help: ArgumentHelp("The respondent CSV ('-' for standard input); default: the bundled data.", valueName: "file"))
        var file: String?

        @Option(help: ArgumentHelp("ambtsdragers, medewerkers or organisaties (default: from the file's columns; without FILE, both).", valueName: "survey"))
        var survey: String?

        @Option(help: "Only this family: prevalence, severity, reporting, aangifte, context or all.")
        var family: String = "all"

        @Option(name: .customLong("table"), help: ArgumentHelp("Only these tables (repeatable): 2.2, T2.2 or F2.9.", valueName: "id"))
        var tables: [String] = []

        @Option(help: ArgumentHelp("Folder of table specifications (default: the bundled catalogue, data/tables).", valueName: "dir"))
        var specs: String?

        @OptionGroup var analysis: TableAnalysisOptions
        @OptionGroup var adHoc: AdHocTableOptions

        @Option(help: ArgumentHelp("The page's title.", valueName: "text"))
        var title: String = "Monitor Integriteit en Veiligheid 2024: tabellen en figuren"

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        var quiet: Bool { output.quiet }

        func validate() throws {
            if family != "all" && TableSpec.Family(rawValue: family) == nil {
                throw ValidationError("--family is one of prevalence, severity, reporting, aangifte, context, all")
            }
            try adHoc.check(tables: tables, family: family)
            if let survey, !SurveyInference.surveys.contains(survey) { throw ValidationError("--survey is \(SurveyInference.surveyList)") }
        }

        func run() throws {
            let specsFolder = try specs ?? BundledData.path("tables")
            let catalogue = try TableSpec.loadAll(directory: specsFolder)
            let guarded = GuardedPath.tables(file: file, survey: survey, specs: specs, folder: specsFolder, catalogue: catalogue,
                                             scheme: analysis.scheme, input: input)
            let selected = catalogue.filter { spec in
                if let survey, spec.survey != survey { return false }
                if family != "all" && spec.family.rawValue != family { return false }
                return tables.isEmpty || tables.contains { $0 == spec.id || $0 == spec.key || $0 == spec.name }
            }
            guard !selected.isEmpty || adHoc.isRequested else { throw UsageError("no table matches --table \(tables.joined(separator: ", ")) / --family \(family)") }
            try output.check(guarding: guarded)  // a refused target fails before the work

            let thresholds = analysis.thresholds
            var computed: [ComputedTable] = []
            var sourceLines: [String] = []
            let work = try TableSelection.resolve(file: file, survey: survey, selected: selected, adHoc: adHoc, filters: analysis.rowFilters, input: input)
            defer { for (_, source, _) in work { source.removeBuffer() } }
            for (surveyName, source, specsForSurvey) in work {
                let loaded = try SurveyTables.load(survey: surveyName, source: source, csv: try input.csvOptions(), map: try input.exportMap(),
                                                   weight: analysis.weight, scheme: analysis.scheme, thresholds: thresholds,
                                                   alpha: analysis.alpha, groupTest: analysis.test, specs: specsForSurvey,
                                                   progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet),
                                                   mark: { Trace.mark($0) })
                computed += try loaded.computeAll(specsForSurvey)
                let weighting = analysis.weight.map { "gewicht uit de kolom \($0)" } ?? "gewogen met het schema \(analysis.scheme ?? surveyName)"
                sourceLines.append("\(HTMLReport.surveyName(surveyName)): \(shownName(source)), \(TableReport.count(loaded.engine.dataset.rowCount)) respondenten, \(weighting).")
                Terminal.note("\(loaded.readNote); \(specsForSurvey.count) tables; \(loaded.designSummary)", quiet: quiet)
            }
            if file == nil {
                sourceLines.append("De meegeleverde respondentbestanden zijn synthetisch (docs/synthesis.md): ze reproduceren de gepubliceerde tabellen en zeggen niets over echte respondenten.")
            }
            let options = HTMLReport.Options(title: title, wave: "2024", thresholds: thresholds, alpha: analysis.alpha, sources: sourceLines)
            let html = HTMLReport.render(computed, options: options)
            try output.write(html, guarding: guarded)
            if let path = output.path { Terminal.note("wrote \(computed.count) tables to \(path)", quiet: quiet) }
        }

        /// The name the page shows for a respondent file: the given file, or for a bundled one
        /// "data/monitor-2024-<survey>.csv", the same on every machine, so the page's bytes do not depend on where the
        /// checkout is.
        func shownName(_ source: InputSource) -> String {
            guard file == nil, case .file(let path) = source else { return source.displayName }
            return "data/" + (path.hasSuffix("-example.csv") ? "examples/" : "") + URL(fileURLWithPath: path).lastPathComponent
        }
    }
}
