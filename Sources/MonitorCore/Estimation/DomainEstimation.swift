/// The variable being estimated: a number per row (mean; a 0/1 variable gives a proportion), or a category
/// per row (the proportion in each category). Missing values (NaN, code −1) are outside the domain, as
/// R's `na.rm = TRUE`.
public enum Outcome: Sendable {
    case numeric([Double])
    case categorical(Grouping)

    public var rowCount: Int {
        switch self {
        case .numeric(let y): return y.count
        case .categorical(let g): return g.rowCount
        }
    }

    /// One estimate per level: the categories, or a single unnamed level for a number.
    public var levels: [String] {
        switch self {
        case .numeric: return [""]
        case .categorical(let g): return g.labels
        }
    }

    @inline(__always) public func isObserved(_ row: Int) -> Bool {
        switch self {
        case .numeric(let y): return !y[row].isNaN
        case .categorical(let g): return g.codes[row] >= 0
        }
    }

    /// The value entering level `level`'s mean: y, or 1{category = level}.
    @inline(__always) public func value(_ row: Int, level: Int) -> Double {
        switch self {
        case .numeric(let y): return y[row]
        case .categorical(let g): return g.codes[row] == Int32(level) ? 1 : 0
        }
    }

    /// Whether every estimate is a proportion (a category, or a number that is only ever 0 or 1).
    public var isProportion: Bool {
        switch self {
        case .numeric(let y): return y.allSatisfy { $0.isNaN || $0 == 0 || $0 == 1 }
        case .categorical: return true
        }
    }
}

/// Means (or proportions) of every level of an outcome in every domain of a partition, with their joint
/// covariance: R survey's `svyby(~y, ~domain, design, svymean, na.rm = TRUE, covmat = TRUE)`.
public struct DomainMeans: Sendable {
    public var levels: [String]
    public var domains: [String]
    /// Estimate of level l in domain d at index l · D + d.
    public var estimates: [Double]
    /// Covariance (L·D × L·D, row-major, same indexing).
    public var covariance: [Double]
    /// Respondents in each domain with an observed outcome (the base, unweighted).
    public var n: [Int]
    /// Respondents in each (level, domain) with that category (for a number: the base).
    public var cellCounts: [Int]
    /// Σw and Σw² over each domain's base.
    public var weightSums: [Double]
    public var weightSquares: [Double]
    /// For a number: each domain's shift c_d and its mean relative to it, ȳ_d − c_d, as computed (the estimate
    /// is their sum). Empty for categories.
    public var shifts: [Double] = []
    public var centred: [Double] = []

    /// ȳ_a − ȳ_b as (c_a − c_b) + ((ȳ_a − c_a) − (ȳ_b − c_b)): two data values differ exactly, so the
    /// difference keeps its digits when the means carry a large offset (10⁸ + 0.009 − 10⁸ has 8 fewer).
    public func difference(level: Int, domain a: Int, domain b: Int) -> Double {
        guard !shifts.isEmpty else { return estimate(level: level, domain: a) - estimate(level: level, domain: b) }
        return (shifts[a] - shifts[b]) + (centred[index(level: level, domain: a)] - centred[index(level: level, domain: b)])
    }

    public var width: Int { levels.count * domains.count }
    @inline(__always) public func index(level: Int, domain: Int) -> Int { level * domains.count + domain }
    public func estimate(level: Int, domain: Int) -> Double { estimates[index(level: level, domain: domain)] }
    public func variance(level: Int, domain: Int) -> Double {
        let i = index(level: level, domain: domain)
        return covariance[i * width + i]
    }
    public func standardError(level: Int, domain: Int) -> Double { variance(level: level, domain: domain).squareRoot() }
    public func covariance(_ a: (level: Int, domain: Int), _ b: (level: Int, domain: Int)) -> Double {
        covariance[index(level: a.level, domain: a.domain) * width + index(level: b.level, domain: b.domain)]
    }
    /// Kish's effective sample size of a domain's base: (Σw)² / Σw².
    public func effectiveN(domain: Int) -> Double {
        weightSquares[domain] > 0 ? weightSums[domain] * weightSums[domain] / weightSquares[domain] : 0
    }
}

extension SurveyDesign {
    /// Domain means of `outcome` for the domains of `domains` (rows with code −1 are in no domain; nil: the
    /// whole sample is one domain).
    ///
    /// ȳ_d = Σ_{i∈d} w_i y_i / Σ_{i∈d} w_i over rows with y observed (a ratio estimator), with influence
    /// values z_i = w_i 1{i∈d} (y_i − ȳ_d) / N̂_d, N̂_d = Σ_{i∈d} w_i (Lumley 2010 §2.3.1, Woodruff 1971).
    /// Rows outside the domain keep their place in the design with z_i = 0, so strata, clusters and
    /// post-strata are those of the full sample (domain estimation, not a subset of rows).
    public func means(_ outcome: Outcome, domains: Grouping? = nil) throws(DesignError) -> DomainMeans {
        precondition(outcome.rowCount == rowCount)
        if let sums = domainSums(outcome, domains: domains) { return try means(from: sums) }
        return try meansByInfluence(outcome, domains: domains)
    }

    /// `means(_:domains:)` through the n × k influence matrix and `covariance(_:)`: the general path, for
    /// every design (the fast path, `DomainSums`, is checked against it).
    func meansByInfluence(_ outcome: Outcome, domains: Grouping? = nil) throws(DesignError) -> DomainMeans {
        let levels = outcome.levels
        let L = levels.count
        let D = domains?.count ?? 1
        let domainCodes = domains?.codes
        @inline(__always) func domain(_ i: Int) -> Int { domainCodes.map { Int($0[i]) } ?? 0 }

        var n = [Int](repeating: 0, count: D)
        var sw = [Double](repeating: 0, count: D), sw2 = [Double](repeating: 0, count: D)
        var numerators = [Double](repeating: 0, count: L * D)
        var cellCounts = [Int](repeating: 0, count: L * D)
        // A number is summed relative to its domain's first value c_d (as `DomainSums`), so that y − ȳ_d
        // keeps its digits when y has a large offset and is exactly 0 in a domain of equal values.
        var shift = [Double](repeating: .nan, count: D)
        for i in 0..<rowCount where outcome.isObserved(i) {
            let d = domain(i)
            if d < 0 { continue }
            let w = weights[i]
            n[d] += 1
            sw[d] += w
            sw2[d] += w * w
            switch outcome {
            case .numeric(let y):
                if shift[d].isNaN { shift[d] = y[i] }
                numerators[d] += w * (y[i] - shift[d])
                cellCounts[d] += 1
            case .categorical(let g):
                let l = Int(g.codes[i])
                numerators[l * D + d] += w
                cellCounts[l * D + d] += 1
            }
        }
        // Relative to the shift (categories: none) while the influence values are formed.
        let numeric: Bool
        if case .numeric = outcome { numeric = true } else { numeric = false }
        let offset = shift.map { numeric && !$0.isNaN ? $0 : 0 }
        var estimates = [Double](repeating: .nan, count: L * D)
        for l in 0..<L { for d in 0..<D where sw[d] > 0 { estimates[l * D + d] = numerators[l * D + d] / sw[d] } }

        var influence = InfluenceMatrix(rows: rowCount, columns: L * D)
        influence.values.withUnsafeMutableBufferPointer { zb in
            for i in 0..<rowCount where outcome.isObserved(i) {
                let d = domain(i)
                if d < 0 || sw[d] <= 0 { continue }
                let scale = weights[i] / sw[d]
                for l in 0..<L {
                    let column = l * D + d
                    zb[column * rowCount + i] = scale * ((outcome.value(i, level: l) - offset[d]) - estimates[column])
                }
            }
        }
        let centred = estimates
        for d in 0..<D where sw[d] > 0 { estimates[d] += offset[d] }
        let covariance = try covariance(influence)
        var means = DomainMeans(levels: levels, domains: domains?.labels ?? [""], estimates: estimates, covariance: covariance,
                                n: n, cellCounts: cellCounts, weightSums: sw, weightSquares: sw2)
        if numeric { means.shifts = offset; means.centred = centred }
        return means
    }

    /// Population total Σ w_i y_i of a number (missing values count as 0, as `na.rm = TRUE`) with its
    /// standard error; influence values z_i = w_i y_i (R `svytotal`).
    public func total(_ y: [Double]) throws(DesignError) -> (estimate: Double, standardError: Double) {
        var influence = InfluenceMatrix(rows: rowCount, columns: 1)
        var sum = 0.0
        for i in 0..<rowCount where !y[i].isNaN {
            influence.values[i] = weights[i] * y[i]
            sum += weights[i] * y[i]
        }
        let v = try covariance(influence)
        return (sum, v[0].squareRoot())
    }

    /// R's `nrow()` of the design `svyciprop` receives for a domain: a subset of an uncalibrated design
    /// drops the other rows, a subset of a calibrated one keeps them with weight zero.
    public func designRows(in domainRows: Int) -> Int { calibrations.isEmpty ? domainRows : rowCount }
}
