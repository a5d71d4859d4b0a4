import ArgumentParser
import MonitorCore

/// The weighting and reporting options `monitor tables` and `monitor report` share.
struct TableAnalysisOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Use this column as the final weights instead of the survey's weighting scheme.", valueName: "col"))
    var weight: String?

    @Option(help: ArgumentHelp("Weighting scheme (default: the survey's own).", valueName: "scheme"))
    var scheme: String?

    @Option(help: ArgumentHelp("Significance level (two-sided).", valueName: "alpha"))
    var alpha: Double = 0.05

    @Option(help: ArgumentHelp("The test behind the ▲ / ▼ marks: rao-scott (proportions: the 2 × 2 table group × answer, valid at 0% and 100%; means: design-based t) or wald (design-based t for all).", valueName: "test"))
    var test: GroupTest = .raoScott

    @Option(help: ArgumentHelp("Groups with fewer respondents are suppressed.", valueName: "n"))
    var minN: Int = 10

    @Option(help: ArgumentHelp("Groups with fewer respondents are marked indicatief.", valueName: "n"))
    var indicativeN: Int = 50

    @Option(help: ArgumentHelp("Also withhold shown cells that give a suppressed group back by differencing to within this many percentage points (0: no secondary suppression).", valueName: "points"))
    var protection: Double = 10

    @Option(name: .customLong("filter"), help: ArgumentHelp("Only respondents with VAR=CODE[,CODE] (or VAR!=CODE[,CODE]: a valid VAR other than these), in every table's base; repeatable, all must hold.", valueName: "var=codes"))
    var filters: [String] = []

    var rowFilters: [RowFilter] { (try? AnalysisOptions.rowFilters(filters)) ?? [] }

    var thresholds: ReportingThresholds { ReportingThresholds(indicative: indicativeN, minimum: minN, protection: protection) }

    func validate() throws {
        if weight != nil && scheme != nil { throw ValidationError("use --weight or --scheme, not both") }
        try OptionChecks.alpha(alpha)
        try AnalysisOptions.checkSmallGroups(minN: minN, indicativeN: indicativeN)
        _ = try AnalysisOptions.rowFilters(filters)
        if !(protection >= 0 && protection <= 100) { throw ValidationError("--protection must be between 0 and 100 (percentage points)") }
    }
}

extension GroupTest: ExpressibleByArgument {}

/// A table from flags (`--rows X,Y --by G,H --mean Z`): a table specification built on the fly, run through the
/// catalogue's engine (`TableSpec.adHoc`).
struct AdHocTableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An ad hoc table instead of the catalogue's: its rows, comma-separated (a 0/1 variable gives the % with 1, categories a % per level).", valueName: "vars"))
    var rows: [String] = []

    @Option(help: ArgumentHelp("The ad hoc table's column blocks after Totaal, comma-separated: one column per group, each tested against the rest of its block.", valueName: "vars"))
    var by: [String] = []

    @Option(help: ArgumentHelp("Rows of the ad hoc table with a mean (numbers), comma-separated.", valueName: "vars"))
    var mean: [String] = []

    var isRequested: Bool { !rows.isEmpty || !mean.isEmpty || !by.isEmpty }

    static func split(_ lists: [String]) -> [String] {
        lists.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } }.filter { !$0.isEmpty }
    }

    /// The specification for one survey.
    func spec(survey: String, filters: [RowFilter]) throws -> TableSpec {
        try TableSpec.adHoc(survey: survey, codebook: try Codebooks.load(survey), rows: Self.split(rows), means: Self.split(mean),
                            by: Self.split(by), filters: filters)
    }

    func check(tables: [String], family: String) throws {
        guard isRequested else { return }
        if rows.isEmpty && mean.isEmpty { throw ValidationError("--by goes with --rows (or --mean): the variables to tabulate") }
        if !tables.isEmpty || family != "all" { throw ValidationError("--rows/--by/--mean build one table: leave out --table and --family") }
    }
}

/// The tables to compute on each respondent file: the catalogue's that match (each narrowed by --filter), or the
/// ad hoc table of --rows/--by/--mean for the file's survey.
enum TableSelection {
    static func resolve(file: String?, survey: String?, selected: [TableSpec], adHoc: AdHocTableOptions, filters: [RowFilter],
                        input: InputOptions) throws -> [(survey: String, source: InputSource, specs: [TableSpec])] {
        if adHoc.isRequested && file == nil && survey == nil {
            throw UsageError("--rows without FILE tabulates a bundled file: name its survey with --survey \(SurveyInference.surveyList)")
        }
        let sources = try SurveyTables.sources(file: file, survey: survey, selected: adHoc.isRequested ? [] : selected,
                                               csv: try input.csvOptions(), map: try input.exportMap())
        var out: [(survey: String, source: InputSource, specs: [TableSpec])] = []
        do {
            if adHoc.isRequested && file == nil, let survey {
                out.append((survey, .file(try BundledData.respondentFile(survey: survey)), [try adHoc.spec(survey: survey, filters: filters)]))
            }
            for (name, source) in sources {
                if adHoc.isRequested {
                    out.append((name, source, [try adHoc.spec(survey: name, filters: filters)]))
                    continue
                }
                let codebook = try Codebooks.load(name)
                let specs = try selected.filter { $0.survey == name }.map { try $0.filtered(by: filters, codebook: codebook) }
                if !specs.isEmpty { out.append((name, source, specs)) }
            }
        } catch {
            for (_, source) in sources { source.removeBuffer() }
            throw error
        }
        return out
    }
}
