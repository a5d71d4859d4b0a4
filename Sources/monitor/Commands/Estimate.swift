import ArgumentParser
import MonitorCore

extension Monitor {
    /// `monitor estimate FILE --var X [--by G] [design] [--format csv|json|md]`
    struct Estimate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Design-based proportions and means with standard errors and confidence intervals, overall and by group.",
            discussion: """
            One row per category (or one for a number or 0/1 variable) for the whole sample and for each group, with \
            the columns variable, level, group, n, n_eff, estimate, se, ci_low, ci_high, df, flag. Estimates are \
            proportions (0-1) or means; n is the unweighted base, n_eff Kish's effective n. Rows where the variable is \
            missing are outside the domain (R na.rm=TRUE); groups are domains of the full design (R svyby).

            The design is declared as R's svydesign takes it: --weight, --strata, --cluster (one column per stage, \
            comma-separated: R ids=~psu+ssu), --fpc (one per stage: R fpc=~N1+N2); then --cell/--frame post-stratifies \
            (R postStratify), or --scheme weights with a built-in scheme. Without --weight the weights are the product \
            of N/n over the stages from --fpc, or 1. A file of the Monitor (--survey, the mapping file's survey, or \
            columns the codebook recognises) is weighted by its survey's scheme as `monitor tables` weighs it, unless a \
            design is declared or --unweighted is given; the design used is on standard error and in the output's \
            design line. With --map every option names canonical variables (--var, --by, --filter, --cell, --weight, ...).

            Examples:
              monitor estimate data.csv --var bedreiging --by bestuurslaag --weight w0
              monitor estimate data.csv --var ernst --strata cel --fpc N_cel --format md
              monitor estimate apiclus2.csv --var api00 --cluster dnum,snum --fpc fpc1,fpc2
              monitor estimate data.csv --var aangifte --by geslacht --cell cel --frame frame.csv --weight w0 --ci beta
              monitor estimate data/examples/ambtsdragers-example.csv --var slachtoffer --by bestuurslaag
              monitor estimate data/examples/ambtsdragers-example.csv --var slachtoffer --by geslacht --filter bestuurslaag=gemeente
              monitor estimate data/examples/ambtsdragers-spss-export.csv --map data/maps/example-spss-export.yaml --var slachtoffer --by functie
            """
        )

        @Argument(help: ArgumentHelp("The respondent CSV ('-' for standard input).", valueName: "file"))
        var file: String

        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var design: DesignOptions

        @Option(help: "Confidence interval for proportions: logit (R svyciprop default), beta (Korn-Graubard), wilson (on Kish's n_eff) or wald.")
        var ci: IntervalMethod = .logit

        @Option(help: ArgumentHelp("Confidence level.", valueName: "level"))
        var level: Double = 0.95

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionChecks.level(level)
        }

        var guarded: [GuardedPath] { GuardedPath.analysis(file: file, analysis: analysis, design: design, input: input) }

        func run() throws {
            try output.check(guarding: guarded)
            let (data, outcome, groups) = try analysis.load(file: file, design: design, input: input, quiet: output.quiet)
            let options = EstimationOptions(interval: ci, level: level, thresholds: analysis.thresholds)
            let rows: [EstimateRow]
            do {
                rows = try Estimator.estimate(data.design, variable: analysis.variable, outcome: outcome, by: groups, options: options)
            } catch {
                throw DataError(.design, SourcePosition(file: data.table.source), error.description)
            }
            let text = EstimationReport.estimates(data.labelled(rows, by: analysis.by), format: analysis.format, design: data.designLine,
                                                  interval: ci, level: level)
            Trace.mark("estimated")
            try output.write(text, guarding: guarded)
            // Say where the interval is not the one asked for (R gives NaN there).
            let fallbacks = rows.filter { row in
                guard let p = row.estimate, let se = row.standardError, outcome.isProportion else { return false }
                return ConfidenceInterval.fallsBack(p, standardError: se, method: ci)
            }
            if !fallbacks.isEmpty {
                let names = fallbacks.map { [$0.group.isEmpty ? "all" : $0.group, $0.level].filter { !$0.isEmpty }.joined(separator: " ") }
                Terminal.note("\(ci.rawValue) interval undefined at 0%, 100% or a variance of 0 (R: NaN); Clopper-Pearson on Kish's n_eff instead for: \(names.joined(separator: ", "))", quiet: output.quiet)
            }
            let used = (0..<data.design.rowCount).filter { outcome.isObserved($0) }.count
            Terminal.note("\(NumberFormat.grouped(data.table.rowCount)) rows read, \(NumberFormat.grouped(used)) with \(analysis.variable) observed\(analysis.filters.isEmpty ? "" : " within --filter \(analysis.filters.joined(separator: " "))"), \(NumberFormat.grouped(data.rejected)) rejected; design \(data.designLine)", quiet: output.quiet)
        }
    }
}
