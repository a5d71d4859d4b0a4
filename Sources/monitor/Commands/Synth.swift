import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor synth --survey S --seed N [--n N] --output FILE`
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic respondent file calibrated to the report's published figures.",
            discussion: """
            Generates respondents in the canonical codebook from the survey's synthesis model \
            (data/synthesis/<survey>.yaml: the report's response composition, the questionnaire's routing and \
            consistency rules, priors), weights them with the survey's scheme, and moves answers (simulated \
            annealing) until every published 2024 figure of the table catalogue (data/published/cells.csv) is \
            reproduced at the printed precision, with the printed n's. Figures documented as irreconcilable \
            (data/published/irreconcilable.csv) are not targets. The same seed gives the same file.

            The respondents are SYNTHETIC: they reproduce published aggregates, not any real respondent. \
            With --n other than the report's n, the composition is scaled and only the shares are calibrated \
            (--iterations 0 skips calibration, e.g. for large benchmark files). --attitude-items K appends K \
            attitude items (houding_01 ..., Likert 1-5 with the missing code weet_niet), as the real questionnaire \
            has about 100 columns. Rows are written as they are generated (with --iterations 0 none is kept in \
            memory), to a temporary file renamed into place at the end; a progress bar shows on a terminal.

            --start FILE continues a calibration: the respondents are the rows of FILE (a file this command \
            wrote, or any file in the canonical codebook whose values the synthesis model can produce) instead \
            of fresh draws, and the annealing starts at --temperature (default 0.2, a tenth of a fresh run's) in \
            --cycles cooling rounds (default 1). The seed then drives only the moves (and the draws of codebook \
            variables FILE lacks: a question added to the codebook after FILE was written is drawn from the \
            model for the respondents who reached it, routing applied, and calibrated with the rest). A file made in two steps is \
            as reproducible as one made in one: the same commands give the same bytes. --swap A:B (repeatable) \
            first exchanges every answer of respondents A and B (not their design cell, geslacht or functie), to \
            start from a configuration a knot needs (scripts/knots.py). --set ID:VARIABLE=VALUE (repeatable, \
            in order, before the swaps) sets one answer of a respondent, a fixed one such as geslacht included, \
            and applies the questionnaire's rules as a move does (a victim whose forms are all set to 0 is no \
            victim any more): to start from another composition or from a knot's solution (scripts/knots.py, \
            scripts/steer.py).

            --chain-moves P makes a share P of the moves toward a target ejection chains: a move that brings the \
            target closer even when it breaks neighbouring figures, then up to --chain-length - 1 moves toward the \
            figures it broke, each the best of --chain-candidates proposals, kept or undone as a whole. They \
            reach knots of figures that only change together (one respondent more in a cell pushes another \
            figure over its edge). scripts/synthesize.sh regenerates the bundled files with them.

            Examples:
              monitor synth --survey ambtsdragers --seed 2024 --output data/monitor-2024-ambtsdragers.csv
              monitor synth --survey medewerkers --seed 2024 --output synth.csv --iterations 3000000
              monitor synth --survey ambtsdragers --n 1000000 --iterations 0 --attitude-items 28 -o big.csv
              monitor synth --survey medewerkers --start synth.csv --seed 7 --iterations 4000000 -o synth2.csv
              monitor synth --survey ambtsdragers --start data/monitor-2024-ambtsdragers.csv --seed 2 --chain-moves 0.5 -o a2.csv
            """
        )

        @Option(help: "ambtsdragers, medewerkers or organisaties.")
        var survey: String

        @Option(help: "Random seed (the same seed gives the same file).")
        var seed: UInt64 = 2024

        @Option(help: ArgumentHelp("Number of respondents (default: the report's response).", valueName: "n"))
        var n: Int?

        @Option(help: ArgumentHelp("Maximum number of calibration moves.", valueName: "k"))
        var iterations: Int = 4_000_000

        @Option(help: ArgumentHelp("Continue calibrating the respondents of this file (canonical codebook) instead of drawing new ones.", valueName: "file"))
        var start: String?

        @Option(help: ArgumentHelp("Start temperature of the annealing (default 2, or 0.2 with --start).", valueName: "t"))
        var temperature: Double?

        @Option(help: ArgumentHelp("Cooling rounds: the first from the start temperature, later ones reheated to a tenth of it (default 3, or 1 with --start).", valueName: "k"))
        var cycles: Int?

        @Option(help: ArgumentHelp("Share of the moves toward a target that copy a whole questionnaire from a respondent on the target's right side (default 0).", valueName: "p"))
        var copyMoves: Double = 0

        @Option(help: ArgumentHelp("Share of the moves toward a target that are chains: a move that breaks neighbouring targets, then moves toward those, kept or undone as a whole (default 0).", valueName: "p"))
        var chainMoves: Double = 0

        @Option(help: ArgumentHelp("Most moves in a chain (default 4).", valueName: "k"))
        var chainLength: Int = 4

        @Option(help: ArgumentHelp("Proposals compared for each move of a chain (default 8).", valueName: "k"))
        var chainCandidates: Int = 8

        @Option(name: .customLong("swap"), help: ArgumentHelp("With --start: exchange the answers of two respondents (their ids, A:B) before the moves; repeatable.", valueName: "a:b"))
        var swaps: [String] = []

        @Option(name: .customLong("set"), help: ArgumentHelp("With --start: set one answer of a respondent before the moves (and the swaps), a fixed one such as geslacht included, the questionnaire's rules applied after it; repeatable.", valueName: "id:variable=value"))
        var sets: [String] = []

        @Option(help: ArgumentHelp("Weight of a printed n in the loss, relative to a printed figure (default 1: an n printed once for a table shares one unit among the table's rows).", valueName: "w"))
        var countWeight: Double = 1

        @Option(help: ArgumentHelp("Append this many attitude items (Likert 1-5) after the codebook's columns.", valueName: "k"))
        var attitudeItems: Int = 0

        @OptionGroup var outputOptions: OutputOptions

        /// The respondent file to write (required: synth always writes a file).
        var output: String { outputOptions.path ?? "" }
        var quiet: Bool { outputOptions.quiet }

        func validate() throws {
            if !SurveyInference.surveys.contains(survey) { throw ValidationError("--survey is \(SurveyInference.surveyList)") }
            if outputOptions.path == nil { throw ValidationError("--output: synth writes a file (renamed into place at the end); give its name, not - or nothing") }
            if let n, n < 1 { throw ValidationError("--n must be positive") }
            if iterations < 0 { throw ValidationError("--iterations must be 0 or more") }
            if attitudeItems < 0 || attitudeItems > 9_999 { throw ValidationError("--attitude-items must be between 0 and 9999") }
            if let temperature, !(temperature > 0.002 && temperature.isFinite) { throw ValidationError("--temperature must be above the final temperature 0.002") }
            if let cycles, cycles < 1 { throw ValidationError("--cycles must be 1 or more") }
            if !(0...0.5).contains(copyMoves) { throw ValidationError("--copy-moves must be between 0 and 0.5") }
            if !(0...0.5).contains(chainMoves) { throw ValidationError("--chain-moves must be between 0 and 0.5") }
            if !(1...16).contains(chainLength) { throw ValidationError("--chain-length must be between 1 and 16") }
            if !(1...256).contains(chainCandidates) { throw ValidationError("--chain-candidates must be between 1 and 256") }
            if !(countWeight > 0 && countWeight.isFinite) { throw ValidationError("--count-weight must be positive") }
            if start == nil && !swaps.isEmpty { throw ValidationError("--swap needs --start (it exchanges answers of the file's respondents)") }
            for pair in swaps where pair.split(separator: ":").count != 2 { throw ValidationError("--swap takes two respondent ids, A:B (got \(pair))") }
            if start == nil && !sets.isEmpty { throw ValidationError("--set needs --start (it sets answers of the file's respondents)") }
            for edit in sets where Self.parseSet(edit) == nil { throw ValidationError("--set takes ID:VARIABLE=VALUE (got \(edit))") }
            if start != nil && n != nil { throw ValidationError("--n cannot be given with --start (the file's rows are the respondents)") }
            if start != nil && iterations == 0 { throw ValidationError("--start needs calibration moves (--iterations above 0)") }
        }

        /// `ID:VARIABLE=VALUE` split at the first ':' and the first '=' after it (the value may be empty).
        static func parseSet(_ text: String) -> (id: String, variable: String, value: String)? {
            guard let colon = text.firstIndex(of: ":"), let equals = text[colon...].firstIndex(of: "=") else { return nil }
            let id = String(text[..<colon]), variable = String(text[text.index(after: colon)..<equals])
            guard !id.isEmpty, !variable.isEmpty else { return nil }
            return (id, variable, String(text[text.index(after: equals)...]))
        }

        func run() throws {
            let codebook = try BundledData.codebook(survey)
            let model = try SynthesisModel.load(path: try BundledData.path("synthesis/\(survey).yaml"))
            var synthesizer = try Synthesizer(codebook: codebook, model: model, seed: seed)
            let total = n ?? model.n
            let guarded = GuardedPath.files(start.map { [$0] } ?? [], option: "--start") + GuardedPath.codebook(survey)
                + GuardedPath.scheme(survey, option: "the bundled scheme")
                + ((try? BundledData.path("synthesis/\(survey).yaml")).map { [GuardedPath("the synthesis model", $0)] } ?? [])
            try outputOptions.check(guarding: guarded)  // a bad target fails now, not after the calibration
            var encoder = synthesizer.csvEncoder(total: total, attitudeItems: attitudeItems, seed: seed)
            let interactive = !quiet && Terminal.stderrIsTerminal
            var bar = ProgressBar(label: "writing \(survey)", total: total, enabled: interactive)

            /// Streams the rows `produce` hands over into the output (atomically), with the progress bar.
            func writeRows(_ produce: (_ row: (Int, [UInt16]) throws -> Void) throws -> Void) throws {
                let file = try outputOptions.writer(guarding: guarded)
                try file.write(Data(encoder.headerBytes()))
                try produce { i, record in
                    encoder.append(record, index: i, to: &file.buffer)
                    try file.flushIfFull()
                    bar.update(i + 1)
                }
                bar.finish()
                try file.commit()
            }

            if iterations == 0 {
                // Generate and write row by row: nothing but one chunk of output is kept.
                try writeRows { row in try synthesizer.generate(n: n, each: row) }
                Terminal.note("wrote \(output) (\(NumberFormat.grouped(total)) rows, \(encoder.header.count) columns; synthetic data, seed \(seed), not calibrated)", quiet: quiet)
                return
            }

            if let start {
                let table = try CSVReader().read(InputSource(argument: start), columns: .all)
                try synthesizer.load(table)
                Terminal.note("\(survey): \(NumberFormat.grouped(synthesizer.recordCount)) respondents read from \(table.source); calibration goes on (seed \(seed))", quiet: quiet)
                if !synthesizer.absentColumns.isEmpty {
                    let names = synthesizer.absentColumns
                    Terminal.note("\(survey): \(names.count) codebook variables are not columns of \(table.source) and were drawn from the model (routing applied): " + (names.count > 8 ? names.prefix(8).joined(separator: ", ") + ", ..." : names.joined(separator: ", ")), quiet: quiet)
                }
                if !swaps.isEmpty || !sets.isEmpty {
                    guard let ids = table.column(named: model.id.variable) else {
                        throw UsageError("--swap / --set: \(table.source) has no column \(model.id.variable)")
                    }
                    var row: [String: Int] = [:]
                    for r in 0..<table.rowCount { row[ids[r]] = r }
                    for edit in sets {
                        let (id, variable, value) = Self.parseSet(edit)!
                        guard let r = row[id] else { throw UsageError("--set \(edit): \(table.source) has no respondent \(id)") }
                        do { try synthesizer.assign(r, variable: variable, value: value) } catch let error as DataError {
                            throw UsageError("--set \(edit): \(error.message)")
                        }
                    }
                    if !sets.isEmpty { Terminal.note("\(survey): \(sets.count) answers set (--set) before the moves", quiet: quiet) }
                    for pair in swaps {
                        let parts = pair.split(separator: ":").map(String.init)
                        for id in parts where row[id] == nil { throw UsageError("--swap \(pair): \(table.source) has no respondent \(id)") }
                        let (a, b) = (row[parts[0]]!, row[parts[1]]!)
                        if a == b { throw UsageError("--swap \(pair): give two different respondents") }
                        synthesizer.exchange(a, b)
                    }
                    if !swaps.isEmpty { Terminal.note("\(survey): \(swaps.count) exchanges of answers (--swap) made before the moves", quiet: quiet) }
                }
            } else {
                try synthesizer.generate(n: n)
                Terminal.note("\(survey): \(NumberFormat.grouped(synthesizer.recordCount)) synthetic respondents drawn (seed \(seed))", quiet: quiet)
            }
            let count = synthesizer.recordCount
            if count != total {
                encoder = synthesizer.csvEncoder(total: count, attitudeItems: attitudeItems, seed: seed)
                bar = ProgressBar(label: "writing \(survey)", total: count, enabled: interactive)
            }

            do {
                let (scheme, frames) = try SchemeLocator.load(survey)
                let weigher = Weigher(scheme: scheme, frames: frames)
                let weights = try weigher.weigh(values: synthesizer.values(of: weigher.variables), base: nil, rowCount: count).weights
                let specs = try TableSpec.loadAll(directory: BundledData.path("tables")).filter { $0.survey == survey }
                let published = try PublishedData.load(directory: BundledData.path("published"))
                var targets = published.targets(survey: survey, specs: specs)
                if count != model.n { targets = targets.filter {
                    switch $0.kind { case .count, .levelCount: return false; case .estimate: return true }
                } }
                for i in targets.indices where targets[i].kind.isCount { targets[i].weight *= countWeight }
                var options = CalibrationOptions(iterations: iterations)
                options.startTemperature = temperature ?? (start == nil ? 2 : 0.2)
                options.cycles = cycles ?? (start == nil ? 3 : 1)
                options.copyMoves = copyMoves
                options.chainMoves = chainMoves
                options.chainLength = chainLength
                options.chainCandidates = chainCandidates
                options.progressEvery = interactive ? 20_000 : 500_000
                let result = try synthesizer.calibrate(targets: targets, weights: weights, options: options) { p in
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
            try writeRows { row in for (i, record) in synthesizer.records.enumerated() { try row(i, record) } }
            Terminal.note("wrote \(output) (\(NumberFormat.grouped(count)) rows, \(encoder.header.count) columns; synthetic data)", quiet: quiet)
        }
    }
}

/// A one-line progress bar on standard error (only when enabled: not quiet and stderr is a terminal).
private struct ProgressBar {
    let label: String
    let total: Int
    let enabled: Bool
    var lastDraw = 0.0
    let start = Date().timeIntervalSince1970

    init(label: String, total: Int, enabled: Bool) {
        self.label = label
        self.total = total
        self.enabled = enabled
    }

    @inline(__always) mutating func update(_ done: Int) {
        guard enabled, done & 1023 == 0 || done == total else { return }
        let now = Date().timeIntervalSince1970
        if now - lastDraw < 0.1 && done < total { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = now - start
        var line = "\r\(label): [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
        line += "\(Int(fraction * 100))% \(NumberFormat.grouped(done)) of \(NumberFormat.grouped(total)) rows"
        if fraction > 0.02 && fraction < 1 { line += ", \(Int((elapsed / fraction - elapsed).rounded())) s left   " }
        Terminal.write(line)
    }

    func finish() {
        guard enabled else { return }
        Terminal.write("\r" + String(repeating: " ", count: label.count + 90) + "\r")
    }
}
