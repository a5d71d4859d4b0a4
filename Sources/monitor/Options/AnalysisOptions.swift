import ArgumentParser
import MonitorCore

/// What to analyse: the variable, its groups, and how to read them.
struct AnalysisOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("The variable to estimate: a number (mean), a 0/1 variable (proportion) or categories (a proportion per category).", valueName: "col"))
    var variable: String

    @Option(help: ArgumentHelp("Groups (domains) to estimate and compare, e.g. bestuurslaag.", valueName: "col"))
    var by: String?

    @Option(help: ArgumentHelp("Read the file with this survey's codebook (ambtsdragers, medewerkers, or a .yaml file): its missing codes, level order, labels and derived variables, and weigh it by the survey's scheme (default: from --map's survey: line or the file's columns).", valueName: "survey"))
    var survey: String?

    @Option(name: .customLong("filter"), help: ArgumentHelp("Only respondents with VAR=CODE[,CODE] (or VAR!=CODE[,CODE]: a valid VAR other than these); repeatable, all must hold. The others stay in the design, outside the domain (R subset).", valueName: "var=codes"))
    var filters: [String] = []

    @Option(name: .customLong("as"), help: "Read the variable as auto (numbers if every value is one, else categories), numeric or categorical.")
    var kind: VariableKind = .auto

    @Option(help: ArgumentHelp("A value that means missing (repeatable), e.g. --missing weet_niet; the empty field always does.", valueName: "value"))
    var missing: [String] = []

    @Option(help: ArgumentHelp("Groups with fewer respondents than this are suppressed.", valueName: "n"))
    var minN: Int = 10

    @Option(help: ArgumentHelp("Groups with fewer respondents than this are marked indicatief.", valueName: "n"))
    var indicativeN: Int = 50

    @Option(help: "Output format: csv, json or md.")
    var format: EstimationReport.Format = .csv

    var thresholds: ReportingThresholds { ReportingThresholds(indicative: indicativeN, minimum: minN) }

    func validate() throws {
        try Self.checkSmallGroups(minN: minN, indicativeN: indicativeN)
        _ = try Self.rowFilters(filters)
    }

    /// The `--filter` options as filters.
    static func rowFilters(_ texts: [String]) throws -> [RowFilter] {
        do {
            return try texts.map { try RowFilter(parsing: $0) }
        } catch let error as UsageProblem {
            throw ValidationError(error.message)
        }
    }

    /// What to read and analyse, for the pipeline (every name canonical).
    func request(file: String, design: DesignOptions, input: InputOptions) throws -> AnalysisRequest {
        AnalysisRequest(source: InputSource(argument: file), csv: try input.csvOptions(), map: try input.exportMap(), survey: survey,
                        variables: [variable] + [by].compactMap { $0 }, filters: try Self.rowFilters(filters), design: design.declaration,
                        unweighted: design.unweighted, missing: missing)
    }

    /// Reads, maps, derives, filters and weighs the file: the design, the analysed variable and its groups.
    func load(file: String, design: DesignOptions, input: InputOptions, quiet: Bool) throws -> (PreparedData, Outcome, Grouping?) {
        let source = InputSource(argument: file)
        let data = try AnalysisPipeline.prepare(try request(file: file, design: design, input: input),
                                                progress: Terminal.progress(label: "reading \(source.displayName)", quiet: quiet),
                                                mark: { Trace.mark($0) })
        let outcome = try data.outcome(variable, kind: kind)
        let groups = try by.map { try data.groups($0) }
        Trace.mark("variables")
        if data.defaultScheme {
            Terminal.note("weighted by the \(data.survey ?? "") survey's scheme (\(data.declaration.scheme ?? "")), the survey from \(data.surveyReason?.rawValue ?? ""); --unweighted for none", quiet: quiet)
        }
        return (data, outcome, groups)
    }

    /// The small-group options' rule, shared with `TableAnalysisOptions`.
    static func checkSmallGroups(minN: Int, indicativeN: Int) throws {
        if minN < 0 || indicativeN < minN { throw ValidationError("--min-n must be ≥ 0 and at most --indicative-n") }
    }
}

extension VariableKind: ExpressibleByArgument {}

