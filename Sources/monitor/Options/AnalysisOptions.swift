import ArgumentParser
import MonitorCore

/// What to analyse: the variable, its groups, and how to read them.
struct AnalysisOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("The variable to estimate: a number (mean), a 0/1 variable (proportion) or categories (a proportion per category).", valueName: "col"))
    var variable: String

    @Option(help: ArgumentHelp("Groups (domains) to estimate and compare, e.g. bestuurslaag.", valueName: "col"))
    var by: String?

    @Option(help: ArgumentHelp("Read the file with this survey's codebook (ambtsdragers, medewerkers, or a .yaml file): its missing codes, level order and derived variables.", valueName: "survey"))
    var survey: String?

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
    }

    /// The small-group options' rule, shared with `TableAnalysisOptions`.
    static func checkSmallGroups(minN: Int, indicativeN: Int) throws {
        if minN < 0 || indicativeN < minN { throw ValidationError("--min-n must be ≥ 0 and at most --indicative-n") }
    }
}

extension VariableKind: ExpressibleByArgument {}
