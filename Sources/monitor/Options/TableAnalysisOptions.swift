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

    var thresholds: ReportingThresholds { ReportingThresholds(indicative: indicativeN, minimum: minN, protection: protection) }

    func validate() throws {
        if weight != nil && scheme != nil { throw ValidationError("use --weight or --scheme, not both") }
        try OptionChecks.alpha(alpha)
        try AnalysisOptions.checkSmallGroups(minN: minN, indicativeN: indicativeN)
        if !(protection >= 0 && protection <= 100) { throw ValidationError("--protection must be between 0 and 100 (percentage points)") }
    }
}

extension GroupTest: ExpressibleByArgument {}
