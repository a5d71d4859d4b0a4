import Foundation
import Testing
@testable import MonitorCore

/// The synthetic-respondent generator: what it writes is a possible questionnaire, it is reproducible, and what
/// its calibration optimises is exactly what the table engine computes on the written file.
@Suite("Synthesis")
struct SynthesisTests {
    struct Setup {
        var codebook: Codebook
        var model: SynthesisModel
        var specs: [TableSpec]
        var targets: [CalibrationTarget]
        var weigher: Weigher
    }

    /// A survey's respondents freshly drawn (no calibration) with `seed`: the setup, the synthesizer, its table and
    /// the column index of every header name.
    static func drawn(_ survey: String, seed: UInt64) throws
        -> (setup: Setup, synthesizer: Synthesizer, header: [String], rows: [[String]], col: [String: Int]) {
        let s = try setup(survey)
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: seed)
        try synthesizer.generate()
        let (header, rows) = synthesizer.table()
        return (s, synthesizer, header, rows, Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) }))
    }

    static func setup(_ survey: String) throws -> Setup {
        let codebook = try Codebook.load(path: Fixtures.data("codebook/\(survey).yaml"))
        let model = try SynthesisModel.load(path: Fixtures.data("synthesis/\(survey).yaml"))
        let specs = try TableSpec.loadAll(directory: Fixtures.data("tables")).filter { $0.survey == survey }
        let published = try PublishedData.load(directory: Fixtures.data("published"))
        let scheme = try WeightingScheme.load(path: Fixtures.data("schemes/\(survey).yaml"))
        let frames = try scheme.frameFiles.map { try Frame.load(path: Fixtures.data($0)) }
        return Setup(codebook: codebook, model: model, specs: specs, targets: published.targets(survey: survey, specs: specs),
                     weigher: Weigher(scheme: scheme, frames: frames))
    }

    /// Generates and briefly calibrates (so that drop-outs, swaps and rule repairs have happened).
    static func synthesize(_ s: Setup, seed: UInt64, iterations: Int, copyMoves: Double = 0, chainMoves: Double = 0) throws -> (Synthesizer, [Double], CalibrationResult) {
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: seed)
        try synthesizer.generate()
        let weights = try s.weigher.weigh(values: synthesizer.values(of: s.weigher.variables), base: nil, rowCount: synthesizer.recordCount).weights
        var options = CalibrationOptions(iterations: iterations)
        options.copyMoves = copyMoves
        options.chainMoves = chainMoves
        let result = try synthesizer.calibrate(targets: s.targets, weights: weights, options: options)
        return (synthesizer, weights, result)
    }

    /// The written file read back as `monitor tables` reads it.
    static func dataset(_ synthesizer: Synthesizer, codebook: Codebook) throws -> Dataset {
        let (header, rows) = synthesizer.table()
        let table = try rawTable(header, rows)
        let (dataset, report) = DatasetBuilder(codebook: codebook).build(table)
        #expect(report.isValid, "the synthetic file passes the codebook's validation")
        return dataset
    }

    @Test("the calibration's own evaluator agrees with the table engine on every target", arguments: ["ambtsdragers", "medewerkers"])
    func evaluatorMatchesTableEngine(survey: String) throws {
        let s = try Self.setup(survey)
        let (synthesizer, weights, result) = try Self.synthesize(s, seed: 11, iterations: 6_000)
        let dataset = try Self.dataset(synthesizer, codebook: s.codebook)
        let design = try SurveyDesign(rowCount: dataset.rowCount, weights: weights)
        let engine = TableEngine(dataset: dataset, design: design, codebook: s.codebook, thresholds: ReportingThresholds(indicative: 50, minimum: 1))
        var tables: [String: ComputedTable] = [:]
        #expect(result.targets.count == s.targets.count)
        for (target, reached) in zip(s.targets, result.targets) {
            let table = try tables[target.spec.key] ?? engine.compute(target.spec)
            tables[target.spec.key] = table
            let block = target.column.map { String($0.split(separator: "=")[0]) } ?? ""
            let column = target.column.map { String($0.split(separator: "=")[1]) } ?? ""
            switch target.kind {
            case .estimate:
                let cell = try #require(table.cell(row: target.row, block: block, column: column), "\(target.id)")
                let scale = cell.statistic == .percent ? 100.0 : 1.0
                if let estimate = cell.estimate {
                    #expect(abs(estimate * scale - reached.reached) <= 1e-9 * max(1, abs(reached.reached)), "\(target.id)")
                } else {
                    #expect(reached.reached.isNaN, "\(target.id)")
                }
            case .count:
                let n = target.column == nil ? try engine.rowBaseN(target.spec, row: target.row)
                    : try #require(table.cell(row: target.row, block: block, column: column)).n
                #expect(Double(n) == reached.reached, "\(target.id)")
            case .levelCount:
                let n = try engine.count(target.spec, row: target.row, block: block, column: column)
                #expect(Double(n) == reached.reached, "\(target.id)")
            }
        }
    }

    @Test("the same seed gives the same file, another seed another file")
    func deterministic() throws {
        let s = try Self.setup("medewerkers")
        let a = try Self.synthesize(s, seed: 5, iterations: 5_000).0.table()
        let b = try Self.synthesize(s, seed: 5, iterations: 5_000).0.table()
        let c = try Self.synthesize(s, seed: 6, iterations: 5_000).0.table()
        #expect(a.header == b.header && a.rows == b.rows)
        #expect(a.rows != c.rows)
    }

    @Test("organisaties: several exclusive items of a set ('nee', 'onbekend') each stand alone, through the moves",
          arguments: ["single", "chain"])
    func severalExclusiveItems(moves: String) throws {
        let s = try Self.setup("organisaties")
        let (synthesizer, _, _) = try Self.synthesize(s, seed: 5, iterations: 20_000, chainMoves: moves == "chain" ? 0.5 : 0)
        let (header, rows) = synthesizer.table()
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let sets = Dictionary(uniqueKeysWithValues: (s.codebook.sets ?? []).map { ($0.name, $0.items) })
        #expect(rows.count == 117 && s.model.exclusive?["sociale_media"]?.items.count == 2)
        var exclusiveAnswers = 0
        for row in rows {
            for (set, nones) in s.model.exclusive ?? [:] {
                let ticked = sets[set]!.filter { row[col[$0]!] == "1" }
                #expect(!ticked.isEmpty, "\(row[0]): \(set) without an answer")
                if ticked.contains(where: nones.items.contains) {
                    exclusiveAnswers += 1
                    #expect(ticked.count == 1, "\(row[0]): \(ticked) ticked together")
                }
            }
        }
        #expect(exclusiveAnswers > 0)
    }

    @Test("records follow the questionnaire: composition, routing, sets and the most recent incident (also with copy moves and chains)",
          arguments: ["ambtsdragers", "medewerkers"], ["single", "copy", "chain"])
    func questionnaireRules(survey: String, moves: String) throws {
        let s = try Self.setup(survey)
        // Chains cost up to 32 evaluations a move: fewer moves exercise as many changes.
        let (synthesizer, _, result) = try Self.synthesize(s, seed: 3, iterations: moves == "chain" ? 3_000 : 8_000, copyMoves: moves == "copy" ? 0.3 : 0,
                                                           chainMoves: moves == "chain" ? 0.5 : 0)
        #expect(result.drift < 1e-6, "the loss kept move by move is the loss of the records")
        let (header, rows) = synthesizer.table()
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        #expect(rows.count == s.model.n)
        // Composition: the design counts exactly.
        for cell in s.model.design {
            let n = Int(cell["n"]!)!
            let codes = cell.filter { $0.key != "n" }
            #expect(rows.filter { row in codes.allSatisfy { row[col[$0.key]!] == $0.value } }.count == n, "\(codes)")
        }
        for (name, counts) in s.model.margins ?? [:] {
            for (code, n) in counts { #expect(rows.filter { $0[col[name]!] == code }.count == n, "\(name)=\(code)") }
        }
        let forms = survey == "ambtsdragers" ? ["verbale_agressie", "bedreiging", "intimidatie", "fysieke_agressie"]
                                             : ["verbale_agressie", "bedreiging_intimidatie", "fysieke_agressie"]
        let sets = Dictionary(uniqueKeysWithValues: (s.codebook.sets ?? []).map { ($0.name, $0.items) })
        let incident = ["soort_incident", "geregistreerd"] + ["besproken_met", "gemeld_bij", "extern_gemeld_bij", "aangifte"].flatMap { sets[$0]! }
        for row in rows {
            let victim = forms.contains { row[col[$0]!] == "1" }
            let answered = forms.allSatisfy { ["0", "1"].contains(row[col[$0]!]) }
            // A respondent who stopped early (footnote 2 of §1.2.1) has empty cells from there on.
            let stoppedEarly = row.last == ""
            if answered && !victim {
                for v in incident { #expect(row[col[v]!] == "nvt" || stoppedEarly && row[col[v]!] == "", "non-victim \(row[0]) has \(v)=\(row[col[v]!])") }
                for v in ["aantal_incidenten", "ernst"] { #expect(row[col[v]!] == "", "non-victim \(row[0]) has \(v)") }
            }
            let soort = row[col["soort_incident"]!]
            if forms.contains(soort) { #expect(row[col[soort]!] == "1", "\(row[0]): most recent incident \(soort) not reported") }
            for (set, nones) in s.model.exclusive ?? [:] {
                let items = sets[set]!
                let values = items.map { row[col[$0]!] }
                guard values.allSatisfy({ $0 == "0" || $0 == "1" }) else { continue }
                #expect(values.contains("1"), "\(row[0]): \(set) answered without a ticked item")
                for none in nones.items where row[col[none]!] == "1" {
                    #expect(values.filter { $0 == "1" }.count == 1, "\(row[0]): \(none) with another item")
                }
            }
            if let reasons = sets["reden_niet_gemeld"], row[col["niet_besproken"]!] == "0" || row[col["niet_gemeld"]!] == "0" {
                for v in reasons { #expect(row[col[v]!] == "nvt" || stoppedEarly && row[col[v]!] == "", "\(row[0]): \(v) asked although discussed or reported") }
            }
        }
    }

    @Test("--swap's exchange moves every answer between two respondents; design cell, geslacht and functie stay")
    func exchange() throws {
        var (_, synthesizer, header, before, col) = try Self.drawn("medewerkers", seed: 12)
        let complete = { (row: [String]) in row.last != "" }
        let a = try #require(before.indices.first { before[$0][col["verbale_agressie"]!] == "1" && complete(before[$0]) })
        let b = try #require(before.indices.first { before[$0][col["verbale_agressie"]!] == "0" && complete(before[$0])
            && before[$0][col["geslacht"]!] != before[a][col["geslacht"]!] && before[$0][col["bestuurslaag"]!] != before[a][col["bestuurslaag"]!] })
        synthesizer.exchange(a, b)
        let after = synthesizer.table().rows
        for (k, name) in header.enumerated() {
            if ["respondent_id", "panel", "bestuurslaag", "geslacht", "functie"].contains(name) {
                #expect(after[a][k] == before[a][k] && after[b][k] == before[b][k], "\(name) stays")
            } else {
                #expect(after[a][k] == before[b][k] && after[b][k] == before[a][k], "\(name) moves")
            }
        }
        for r in before.indices where r != a && r != b { #expect(after[r] == before[r]) }
    }

    @Test("--set's assignment changes one answer, a fixed one included, as if the file had held it")
    func assign() throws {
        var (s, synthesizer, header, before, col) = try Self.drawn("medewerkers", seed: 12)
        let r = try #require(before.indices.first { before[$0][col["geslacht"]!] == "vrouw" })
        try synthesizer.assign(r, variable: "geslacht", value: "man")
        let after = synthesizer.table().rows
        #expect(after[r][col["geslacht"]!] == "man")
        for (k, name) in header.enumerated() where name != "geslacht" { #expect(after[r][k] == before[r][k], "\(name) stays") }
        for other in before.indices where other != r { #expect(after[other] == before[other]) }
        // The same as loading a file that holds the new value.
        var edited = before
        edited[r][col["geslacht"]!] = "man"
        var loaded = try Synthesizer(codebook: s.codebook, model: s.model, seed: 12)
        try loaded.load(try Self.rawTable(header, edited))
        #expect(loaded.table().rows == after)
        // A derived variable or a value the model cannot produce is refused.
        #expect(throws: DataError.self) { try synthesizer.assign(r, variable: "slachtoffer", value: "1") }
        #expect(throws: DataError.self) { try synthesizer.assign(r, variable: "geslacht", value: "onbekend") }
        #expect(throws: DataError.self) { try synthesizer.assign(r, variable: "geen_variabele", value: "1") }
    }

    @Test("--set applies the questionnaire's rules: a victim set to no form is no victim any more, one item of a set answers or empties the set")
    func assignRepairs() throws {
        var (_, synthesizer, header, before, col) = try Self.drawn("medewerkers", seed: 12)
        let forms = ["verbale_agressie", "bedreiging_intimidatie", "fysieke_agressie"]
        let complete = { (row: [String]) in row.last != "" }
        let isVictim = { (row: [String]) in forms.contains { row[col[$0]!] == "1" } }
        let v = try #require(before.indices.first { isVictim(before[$0]) && complete(before[$0]) && before[$0][col["aangifte_geen"]!] == "1" })
        // The aangifte set left unanswered (item non-response): every item empty, the reasons routed out.
        try synthesizer.assign(v, variable: "aangifte_zelf", value: "")
        var after = synthesizer.table().rows
        for item in ["aangifte_zelf", "aangifte_organisatie", "aangifte_geen"] { #expect(after[v][col[item]!] == "", "\(item) empty") }
        #expect(after[v][col["reden_geen_aangifte_geen_zin"]!] == "nvt")
        #expect(after[v][col["ernst"]!] == before[v][col["ernst"]!], "answers before the set stay")
        // Answered again with one item: the set is complete (the others 0) and the reasons are asked.
        try synthesizer.assign(v, variable: "aangifte_geen", value: "1")
        after = synthesizer.table().rows
        #expect(after[v][col["aangifte_zelf"]!] == "0" && after[v][col["aangifte_organisatie"]!] == "0" && after[v][col["aangifte_geen"]!] == "1")
        #expect(["0", "1"].contains(after[v][col["reden_geen_aangifte_geen_zin"]!]))
        // Every form set to 0: no victim, the incident's questions routed out, nobody else touched.
        for form in forms { try synthesizer.assign(v, variable: form, value: "0") }
        after = synthesizer.table().rows
        #expect(!isVictim(after[v]))
        for name in ["aantal_incidenten", "ernst"] { #expect(after[v][col[name]!] == "", "\(name) not asked") }
        for name in ["soort_incident", "geregistreerd", "besproken_collega", "gemeld_leidinggevende", "aangifte_geen", "reden_geen_aangifte_geen_zin"] {
            #expect(after[v][col[name]!] == "nvt", "\(name) routed out")
        }
        for name in ["respondent_id", "geslacht", "contact_buiten_organisatie", "sociale_media_persoonlijk"] {
            #expect(after[v][col[name]!] == before[v][col[name]!], "\(name) stays")
        }
        #expect(header.count == after[v].count)
        for other in before.indices where other != v { #expect(after[other] == before[other]) }
    }

    @Test("an exchange of one question between two respondents keeps its marginal counts")
    func questionExchange() throws {
        let s = try Self.setup("medewerkers")
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: 4)
        try synthesizer.generate()
        let ernst = try #require(synthesizer.schema.index["ernst"])
        let records = synthesizer.records
        let complete = records.indices.filter { !synthesizer.schema.variables[ernst].isMissing[Int(records[$0][ernst])] }
        let a = try #require(complete.first)
        let b = try #require(complete.first { records[$0][ernst] != records[a][ernst] })
        let (newA, (k, newB)) = synthesizer.swapped(a, b, question: synthesizer.questionOf[ernst])
        #expect(k == b)
        #expect(newA[ernst] == records[b][ernst] && newB[ernst] == records[a][ernst])
        // Nothing else of the two questionnaires changes: the answer is valid where it lands.
        for v in 0..<synthesizer.schema.rawCount where v != ernst {
            #expect(newA[v] == records[a][v] && newB[v] == records[b][v], "\(synthesizer.schema.variables[v].name)")
        }
    }

    /// Share of 1 in `item` among rows where `when` holds and the item is answered.
    static func share(_ rows: [[String]], _ col: [String: Int], _ item: String, when: ([String]) -> Bool) -> Double {
        let answered = rows.filter { when($0) && ["0", "1"].contains($0[col[item]!]) }
        return Double(answered.filter { $0[col[item]!] == "1" }.count) / Double(max(answered.count, 1))
    }

    @Test("the model's `first` variables are drawn before the questions whose priors depend on them")
    func firstDrawn() throws {
        let (s, _, _, rows, col) = try Self.drawn("ambtsdragers", seed: 5)
        #expect(s.model.first?.contains("leeftijdsgroep") == true)
        // gericht_op_leeftijd comes before leeftijdsgroep in the questionnaire; its prior is 14% for 18-39 jaar
        // and 3-6% otherwise, which only shows when leeftijdsgroep is drawn first.
        let young = Self.share(rows, col, "gericht_op_leeftijd") { $0[col["leeftijdsgroep"]!] == "leeftijd_18_39" }
        let others = Self.share(rows, col, "gericht_op_leeftijd") { ["leeftijd_40_59", "leeftijd_60_plus"].contains($0[col["leeftijdsgroep"]!]) }
        #expect(young > 0.08 && others < 0.07, "young \(young), others \(others)")
    }

    @Test("the calibration's random redraws leave a variable that no target reads at its prior distribution")
    func untargetedKeepsPrior() throws {
        let s = try Self.setup("ambtsdragers")
        // The targets without any that read gericht_op_geloof (Tabel 2.10 does): the variable is then untargeted.
        let untargeted = s.targets.filter { t in !(t.spec.variables.contains("gericht_op_geloof") || t.row.hasPrefix("gericht_op_geloof")) }
        #expect(untargeted.count < s.targets.count && !untargeted.isEmpty)
        // Only random redraws (the moves that can drift an untargeted answer), on 200 respondents: 40,000 moves redraw
        // each of their answers about twice, which took 150,000 mixed moves on the whole file.
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: 6)
        try synthesizer.generate(n: 200)
        var options = CalibrationOptions(iterations: 40_000)
        options.randomMoves = 1
        _ = try synthesizer.calibrate(targets: untargeted.filter { !$0.kind.isCount }, weights: [Double](repeating: 1, count: 200),
                                      options: options)
        let (header, rows) = synthesizer.table()
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        // Prior 1-3%: random redraws that excluded the current answer used to flip it toward 50%.
        let share = Self.share(rows, col, "gericht_op_geloof") { _ in true }
        #expect(share < 0.08, "gericht_op_geloof \(share)")
    }

    /// Writes `header` and `rows` to a temporary CSV and reads it back as a raw table.
    static func rawTable(_ header: [String], _ rows: [[String]]) throws -> RawTable {
        var writer = CSVWriter(header: header)
        for row in rows { writer.row(row) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synth-\(UUID().uuidString).csv").path
        try writer.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CSVReader().read(.file(path), columns: .all)
    }

    @Test("a written file read back as the start of a calibration gives the same records and the same targets met",
          arguments: ["ambtsdragers", "medewerkers"])
    func startFromFile(survey: String) throws {
        let s = try Self.setup(survey)
        let (written, weights, result) = try Self.synthesize(s, seed: 4, iterations: 5_000)
        let (header, rows) = written.table()
        var loaded = try Synthesizer(codebook: s.codebook, model: s.model, seed: 9)
        try loaded.load(try Self.rawTable(header, rows))
        // Every answer and every derived variable as written (the last slot, the stop position, is inferred).
        #expect(loaded.records.count == written.records.count)
        #expect(zip(loaded.records, written.records).allSatisfy { $0.dropLast() == $1.dropLast() })
        // Drop-outs are found again: a record that stopped early still stops early.
        let stops = loaded.records.map { Int($0.last!) }
        #expect(stops.contains { $0 < loaded.schema.rawCount } == written.records.contains { Int($0.last!) < written.schema.rawCount })
        let again = try loaded.calibrate(targets: s.targets, weights: weights, options: CalibrationOptions(iterations: 0))
        #expect(again.met == result.met)
        #expect(abs(again.loss - result.loss) <= 1e-9 * max(1, result.loss))
        // Going on from the file keeps the records valid and does not lose ground at a low temperature.
        var gentle = CalibrationOptions(iterations: 5_000)
        gentle.startTemperature = 0.01
        gentle.cycles = 1
        let more = try loaded.calibrate(targets: s.targets, weights: weights, options: gentle)
        #expect(more.loss <= result.loss + 1e-9)
    }

    @Test("a start file without some of the codebook's questions gets them drawn from the model, routing applied; its own answers stay")
    func startFileMissingColumns() throws {
        let s = try Self.setup("medewerkers")
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: 3)
        try synthesizer.generate()
        let (header, rows) = synthesizer.table()
        let doelwit = header.filter { $0.hasPrefix("doelwit_") }
        #expect(!doelwit.isEmpty)
        // A question of every respondent, a set and a categorical of the victims, one routed by panel.
        let dropped = Set(["veilig_in_functie", "achtergrond", "invloed_sociale_media"] + doelwit)
        let keep = header.indices.filter { !dropped.contains(header[$0]) }
        let file = try Self.rawTable(keep.map { header[$0] }, rows.map { row in keep.map { row[$0] } })
        var loaded = try Synthesizer(codebook: s.codebook, model: s.model, seed: 5)
        try loaded.load(file)
        #expect(Set(loaded.absentColumns) == dropped)
        let (after, drawn) = loaded.table()
        #expect(after == header)
        // The file's own answers stay as they were.
        #expect(drawn.allSatisfy { $0.count == header.count })
        #expect(zip(drawn, rows).allSatisfy { new, old in keep.allSatisfy { new[$0] == old[$0] } })
        // A drawn question is asked of exactly the respondents the model asks it of (the file was drawn by the same
        // model, so its values say who): empty or 'nvt' where the file's were, an answer where the file had one.
        let notAsked: Set<String> = ["", "nvt"]
        for name in dropped {
            let k = try #require(header.firstIndex(of: name))
            for (new, old) in zip(drawn, rows) {
                #expect(notAsked.contains(new[k]) == notAsked.contains(old[k]), "\(name): \(old[k]) became \(new[k])")
                if notAsked.contains(old[k]) { #expect(new[k] == old[k]) }
            }
        }
        // The drawn set is answered with at least one ticked item wherever it is asked.
        let items = doelwit.map { header.firstIndex(of: $0)! }
        for row in drawn where items.contains(where: { !notAsked.contains(row[$0]) }) {
            #expect(items.contains { row[$0] == "1" })
        }
        #expect(drawn.contains { row in items.contains { row[$0] == "1" } })
        // The same seed draws the same answers.
        var again = try Synthesizer(codebook: s.codebook, model: s.model, seed: 5)
        try again.load(file)
        #expect(again.table().rows == drawn)
        // The design and margin variables are not drawn: a file without one is refused.
        let noGeslacht = header.indices.filter { header[$0] != "geslacht" }
        var refused = try Synthesizer(codebook: s.codebook, model: s.model, seed: 5)
        #expect(throws: DataError.self) {
            try refused.load(try Self.rawTable(noGeslacht.map { header[$0] }, rows.map { row in noGeslacht.map { row[$0] } }))
        }
    }

    @Test("a start file with a value the model cannot produce is refused with its line, column and value")
    func startFileBadValue() throws {
        let s = try Self.setup("medewerkers")
        var synthesizer = try Synthesizer(codebook: s.codebook, model: s.model, seed: 1)
        try synthesizer.generate()
        var (header, rows) = synthesizer.table()
        let ernst = try #require(header.firstIndex(of: "ernst"))
        rows[6][ernst] = "9"
        var loaded = try Synthesizer(codebook: s.codebook, model: s.model, seed: 1)
        do {
            try loaded.load(try Self.rawTable(header, rows))
            Issue.record("a value outside the codebook was accepted")
        } catch let error as DataError {
            #expect(error.position.line == 8 && error.position.columnName == "ernst" && error.position.value == "9", "\(error)")
        }
        rows[6][ernst] = "4"
        // A question the file lacks is drawn (startFileMissingColumns); a design or margin variable is not.
        let geslacht = try #require(header.firstIndex(of: "geslacht"))
        header[geslacht] = "geslacht_x"
        do {
            try loaded.load(try Self.rawTable(header, rows))
            Issue.record("a file without geslacht was accepted")
        } catch let error as DataError {
            #expect(error.kind == .missingColumn && error.description.contains("geslacht"), "\(error)")
        }
    }

    @Test("apportioning keeps the total and the proportions")
    func apportion() {
        #expect(SynthesisModel.apportion([6, 15, 112], total: 133) == [6, 15, 112])
        #expect(SynthesisModel.apportion([1, 1, 1], total: 10).reduce(0, +) == 10)
        #expect(SynthesisModel.apportion([78, 256, 453], total: 1_000_000).reduce(0, +) == 1_000_000)
    }
}
