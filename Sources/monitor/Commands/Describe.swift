import ArgumentParser
import MonitorCore

extension Monitor {
    /// `monitor describe FILE [--survey S] [--map M]`
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe a CSV file, or check it against a survey's codebook.",
            discussion: """
            Without --survey: every column's inferred type, filled and empty counts, distinct values, range and \
            most frequent values (like `xsv stats`). With --survey: checks every variable against the codebook \
            (allowed values, ranges, missing codes, required columns), computes the derived variables, and \
            lists invalid values with their line numbers; exits 1 if the file is not valid. In Markdown a value or \
            name longer than 60 characters is cut with …, so one long value cannot widen every row of the table; \
            --format csv keeps every value whole.

            Examples:
              monitor describe data/examples/ambtsdragers-example.csv --survey ambtsdragers
              monitor describe export.csv --survey ambtsdragers --map data/maps/example-spss-export.yaml
              monitor describe survey.csv --format csv --output profile.csv
              cat survey.csv | monitor describe -
            """
        )

        @Argument(help: ArgumentHelp("The CSV file ('-' for standard input).", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("Check against this survey's codebook: ambtsdragers, medewerkers, or a codebook .yaml file.", valueName: "survey"))
        var survey: String?

        @Option(help: "Output format: md or csv.")
        var format: DescribeReport.Format = .md

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let source = InputSource(argument: file)
            let reader = CSVReader(options: try input.csvOptions(),
                                   progress: Terminal.progress(label: "reading \(source.displayName)", quiet: output.quiet))
            let map = try input.exportMap()
            let guarded = GuardedPath.data(file) + GuardedPath.map(input) + GuardedPath.codebook(survey ?? map?.survey)
            try output.check(guarding: guarded)
            guard let survey = survey ?? map?.survey else {
                if map != nil { throw UsageError("--map needs --survey (or a survey: line in the mapping file)") }
                let table = try reader.read(source, columns: .all)
                try output.write(DescribeReport.profile(table, format: format), guarding: guarded)
                Terminal.note("\(NumberFormat.grouped(table.rowCount)) data rows read from \(source.displayName)", quiet: output.quiet)
                return
            }
            let codebook = try BundledData.codebook(survey)
            let builder = DatasetBuilder(codebook: codebook, map: map)
            // Read every column: unknown ones are reported, codebook ones are checked.
            let table = try reader.read(source, columns: .all)
            let (_, report) = builder.build(table)
            try output.write(DescribeReport.validation(report, codebook: codebook, table: table, format: format), guarding: guarded)
            Terminal.note("\(NumberFormat.grouped(report.rows)) data rows read, \(NumberFormat.grouped(report.rows - report.rowsWithInvalid)) used, \(NumberFormat.grouped(report.rowsWithInvalid)) rejected", quiet: output.quiet)
            if !report.isValid { throw report.errors() }
        }
    }
}

extension DescribeReport.Format: ExpressibleByArgument {}
