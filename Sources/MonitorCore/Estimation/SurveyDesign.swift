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
            return "stratum \"\(stratum)\" has only one primary sampling unit, so its variance cannot be estimated; merge it with a neighbouring stratum or choose a lonely-PSU rule (certainty, remove, adjust)"
        case .lengthMismatch(let variable, let count, let rows):
            return "\(variable) has \(count) values for \(rows) rows"
        }
    }
}

/// A complex sampling design: weights, strata, one-stage clusters, finite population correction,
/// and the calibration steps (post-stratification, raking) that produced the final weights.
///
/// Declared as R survey's `svydesign(ids = ~cluster, strata = ~stratum, weights = ~w, fpc = ~N)`, optionally
/// followed by `postStratify()` or `rake()` (Lumley 2010, ch. 2-3, 7). Variances are by Taylor linearization
/// (`Linearization.swift`), with every stratum's primary sampling units (PSUs) treated as sampled with
/// replacement unless a finite population correction is given.
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
    public private(set) var calibrations: [Calibration]
    /// The sums-based fast path's layout (nil when the design has clusters or several calibration steps).
    private(set) var layout: UnclusteredLayout?
    public var lonelyPSU: LonelyPSU
    public let hasStrata: Bool
    public let hasClusters: Bool
    public let hasFPC: Bool

    /// Declares a design as `svydesign` does.
    ///
    /// - Parameters:
    ///   - weights: sampling weights; without them weights are N_h / n_h from `fpc`, or 1.
    ///   - strata: stratum of every row (no −1 codes).
    ///   - clusters: PSU of every row (one stage); clusters must be nested in strata.
    ///   - fpc: per row, the population count of PSUs in its stratum (N_h), or the sampling fraction
    ///     n_h / N_h when every value is ≤ 1 (as R reads `fpc`). Constant within a stratum.
    public init(rowCount: Int, weights: [Double]? = nil, strata: Grouping? = nil, clusters: Grouping? = nil,
                fpc: [Double]? = nil, lonelyPSU: LonelyPSU = .fail) throws(DesignError) {
        self.rowCount = rowCount
        self.lonelyPSU = lonelyPSU
        calibrations = []
        hasStrata = strata != nil
        hasClusters = clusters != nil
        hasFPC = fpc != nil
        for (name, count) in [("weights", weights?.count), ("strata", strata?.rowCount), ("clusters", clusters?.rowCount), ("fpc", fpc?.count)] {
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
        if let clusters {
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

        // Finite population correction: N_h per stratum, checked to be constant and ≥ n_h.
        var factor = [Double](repeating: 1, count: strataCount)
        var populationPSUs = [Double](repeating: .nan, count: strataCount)
        if let fpc {
            for (row, value) in fpc.enumerated() where !(value > 0 && value.isFinite) {
                throw .invalidFPC(row: row, value: value, reason: "it must be a positive number (population count of sampling units, or a sampling fraction ≤ 1)")
            }
            let asFractions = fpc.allSatisfy { $0 <= 1 }
            if !asFractions, let row = fpc.firstIndex(where: { $0 <= 1 }) {
                throw .invalidFPC(row: row, value: fpc[row], reason: "some values are population counts (> 1) and this one a fraction (≤ 1); use one kind")
            }
            var seen = [Double](repeating: .nan, count: strataCount)
            for row in 0..<rowCount {
                let h = Int(stratum[row])
                if seen[h].isNaN {
                    seen[h] = fpc[row]
                } else if seen[h] != fpc[row] {
                    throw .fpcVariesWithinStratum(stratum: strataLabels[h], first: seen[h], other: fpc[row], row: row)
                }
            }
            for h in 0..<strataCount where !seen[h].isNaN {
                let n = Double(perStratum[h])
                let N = asFractions ? n / seen[h] : seen[h]
                if N < n {
                    let row = stratum.firstIndex(of: Int32(h))!
                    throw .invalidFPC(row: row, value: seen[h], reason: "stratum \"\(strataLabels[h])\" has \(perStratum[h]) sampled units, more than this population count")
                }
                populationPSUs[h] = N
                factor[h] = (N - n) / N
            }
        }
        finiteFactor = factor

        // Weights: given, from the fpc (N_h / n_h), or 1.
        if let weights {
            for (row, w) in weights.enumerated() where !(w > 0 && w.isFinite) { throw .invalidWeight(row: row, value: w) }
            self.weights = weights
        } else if fpc != nil {
            self.weights = stratum.map { populationPSUs[Int($0)] / Double(perStratum[Int($0)]) }
        } else {
            self.weights = [Double](repeating: 1, count: rowCount)
        }
        layout = UnclusteredLayout.make(self)
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
        parts.append(hasClusters ? "one-stage cluster sample (\(psuCount) clusters)" : "\(rowCount) independent units")
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
