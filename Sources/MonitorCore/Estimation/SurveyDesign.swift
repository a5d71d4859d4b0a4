/// Why a design cannot be declared or a variance computed. Rows are 0-based data rows; commands turn
/// them into file positions.
public enum DesignError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidWeight(row: Int, value: Double)
    case missingDesignValue(variable: String, row: Int)
    case invalidFPC(row: Int, value: Double, reason: String)
    case fpcVariesWithinStratum(stratum: String, first: Double, other: Double, row: Int)
    case clusterInSeveralStrata(cluster: String, strata: [String])
    case lonelyPSU(stratum: String)
    case lengthMismatch(variable: String, count: Int, rows: Int)
    case fpcVariesWithinCluster(stage: Int, cluster: String, first: Double, other: Double, row: Int)
    case lonelyUnit(stage: Int, cluster: String)
    case stageCountMismatch(clusterStages: Int, fpcStages: Int)

    public var description: String {
        switch self {
        case .invalidWeight(let row, let value):
            return "weight of data row \(row + 1) is \(value): weights must be positive, finite numbers"
        case .missingDesignValue(let variable, let row):
            return "data row \(row + 1) has no \(variable): every row needs its design variables"
        case .invalidFPC(let row, let value, let reason):
            return "finite population correction of data row \(row + 1) is \(value): \(reason)"
        case .fpcVariesWithinStratum(let stratum, let first, let other, let row):
            return "the finite population correction must be the same within a stratum: stratum \"\(stratum)\" has \(first) and, on data row \(row + 1), \(other)"
        case .clusterInSeveralStrata(let cluster, let strata):
            return "cluster \"\(cluster)\" appears in strata \(strata.map { "\"\($0)\"" }.joined(separator: " and ")): clusters must be nested in strata (give each stratum its own cluster ids)"
        case .lonelyPSU(let stratum):
            return "stratum \"\(stratum)\" has only one primary sampling unit, so its variance cannot be estimated; merge it with a neighbouring stratum or choose a lonely-PSU rule (certainty, remove, adjust, average)"
        case .lengthMismatch(let variable, let count, let rows):
            return "\(variable) has \(count) values for \(rows) rows"
        case .fpcVariesWithinCluster(let stage, let cluster, let first, let other, let row):
            return "the stage-\(stage) finite population correction must be the same within a stage-\(stage - 1) cluster: cluster \"\(cluster)\" has \(first) and, on data row \(row + 1), \(other)"
        case .lonelyUnit(let stage, let cluster):
            return "stage-\(stage - 1) cluster \"\(cluster)\" has only one sampled stage-\(stage) unit and is not a census at that stage, so its stage-\(stage) variance cannot be estimated; choose a lonely-PSU rule (certainty, remove, adjust)"
        case .stageCountMismatch(let clusterStages, let fpcStages):
            return "the design has \(max(clusterStages, 1)) sampling stage\(clusterStages > 1 ? "s" : "") but \(fpcStages) finite population correction column\(fpcStages == 1 ? "" : "s"): give one per stage (as R's svydesign(ids=~psu+ssu, fpc=~N1+N2))"
        }
    }
}

/// A complex sampling design: weights, strata, clusters in one or more stages, finite population correction,
/// and the calibration steps (post-stratification, raking) that produced the final weights.
///
/// Declared as R survey's `svydesign(ids = ~psu + ssu, strata = ~stratum, weights = ~w, fpc = ~N1 + N2)`, optionally
/// followed by `postStratify()` or `rake()` (Lumley 2010, ch. 2-3, 7). Variances are by Taylor linearization
/// (`Linearization.swift`), with every stratum's primary sampling units (PSUs) treated as sampled with
/// replacement unless a finite population correction is given; later stages add their variance only with a
/// finite population correction (R `multistage`).
public struct SurveyDesign: Sendable {
    /// What to do with a stratum that has a single PSU (R `options(survey.lonely.psu=)`).
    public enum LonelyPSU: String, Sendable, CaseIterable {
        /// An error (R's default).
        case fail
        /// The stratum contributes no variance (a certainty unit).
        case certainty
        /// The stratum contributes no variance.
        case remove
        /// The single PSU is centred at the population mean (zero for influence values) rather than
        /// the stratum mean: a conservative contribution.
        case adjust
        /// The stratum contributes the average of the other strata's contributions: R `onestage` sums the
        /// strata that have one and multiplies by nstrat / nokstrat (strata / strata with a contribution; a
        /// census stratum has one, 0). At a later stage, where each cluster is a stratum of its own, R's
        /// factor is 1/0 and the variance NaN.
        case average
    }

    /// A sampling stage after the first (R `svydesign(ids = ~psu + ssu + ...)`): its units are nested in the
    /// previous stage's units, as R makes them (`interaction` of the ids up to the stage), and the previous
    /// stage's units are its strata (R: strata[, s] = interaction(strata, ids[, s − 1])).
    struct Stage: Sendable {
        /// Unit of each row at this stage, 0..<unitCount.
        var unit: [Int32]
        /// The previous stage's unit that each unit lies in, and the unit's label ("83/4958"); the previous
        /// stage's units' labels.
        var parent: [Int32]
        var labels: [String]
        var parentLabels: [String]
        var unitCount: Int { parent.count }
        /// Per previous-stage unit: units sampled in it (n), 1 − n/N and n/N (1 and 0 without an fpc).
        var sampled: [Int]
        var finiteFactor: [Double]
        var fraction: [Double]
    }

    /// One adjustment variable of a calibration step: each row's cell (−1 if outside), and the weights
    /// right after the adjustment (R stores them as the `weights` attribute of `postStrata`).
    public struct CalibrationMargin: Sendable {
        public var cells: [Int32]
        public var cellCount: Int
        public var weights: [Double]

        public init(cells: [Int32], cellCount: Int, weights: [Double]) {
            self.cells = cells
            self.cellCount = cellCount
            self.weights = weights
        }
    }

    /// Calibration steps, in the order they were applied.
    public enum Calibration: Sendable {
        /// `postStratify(design, ~cell, population)`.
        case postStratification(CalibrationMargin)
        /// `rake(design, margins, populations)`: one margin per adjustment variable.
        case raking([CalibrationMargin])
    }

    public let rowCount: Int
    /// Final weights (after calibration).
    public private(set) var weights: [Double]
    /// Stratum of each row (a single stratum 0 when the design has no strata).
    public let stratum: [Int32]
    public let strataLabels: [String]
    /// Primary sampling unit of each row, 0..<psuCount (each row its own PSU when there are no clusters).
    public var psu: [Int32] { clusterCodes ?? (0..<rowCount).map { Int32($0) } }
    /// The clusters' codes; nil when every row is its own PSU (not stored: n integers saved).
    private let clusterCodes: [Int32]?
    public let psuCount: Int
    /// Stratum of each PSU.
    public let psuStratum: [Int32]
    /// Number of PSUs per stratum in the whole sample (n_h).
    public let psuPerStratum: [Int]
    /// Per stratum: 1 − f_h = (N_h − n_h) / N_h with a finite population correction, else 1.
    public let finiteFactor: [Double]
    /// Per stratum: f_h = n_h / N_h with a finite population correction (R's `nPSU / fpc`), else 0.
    let samplingFraction: [Double]
    /// Stages 2, 3, ... of a multi-stage cluster sample (empty for one stage).
    let laterStages: [Stage]
    public private(set) var calibrations: [Calibration]
    /// The sums-based fast path's layout (nil when the design has clusters or several calibration steps).
    private(set) var layout: UnclusteredLayout?
    public var lonelyPSU: LonelyPSU
    public let hasStrata: Bool
    public let hasClusters: Bool
    public let hasFPC: Bool
    /// Number of sampling stages with clusters (0: every row its own PSU).
    public var clusterStages: Int { hasClusters ? 1 + laterStages.count : 0 }

    /// Declares a one-stage design as `svydesign` does (see `init(rowCount:weights:strata:stages:fpc:lonelyPSU:)`).
    ///
    /// - Parameters:
    ///   - clusters: PSU of every row (one stage); clusters must be nested in strata.
    ///   - fpc: per row, the population count of PSUs in its stratum (N_h), or the sampling fraction
    ///     n_h / N_h when every value is ≤ 1 (as R reads `fpc`). Constant within a stratum.
    public init(rowCount: Int, weights: [Double]? = nil, strata: Grouping? = nil, clusters: Grouping? = nil,
                fpc: [Double]? = nil, lonelyPSU: LonelyPSU = .fail) throws(DesignError) {
        try self.init(rowCount: rowCount, weights: weights, strata: strata, stages: clusters.map { [$0] } ?? [],
                      fpc: fpc.map { [$0] }, lonelyPSU: lonelyPSU)
    }

    /// Declares a design as `svydesign(ids = ~c1 + c2 + ..., strata, weights, fpc = ~N1 + N2 + ...)` does.
    ///
    /// - Parameters:
    ///   - weights: sampling weights; without them Π_s N_s / n_s from `fpc` (R `weights.survey_fpc`), or 1.
    ///   - strata: stratum of every row (no −1 codes); strata at the first stage only.
    ///   - stages: the clusters of each stage (empty: every row its own PSU). First-stage clusters must be
    ///     nested in strata; a later stage's clusters are taken within the previous stage's (R's `interaction`),
    ///     so their labels need only be unique within it.
    ///   - fpc: one column per stage (one without clusters): per row, the population count of the stage's units
    ///     in its stratum (stage 1) or in its previous-stage unit (N_s), or the sampling fraction n_s / N_s. As R's
    ///     `as.fpc`, counts when some value is > 1 (then none may be < 1; a census unit of N = 1 is a count),
    ///     fractions when every value is ≤ 1. Constant within a stratum (previous-stage unit).
    public init(rowCount: Int, weights: [Double]? = nil, strata: Grouping? = nil, stages clusterStages: [Grouping],
                fpc fpcStages: [[Double]]? = nil, lonelyPSU: LonelyPSU = .fail) throws(DesignError) {
        self.rowCount = rowCount
        self.lonelyPSU = lonelyPSU
        calibrations = []
        hasStrata = strata != nil
        hasClusters = !clusterStages.isEmpty
        hasFPC = fpcStages != nil
        if let fpcStages, fpcStages.count != max(clusterStages.count, 1) {
            throw .stageCountMismatch(clusterStages: clusterStages.count, fpcStages: fpcStages.count)
        }
        var lengths: [(String, Int?)] = [("weights", weights?.count), ("strata", strata?.rowCount)]
        for (s, g) in clusterStages.enumerated() { lengths.append((s == 0 ? "clusters" : "stage-\(s + 1) clusters", g.rowCount)) }
        for (s, f) in (fpcStages ?? []).enumerated() { lengths.append((s == 0 ? "fpc" : "stage-\(s + 1) fpc", f.count)) }
        for (name, count) in lengths {
            if let count, count != rowCount { throw .lengthMismatch(variable: name, count: count, rows: rowCount) }
        }

        // Strata.
        if let strata {
            if let row = strata.codes.firstIndex(where: { $0 < 0 }) { throw .missingDesignValue(variable: "stratum", row: row) }
            stratum = strata.codes
            strataLabels = strata.labels
        } else {
            stratum = [Int32](repeating: 0, count: rowCount)
            strataLabels = ["1"]
        }
        let strataCount = strataLabels.count

        // PSUs: each row, or each cluster (which must lie in one stratum).
        if let clusters = clusterStages.first {
            if let row = clusters.codes.firstIndex(where: { $0 < 0 }) { throw .missingDesignValue(variable: "cluster", row: row) }
            var stratumOfCluster = [Int32](repeating: -1, count: clusters.count)
            for row in 0..<rowCount {
                let c = Int(clusters.codes[row]), h = stratum[row]
                if stratumOfCluster[c] < 0 {
                    stratumOfCluster[c] = h
                } else if stratumOfCluster[c] != h {
                    throw .clusterInSeveralStrata(cluster: clusters.labels[c],
                                                  strata: [strataLabels[Int(stratumOfCluster[c])], strataLabels[Int(h)]])
                }
            }
            clusterCodes = clusters.codes
            psuCount = clusters.count
            psuStratum = stratumOfCluster
        } else {
            clusterCodes = nil
            psuCount = rowCount
            psuStratum = stratum
        }
        var perStratum = [Int](repeating: 0, count: strataCount)
        for h in psuStratum where h >= 0 { perStratum[Int(h)] += 1 }
        psuPerStratum = perStratum

        // Later stages: units within the previous stage's units.
        var stages: [Stage] = []
        if clusterStages.count > 1, let first = clusterStages.first {
            var previous = first.codes, previousLabels = first.labels, previousCount = first.count
            for (s, clusters) in clusterStages.enumerated().dropFirst() {
                if let row = clusters.codes.firstIndex(where: { $0 < 0 }) {
                    throw .missingDesignValue(variable: "stage-\(s + 1) cluster", row: row)
                }
                var index: [Int: Int32] = [:]
                var stage = Stage(unit: [Int32](repeating: 0, count: rowCount), parent: [], labels: [], parentLabels: previousLabels, sampled: [],
                                  finiteFactor: [Double](repeating: 1, count: previousCount),
                                  fraction: [Double](repeating: 0, count: previousCount))
                for row in 0..<rowCount {
                    let p = Int(previous[row]), key = p * clusters.count + Int(clusters.codes[row])
                    if let u = index[key] {
                        stage.unit[row] = u
                    } else {
                        let u = Int32(stage.parent.count)
                        index[key] = u
                        stage.parent.append(Int32(p))
                        stage.labels.append(previousLabels[p] + "/" + clusters.labels[Int(clusters.codes[row])])
                        stage.unit[row] = u
                    }
                }
                stage.sampled = [Int](repeating: 0, count: previousCount)
                for p in stage.parent { stage.sampled[Int(p)] += 1 }
                previous = stage.unit
                previousLabels = stage.labels
                previousCount = stage.unitCount
                stages.append(stage)
            }
        }

        // Finite population correction: N per stratum (stage 1) or previous-stage unit (later stages), checked to be
        // constant and ≥ n.
        var factor = [Double](repeating: 1, count: strataCount)
        var fraction = [Double](repeating: 0, count: strataCount)
        var fpcWeights: [Double]?
        if let fpcStages {
            let all = fpcStages.joined()
            if let value = all.first(where: { !($0 > 0 && $0.isFinite) }) {
                let (s, row) = Self.position(of: value, in: fpcStages)
                throw .invalidFPC(row: row, value: value, reason: "it must be a positive number (population count of sampling units, or a sampling fraction ≤ 1)\(s > 0 ? " (stage \(s + 1))" : "")")
            }
            // R `as.fpc`: counts when any value is > 1, and then every value must be ≥ 1.
            let asFractions = !all.contains { $0 > 1 }
            if !asFractions, let value = all.first(where: { $0 < 1 }) {
                let (_, row) = Self.position(of: value, in: fpcStages)
                throw .invalidFPC(row: row, value: value, reason: "some values are population counts (> 1) and this one a fraction (< 1); use one kind")
            }
            var w = [Double](repeating: 1, count: rowCount)
            let strataNames = strataLabels, rowStratum = stratum
            let first = try Self.population(fpcStages[0], group: rowStratum, sampled: perStratum, asFractions: asFractions,
                                            label: { "stratum \"\(strataNames[$0])\"" }) { h, a, b, row in
                .fpcVariesWithinStratum(stratum: strataNames[h], first: a, other: b, row: row)
            }
            (factor, fraction) = (first.factor, first.fraction)
            for row in 0..<rowCount { w[row] = first.N[Int(rowStratum[row])] / Double(perStratum[Int(rowStratum[row])]) }
            for (s, stage) in stages.enumerated() {
                let group = s == 0 ? clusterStages[0].codes : stages[s - 1].unit
                let labels = s == 0 ? clusterStages[0].labels : stages[s - 1].labels
                let later = try Self.population(fpcStages[s + 1], group: group, sampled: stage.sampled, asFractions: asFractions,
                                                label: { "cluster \"\(labels[$0])\"" }) { c, a, b, row in
                    .fpcVariesWithinCluster(stage: s + 2, cluster: labels[c], first: a, other: b, row: row)
                }
                stages[s].finiteFactor = later.factor
                stages[s].fraction = later.fraction
                for row in 0..<rowCount { w[row] *= later.N[Int(group[row])] / Double(stage.sampled[Int(group[row])]) }
            }
            fpcWeights = w
        }
        finiteFactor = factor
        samplingFraction = fraction
        laterStages = stages

        // Weights: given, from the fpc (Π_s N_s / n_s), or 1.
        if let weights {
            for (row, w) in weights.enumerated() where !(w > 0 && w.isFinite) { throw .invalidWeight(row: row, value: w) }
            self.weights = weights
        } else if let fpcWeights {
            self.weights = fpcWeights
        } else {
            self.weights = [Double](repeating: 1, count: rowCount)
        }
        layout = UnclusteredLayout.make(self)
    }

    /// Stage (0-based) and row of the first occurrence of `value` in the fpc columns.
    private static func position(of value: Double, in columns: [[Double]]) -> (stage: Int, row: Int) {
        for (s, column) in columns.enumerated() {
            if let row = column.firstIndex(where: { $0 == value || ($0.isNaN && value.isNaN) }) { return (s, row) }
        }
        return (0, 0)
    }

    /// One stage's fpc column read per group (a stratum, or a previous-stage unit) as R's `as.fpc`: N = the value
    /// for counts, n / value for fractions; constant within the group and ≥ n. Returns N, 1 − n/N = (N − n)/N and n/N.
    private static func population(_ fpc: [Double], group: [Int32], sampled: [Int], asFractions: Bool, label: (Int) -> String,
                                   varies: (Int, Double, Double, Int) -> DesignError) throws(DesignError)
        -> (N: [Double], factor: [Double], fraction: [Double]) {
        let count = sampled.count
        var seen = [Double](repeating: .nan, count: count)
        for row in 0..<fpc.count {
            let g = Int(group[row])
            if seen[g].isNaN {
                seen[g] = fpc[row]
            } else if seen[g] != fpc[row] {
                throw varies(g, seen[g], fpc[row], row)
            }
        }
        var N = [Double](repeating: .nan, count: count)
        var factor = [Double](repeating: 1, count: count), fraction = [Double](repeating: 0, count: count)
        for g in 0..<count where !seen[g].isNaN {
            let n = Double(sampled[g])
            let population = asFractions ? n / seen[g] : seen[g]
            if population < n {
                let row = group.firstIndex(of: Int32(g))!
                throw .invalidFPC(row: row, value: seen[g], reason: "\(label(g)) has \(sampled[g]) sampled units, more than this population count")
            }
            N[g] = population
            factor[g] = (population - n) / population
            fraction[g] = n / population
        }
        return (N, factor, fraction)
    }

    /// The same sampling design with calibrated final weights and the calibration step recorded, so that
    /// variances use the calibration residuals (R `postStratify` / `rake`).
    public func calibrated(weights newWeights: [Double], step: Calibration) -> SurveyDesign {
        var copy = self
        copy.calibrations.append(step)
        copy.weights = newWeights
        copy.layout = UnclusteredLayout.make(copy)
        return copy
    }

    /// Degrees of freedom of the design: number of PSUs minus number of strata (R `degf`).
    public var degreesOfFreedom: Int { psuCount - strataLabels.count }

    /// Degrees of freedom of a domain (R `degf(subset(design, ...))`): PSUs with at least one row in the
    /// domain, minus the strata those PSUs are in.
    public func degreesOfFreedom(in domain: (Int) -> Bool) -> Int {
        var psuSeen = [Bool](repeating: false, count: psuCount)
        var stratumSeen = [Bool](repeating: false, count: strataLabels.count)
        var psus = 0, strata = 0
        let psu = self.psu
        for row in 0..<rowCount where domain(row) {
            let c = Int(psu[row])
            if !psuSeen[c] { psuSeen[c] = true; psus += 1 }
            let h = Int(stratum[row])
            if !stratumSeen[h] { stratumSeen[h] = true; strata += 1 }
        }
        return psus - strata
    }

    /// A one-line description in R's terms, e.g. "stratified (5 strata), 400 PSUs, fpc; post-stratified".
    public var summary: String {
        var parts: [String] = []
        if laterStages.isEmpty {
            parts.append(hasClusters ? "one-stage cluster sample (\(psuCount) clusters)" : "\(rowCount) independent units")
        } else {
            let units = laterStages.enumerated().map { "\($0.element.unitCount) stage-\($0.offset + 2) units" }
            parts.append("\(clusterStages)-stage cluster sample (\(psuCount) clusters, \(units.joined(separator: ", ")))")
        }
        if hasStrata { parts.append("\(strataLabels.count) strata") }
        if hasFPC { parts.append("finite population correction") }
        for step in calibrations {
            switch step {
            case .postStratification(let m): parts.append("post-stratified (\(m.cellCount) cells)")
            case .raking(let ms): parts.append("raked (\(ms.count) margins)")
            }
        }
        parts.append("\(degreesOfFreedom) df")
        return parts.joined(separator: ", ")
    }
}
