import ArgumentParser
import MonitorCore

extension Monitor {
    /// `monitor test FILE --var X --by G [design] [--test design|spss] [--previous P,N]`
    struct TestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Significance tests between groups: each group against the rest, pairwise, Rao-Scott chi-square, trend.",
            discussion: """
            --test design (default): design-based tests of each group against the rest of the table (the report's \
            "significant hoger/lager dan de andere groep") and of every pair of groups (Bonferroni-corrected). For a \
            proportion: the Rao-Scott F test of the 2 × 2 table group × answer (R svychisq(~ingroup + y, design)), valid \
            when a group has 0% or 100%; for a mean: the Wald t test on the difference (R svyttest). Then the Rao-Scott \
            test of the whole table, as R prints it: statistic "F" (F, ndf, ddf, p) and statistic "Chisq" (the \
            unadjusted Pearson X-squared, and the p of X-squared divided by the mean design effect).
            --test wald: the Wald t test on the difference for proportions too (R svyttest; at a 0% or 100% group its \
            variance is 0, so t grows without bound: kept to compare with earlier output).
            --test spss: IBM SPSS "compare column proportions" z tests with effective bases, Bonferroni-adjusted.
            --previous P,N[,LABEL]: compare the overall estimate (or with --by, each group's) with a previous wave's \
            published proportion P (0-1) and n N, e.g. --previous 0.33,3033,2022.

            Columns: test, method (rao_scott_F, wald_t, z), variable, level, group, other, n, other_n, estimate, \
            other_estimate, difference, se, statistic, df, p_value, p_adjusted, verdict (higher, lower, not_significant, \
            not_tested). For rao_scott_F the statistic is F on 1 and df degrees of freedom; se is the design SE of the \
            difference.

            Examples:
              monitor test data.csv --var bedreiging --by bestuurslaag --weight w0
              monitor test data.csv --var bedreiging --by geslacht --weight w0 --test spss --format md
              monitor test data.csv --var slachtoffer --previous 0.33,3033,2022 --scheme ambtsdragers --survey ambtsdragers
            """
        )

        enum Mode: String, ExpressibleByArgument, CaseIterable { case design, wald, spss }

        @Argument(help: ArgumentHelp("The respondent CSV ('-' for standard input).", valueName: "file"))
        var file: String

        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var design: DesignOptions

        @Option(help: "Which tests: design (design-based, as R survey: Rao-Scott for proportions), wald (design-based t for all) or spss (SPSS column proportions).")
        var test: Mode = .design

        @Option(help: ArgumentHelp("Significance level (two-sided).", valueName: "alpha"))
        var alpha: Double = 0.05

        @Option(help: ArgumentHelp("A previous wave's published proportion and n (and label): P,N[,LABEL].", valueName: "p,n,label"))
        var previous: String?

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try OptionChecks.alpha(alpha)
            if analysis.by == nil && previous == nil { throw ValidationError("give --by (groups to compare) or --previous (a published figure)") }
            _ = try previousFigure()
        }

        func previousFigure() throws -> PublishedFigure? {
            guard let previous else { return nil }
            let parts = previous.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            guard parts.count == 2 || parts.count == 3, let p = Double(parts[0]), p >= 0, p <= 1, let n = Int(parts[1]), n > 0 else {
                throw ValidationError("--previous takes P,N[,LABEL] with P a proportion (0-1) and N the respondents, e.g. 0.33,3033,2022")
            }
            return PublishedFigure(label: parts.count == 3 ? parts[2] : "previous", proportion: p, n: n)
        }

        var guarded: [GuardedPath] { GuardedPath.analysis(file: file, analysis: analysis, design: design, input: input) }

        func run() throws {
            try output.check(guarding: guarded)
            let (data, outcome, groups) = try analysis.load(file: file, design: design, input: input, quiet: output.quiet)
            var comparisons: [Comparison] = []
            var chiSquare: [RaoScottTest] = []
            do {
                if let groups {
                    switch test {
                    case .design, .wald:
                        let kind: GroupTest = test == .wald ? .wald : .raoScott
                        comparisons += try GroupComparison.versusRest(data.design, variable: analysis.variable, outcome: outcome, by: groups,
                                                                      alpha: alpha, thresholds: analysis.thresholds, test: kind)
                        comparisons += try GroupComparison.pairwise(data.design, variable: analysis.variable, outcome: outcome, by: groups,
                                                                    alpha: alpha, thresholds: analysis.thresholds, test: kind)
                        if let rows = categories(outcome),
                           let rs = try RaoScottTest.test(data.design, variable: analysis.variable, outcome: rows, by: analysis.by!, groups: groups) {
                            chiSquare.append(rs)
                        }
                    case .spss:
                        comparisons += ColumnProportions.compare(weights: data.design.weights, variable: analysis.variable, outcome: outcome,
                                                                 by: groups, alpha: alpha, thresholds: analysis.thresholds)
                    }
                }
                if let figure = try previousFigure() {
                    let rows = try Estimator.estimate(data.design, variable: analysis.variable, outcome: outcome, by: groups,
                                                      options: EstimationOptions(thresholds: analysis.thresholds))
                    for row in rows {
                        guard let estimate = row.estimate, let se = row.standardError else { continue }
                        comparisons.append(TrendComparison.compare(variable: row.variable, level: row.level, group: row.group, current: estimate,
                                                                   standardError: se, n: row.n, previous: figure, alpha: alpha))
                    }
                }
            } catch let error as DesignError {
                throw DataError(.design, SourcePosition(file: data.table.source), error.description)
            }
            let text = EstimationReport.tests(data.labelled(comparisons, by: analysis.by), chiSquare: chiSquare, format: analysis.format,
                                              design: data.designLine, alpha: alpha)
            try output.write(text, guarding: guarded)
        }

        /// The outcome as categories for the chi-square: its categories, or 0/1 as two.
        func categories(_ outcome: Outcome) -> Grouping? {
            switch outcome {
            case .categorical(let g): return g
            case .numeric(let y):
                guard outcome.isProportion else { return nil }
                return Grouping(labels: ["0", "1"], codes: y.map { $0.isNaN ? -1 : ($0 == 1 ? 1 : 0) })
            }
        }
    }
}
