import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor tables [FILE] [--survey S] [--family F] [--table ID] [--format md|csv|json] [--output DIR|FILE]`
    struct Tables: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The Monitor's tables (prevalence, severity, reporting, aangifte; context) from a respondent file.",
            discussion: """
            Weights the file with the survey's scheme (post-stratification to the population frame; --weight uses a \
            weight column instead), evaluates every table specification (data/tables/, or --specs DIR) and prints \
            them: Markdown in the report's layout with group n's, ▲/▼ for groups significantly higher/lower than the \
            rest of their column block, * for indicatief groups (n < 50), – for suppressed ones (n < 10); tidy CSV \
            with unrounded estimates, SEs, intervals, n, n_eff and verdicts; --wide for the report's layout; \
            --excel for Dutch Excel (; and decimal comma); JSON for other programs.

            Without FILE it runs on the bundled data of each survey. --rows X,Y --by G,H [--mean Z] builds one table \
            from flags instead of the catalogue's (the same specification a YAML file gives; docs/tables.md); --filter \
            narrows every table's base. With --map every option names canonical variables.

            Examples:
              monitor tables
              monitor tables --list
              monitor tables data/examples/ambtsdragers-example.csv --table 2.2
              monitor tables survey.csv --survey medewerkers --family reporting --format csv --output tabellen.csv
              monitor tables survey.csv --format md --output tabellen/      (one file per table)
              monitor tables survey.csv --table 2.2 --filter bestuurslaag=gemeente
              monitor tables survey.csv --rows slachtoffer,ernst_categorie --by geslacht,leeftijdsgroep --filter bestuurslaag=gemeente
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

        @Flag(help: "List the table catalogue and exit.")
        var list = false

        @Option(help: ArgumentHelp("Folder of table specifications (default: the bundled catalogue, data/tables).", valueName: "dir"))
        var specs: String?

        @Option(help: "Output format: md, csv, json or xlsx (one sheet per table, numbers as numbers).")
        var format: OutputFormat = .md

        @Flag(help: "CSV in the report's layout (rows × columns, rounded) instead of the tidy long format.")
        var wide = false

        @Flag(help: "CSV for Dutch Excel: ';' delimiter and decimal comma.")
        var excel = false

        @OptionGroup var analysis: TableAnalysisOptions
        @OptionGroup var adHoc: AdHocTableOptions

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        var quiet: Bool { output.quiet }

        func validate() throws {
            if family != "all" && TableSpec.Family(rawValue: family) == nil {
                throw ValidationError("--family is one of \(TableSpec.Family.allCases.map(\.rawValue).joined(separator: ", ")), all")
            }
            try adHoc.check(tables: tables, family: family)
            if (wide || excel) && format != .csv { throw ValidationError("--wide and --excel go with --format csv") }
            if format == .xlsx && output.path == nil && isatty(1) != 0 {
                throw ValidationError("--format xlsx writes a binary file: use --output FILE.xlsx (or redirect standard output)")
            }
        }

        func run() throws {
            let specsFolder = try specs ?? BundledData.path("tables")
            let catalogue = try TableSpec.loadAll(directory: specsFolder)
            let selected = catalogue.filter(matches)
            let guarded = GuardedPath.tables(file: file, survey: survey, specs: specs, folder: specsFolder, catalogue: catalogue,
                                             scheme: analysis.scheme, input: input)
            if list {
                try output.write(TableReport.catalogue(selected), guarding: guarded)
                return
            }
            guard !selected.isEmpty || adHoc.isRequested else { throw UsageError("no table matches --table \(tables.joined(separator: ", ")) / --family \(family)") }

            if !isFolder(output.path) { try output.check(guarding: guarded) }  // a refused target fails before the work
            var computed: [ComputedTable] = []
            let work = try TableSelection.resolve(file: file, survey: survey, selected: selected, adHoc: adHoc, filters: analysis.rowFilters, input: input)
            defer { for (_, source, _) in work { source.removeBuffer() } }
            for (surveyName, source, specsForSurvey) in work {
                let loaded = try SurveyTables.load(survey: surveyName, source: source, csv: try input.csvOptions(), map: try input.exportMap(),
                                                   weight: analysis.weight, scheme: analysis.scheme, thresholds: analysis.thresholds,
                                                   alpha: analysis.alpha, groupTest: analysis.test, specs: specsForSurvey,
                                                   progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet),
                                                   mark: { Trace.mark($0) })
                computed += try loaded.computeAll(specsForSurvey)
                Trace.mark("\(specsForSurvey.count) tables computed")
                Terminal.note("\(loaded.readNote); \(specsForSurvey.count) tables; \(loaded.designSummary)", quiet: quiet)
            }
            let options = TableReport.Options(wide: wide, excel: excel, wave: "2024")
            try write(computed, options: options, guarding: guarded)
        }

        func matches(_ spec: TableSpec) -> Bool {
            if let survey, spec.survey != survey { return false }
            if family != "all" && spec.family.rawValue != family { return false }
            if !tables.isEmpty && !tables.contains(where: { $0 == spec.id || $0 == spec.key || $0 == spec.name }) { return false }
            return true
        }

        /// Whether `--output` names a folder (one file per table): it ends in `/` or is an existing folder.
        func isFolder(_ path: String?) -> Bool {
            guard let path else { return false }
            var isDirectory: ObjCBool = false
            return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }

        /// Writes the tables to standard output, one file, or a folder with one file per table.
        func write(_ computed: [ComputedTable], options: TableReport.Options, guarding guarded: [GuardedPath]) throws {
            let thresholds = analysis.thresholds
            /// The bytes of some tables in the chosen format.
            func render(_ tables: [ComputedTable]) throws -> Data {
                guard let textFormat = format.textFormat else {
                    return try TableReport.xlsx(tables, wave: options.wave, thresholds: thresholds, alpha: analysis.alpha)
                }
                return Data(TableReport.render(tables, format: textFormat, options: options).utf8)
            }
            if let folder = output.path, isFolder(folder) {
                for other in guarded where OutputWriter.resolve(other.path) == OutputWriter.resolve(folder) {
                    throw UsageError("--output \(folder) is also \(other.option) \(other.path): refusing to overwrite the input: write the tables to another folder")
                }
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let ext = format == .md ? "md" : format.rawValue
                for table in computed {
                    let path = URL(fileURLWithPath: folder).appendingPathComponent("\(table.spec.survey)-\(table.spec.key).\(ext)").path
                    try OutputWriter.write(try render([table]), to: path, guarding: guarded)
                }
                Terminal.note("wrote \(computed.count) tables to \(folder)", quiet: quiet)
                return
            }
            try output.write(try render(computed), guarding: guarded)
        }
    }
}

extension TableReport.Format: ExpressibleByArgument {}

extension Monitor.Tables {
    /// The formats of `--format`: the text formats of `TableReport`, and the xlsx workbook.
    enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
        case md, csv, json, xlsx

        /// The text format, or nil for xlsx.
        var textFormat: TableReport.Format? { TableReport.Format(rawValue: rawValue) }
    }
}
