import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor reproduce [--ambtsdragers FILE] [--medewerkers FILE] [--organisaties FILE] [--format md|csv|json] [-o FILE]`
    struct Reproduce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every published 2024 figure and significance statement against the tables.",
            discussion: """
            Computes the table catalogue (data/tables/) on the respondent files (default: the bundled synthetic \
            files data/monitor-2024-<survey>.csv) with the report's weighting, and compares each published 2024 \
            figure of every survey and family (data/published/, linked to its cell by cells.csv) at the printed \
            precision, with the printed n's. Prints per figure: id, table, published, reproduced (unrounded), \
            difference and status; then the report's significance statements (significance-map.csv) held or \
            not held; then the summary line `reproduced N of M figures`.

            Exit status 1 when a figure differs beyond rounding, or an explicit (SIG-E) statement does not hold, \
            unless documented as irreconcilable (data/published/irreconcilable.csv, docs/errata.md).

            Examples:
              monitor reproduce
              monitor reproduce --format md --output docs/reproduction.md
              monitor reproduce --ambtsdragers mijn-bestand.csv --survey ambtsdragers
            """
        )

        @Option(help: ArgumentHelp("Respondent file of the politieke ambtsdragers (default: the bundled one).", valueName: "file"))
        var ambtsdragers: String?

        @Option(help: ArgumentHelp("Respondent file of the medewerkers (default: the bundled one).", valueName: "file"))
        var medewerkers: String?

        @Option(help: ArgumentHelp("Respondent file of the organisaties (default: the bundled one).", valueName: "file"))
        var organisaties: String?

        @Option(help: ArgumentHelp("Only this survey: ambtsdragers, medewerkers or organisaties.", valueName: "survey"))
        var survey: String?

        @Option(help: "Output format: md, csv or json (default: a plain listing with the summary).")
        var format: ReproductionReport.Format?

        @Flag(help: "List only the figures and statements that are not reproduced or held.")
        var failuresOnly = false

        @Option(help: ArgumentHelp("The test of a group against the rest (or a pair) that checks the significance statements: rao-scott (default) or wald.", valueName: "test"))
        var test: GroupTest = .raoScott

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        var quiet: Bool { output.quiet }

        func validate() throws {
            if let survey, !SurveyInference.surveys.contains(survey) { throw ValidationError("--survey is \(SurveyInference.surveyList)") }
        }

        func run() throws {
            let publishedFolder = try BundledData.path("published"), tablesFolder = try BundledData.path("tables")
            let published = try PublishedData.load(directory: publishedFolder)
            let catalogue = try TableSpec.loadAll(directory: tablesFolder)
            // Everything reproduce reads: the respondent files, the catalogue, the published figures, map, codebooks, schemes.
            var guarded = GuardedPath.specs(tablesFolder, option: "the bundled catalogue", specs: catalogue) + GuardedPath.map(input)
            for name in SurveyInference.surveys where survey == nil || survey == name {
                let given = file(of: name)
                guarded += GuardedPath.data(try given ?? BundledData.respondentFile(survey: name), name: given == nil ? "the bundled data" : "--\(name)")
                guarded += GuardedPath.codebook(name) + GuardedPath.scheme(name, option: "the bundled scheme")
            }
            let publishedFiles = (try? FileManager.default.contentsOfDirectory(atPath: publishedFolder)) ?? []
            guarded += publishedFiles.sorted().map { GuardedPath("the published figures", publishedFolder + "/" + $0) }
            try output.check(guarding: guarded)  // a refused target fails before the work
            var figures: [FigureCheck] = []
            var statements: [StatementCheck] = []
            var sources: [String] = []
            for name in SurveyInference.surveys where survey == nil || survey == name {
                let given = file(of: name)
                let path = try given ?? BundledData.respondentFile(survey: name)
                let source = InputSource(argument: path)
                sources.append(given ?? "data/" + URL(fileURLWithPath: path).lastPathComponent)
                // No suppression: the report prints figures of groups below 10 respondents (e.g. 6 CdK).
                let loaded = try SurveyTables.load(survey: name, source: source, csv: try input.csvOptions(), map: try input.exportMap(),
                                                   weight: nil, scheme: nil, thresholds: ReportingThresholds(indicative: 50, minimum: 1),
                                                   alpha: 0.05, groupTest: test,
                                                   progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet),
                                                   mark: { Trace.mark($0) })
                var tables: [String: ComputedTable] = [:]
                let specs = catalogue.filter { $0.survey == name }
                for (spec, table) in zip(specs, try loaded.computeAll(specs)) { tables[spec.key] = table }
                figures += try Reproduction.checkFigures(published, survey: name, tables: tables, engine: loaded.engine)
                var alternative = loaded.engine
                alternative.groupTest = test == .raoScott ? .wald : .raoScott
                statements += try Reproduction.checkStatements(published, survey: name, tables: tables, engine: loaded.engine,
                                                               alternative: alternative)
                Terminal.note("\(loaded.readNote); \(tables.count) tables; \(loaded.designSummary)", quiet: quiet)
            }
            // Surveys of the published figures that the monitor does not know: their figures count as not computed.
            for name in Set(published.checkedFigures.map(\.survey)).sorted() where survey == nil && !SurveyInference.surveys.contains(name) {
                figures += Reproduction.uncomputedFigures(published, survey: name, reason: "no respondent file of the survey \(name)")
            }
            var report = ReproductionReport(sources: sources, figures: figures, statements: statements)
            let summary = report.summary
            let failures = report.failures
            if failuresOnly {
                report.figures = report.figures.filter { $0.status != .reproduced }
                report.statements = report.statements.filter { $0.status != .held }
            }
            let text = format.map { report.render($0) } ?? listing(report)
            try output.write(text, guarding: guarded)
            if let path = output.path { Terminal.note("wrote \(path)", quiet: quiet) }
            if format != nil || output.path != nil { Terminal.write(summary + "\n") }
            if failures > 0 {
                throw DataError(.invalidValue, SourcePosition(file: sources.joined(separator: ", ")),
                                "\(failures) published figures or explicit statements are not reproduced and not documented as irreconcilable")
            }
        }

        /// The respondent file given for a survey (`--ambtsdragers`, `--medewerkers`, `--organisaties`), nil for the bundled one.
        func file(of survey: String) -> String? {
            switch survey {
            case "ambtsdragers": return ambtsdragers
            case "medewerkers": return medewerkers
            case "organisaties": return organisaties
            default: return nil
            }
        }

        /// A plain aligned listing for the terminal.
        func listing(_ report: ReproductionReport) -> String {
            var out = ""
            for f in report.figures {
                let published = f.published.map(NumberFormat.exact) ?? "-"
                let reproduced = f.reproduced.map { NumberFormat.fixed($0, 2) } ?? ""
                let difference = f.difference.map { NumberFormat.fixed($0, 2) } ?? ""
                out += [f.id, f.table, published, reproduced, difference, f.status.rawValue + (f.reason.isEmpty ? "" : " (\(f.reason))")]
                    .joined(separator: "\t") + "\n"
            }
            for s in report.statements {
                out += [s.id, s.comparison, "report: \(s.expected.rawValue)", "found: \(s.found?.rawValue ?? "-")",
                        s.status.rawValue + (s.reason.isEmpty ? "" : " (\(s.reason))")].joined(separator: "\t") + "\n"
            }
            return out + report.summary + "\n"
        }
    }
}

extension ReproductionReport.Format: ExpressibleByArgument {}
