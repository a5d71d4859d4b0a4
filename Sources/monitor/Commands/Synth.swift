import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor synth --survey S --seed N [--n N] --output FILE`
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic respondent file calibrated to the report's published figures.",
            discussion: """
            Generates respondents in the canonical codebook from the survey's synthesis model
            (data/synthesis/<survey>.yaml: the report's response composition, the questionnaire's routing and
            consistency rules, priors), weights them with the survey's scheme, and moves answers (simulated
            annealing) until every published 2024 figure of the table catalogue (data/published/cells.csv) is
            reproduced at the printed precision, with the printed n's. Figures documented as irreconcilable
            (data/published/irreconcilable.csv) are not targets. The same seed gives the same file.

            The respondents are SYNTHETIC: they reproduce published aggregates, not any real respondent.
            With --n other than the report's n, the composition is scaled and only the shares are calibrated
            (--iterations 0 skips calibration, e.g. for large benchmark files).

            Examples:
              monitor synth --survey ambtsdragers --seed 2024 --output data/monitor-2024-ambtsdragers.csv
              monitor synth --survey medewerkers --seed 2024 --output synth.csv --iterations 3000000
            """
        )

        @Option(help: "ambtsdragers or medewerkers.")
        var survey: String

        @Option(help: "Random seed (the same seed gives the same file).")
        var seed: UInt64 = 2024

        @Option(help: ArgumentHelp("Number of respondents (default: the report's response).", valueName: "n"))
        var n: Int?

        @Option(help: ArgumentHelp("Maximum number of calibration moves.", valueName: "k"))
        var iterations: Int = 4_000_000

        @Option(name: [.short, .long], help: ArgumentHelp("The respondent file to write (atomically).", valueName: "file"))
        var output: String

        @Flag(name: [.short, .long], help: "Print no progress or summary on standard error.")
        var quiet = false

        func validate() throws {
            if !["ambtsdragers", "medewerkers"].contains(survey) { throw ValidationError("--survey is ambtsdragers or medewerkers") }
            if let n, n < 1 { throw ValidationError("--n must be positive") }
            if iterations < 0 { throw ValidationError("--iterations must be 0 or more") }
        }

        func run() throws {
            let codebook = try BundledData.codebook(survey)
            let model = try SynthesisModel.load(path: try BundledData.path("synthesis/\(survey).yaml"))
            var synthesizer = try Synthesizer(codebook: codebook, model: model, seed: seed)
            try synthesizer.generate(n: n)
            let count = synthesizer.recordCount
            Terminal.note("\(survey): \(NumberFormat.grouped(count)) synthetic respondents drawn (seed \(seed))", quiet: quiet)

            if iterations > 0 {
                let (scheme, frames) = try SchemeLocator.load(survey)
                let weigher = Weigher(scheme: scheme, frames: frames)
                let weights = try weigher.weigh(values: synthesizer.values(of: weigher.variables), base: nil, rowCount: count).weights
                let specs = try TableSpec.loadAll(directory: BundledData.path("tables")).filter { $0.survey == survey }
                let published = try PublishedData.load(directory: BundledData.path("published"))
                var targets = published.targets(survey: survey, specs: specs)
                if count != model.n { targets = targets.filter { if case .count = $0.kind { return false }; return true } }
                let interactive = !quiet && Terminal.stderrIsTerminal
                let result = try synthesizer.calibrate(targets: targets, weights: weights, iterations: iterations,
                                                       progressEvery: interactive ? 20_000 : 500_000) { p in
                    guard !quiet else { return }
                    let line = "calibrating \(survey): move \(NumberFormat.grouped(p.iteration)) of \(NumberFormat.grouped(p.iterations)), "
                        + "\(p.targets - p.violated) of \(p.targets) targets met, loss \(NumberFormat.fixed(p.loss, 3))"
                    Terminal.write(interactive ? "\r" + line + "   " : "monitor: " + line + "\n")
                }
                if interactive { Terminal.write("\n") }
                Terminal.note("\(survey): \(result.met) of \(result.targets.count) targets met after \(NumberFormat.grouped(result.iterations)) moves", quiet: quiet)
                for t in result.targets where !t.met {
                    Terminal.note("  not met: \(t.id): published \(NumberFormat.exact(t.published)), reached \(NumberFormat.fixed(t.reached, 2))", quiet: quiet)
                }
            }
            let (header, rows) = synthesizer.table()
            var writer = CSVWriter(header: header)
            for row in rows { writer.row(row) }
            try AtomicFile.write(Data(writer.text.utf8), to: output, protecting: [])
            Terminal.note("wrote \(output) (\(NumberFormat.grouped(count)) rows, \(header.count) columns; synthetic data)", quiet: quiet)
        }
    }
}
