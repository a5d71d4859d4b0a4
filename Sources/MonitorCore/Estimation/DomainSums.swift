/// The fast path of domain estimation for designs without clusters: every row its own PSU, optionally
/// stratified, with a finite population correction, and at most one post-stratification step. That is the
/// Monitor's own design (independent respondents post-stratified by bestuurslaag × functie) and R survey's
/// `postStratify(svydesign(ids = ~1, strata = ~h, weights = ~w, fpc = ~N), ~cell, pop)`.
///
/// For such a design the linearization covariance of domain means depends on the rows only through a few
/// sums per (stratum × post-stratum, domain, level), so one pass over the rows replaces the n × k influence
/// matrix of `covariance(_:)`. With u = (stratum s, post-stratum h), domain d, level l, final weight w and
/// post-stratification weight g:
///
///     A = Σ w·y_l,  C = Σ w²·y_l,  E = Σ w·g·y_l   (per u, d, l; y_l = 1{category l}, or y for a number)
///     B = Σ w,      C₀ = Σ w²,     E₀ = Σ w·g      (per u, d)
///     G_u = Σ g,    Q_u = Σ g²   over all rows of u;   G_h = Σ_{u ∈ h} G_u
///
/// The influence value of estimate a = (l, d) is z_ia = w_i 1{i∈d}(y_il − p_a)/S_d (S_d = Σ_d B), so with
/// m_ha = Σ_{i∈h} z_ia / G_h the post-stratification residuals r_i = z_i − g_i m_h (`covariance(_:)`, step 1)
/// have per u:
///
///     Σ_u r_a      = (A − p_a B)/S_d − m_ha G_u
///     Σ_u r_a r_b  = Z_ab − m_hb (E_a − p_a E₀)/S_d − m_ha (E_b − p_b E₀)/S_d + m_ha m_hb Q_u,
///     Z_ab = [δ_ll' C_l − p_b C_l − p_a C_l' + p_a p_b C₀]/S_d²  (same domain; 0 otherwise)
///
/// and V = Σ_s (1 − f_s) n_s/(n_s − 1) · [Σ_{u∈s} Σ_u r rᵀ − (Σ_{u∈s} Σ_u r)(Σ_{u∈s} Σ_u r)ᵀ / n_s], which is
/// `covariance(_:)`'s step 3 with every row a PSU (Σ_c (t_c − t̄)(t_c − t̄)ᵀ = Σ t tᵀ − n t̄ t̄ᵀ). A test checks both
/// paths give the same covariance on random designs; the R expectations test both through this one.
struct UnclusteredLayout: Sendable {
    /// u of each row: stratum · (H + 1) + post-stratum, with H for rows outside every post-stratum (and
    /// for every row of an uncalibrated design).
    var unit: [Int32]
    var unitCount: Int
    var cellsPerStratum: Int
    /// Post-stratum of each u (−1: not adjusted) and its stratum.
    var cellOfUnit: [Int]
    var stratumOfUnit: [Int]
    /// Weights right after the post-stratification, for rows in a post-stratum; empty when they are the
    /// final weights (or there is no post-stratification: the terms that use g are then zero), to save n doubles.
    var g: [Double]
    /// G_u, Q_u per u; G_h per post-stratum.
    var unitG: [Double]
    var unitQ: [Double]
    var cellG: [Double]
    var cellCount: Int
    /// For a raked design: u is the stratum and the cell of every margin.
    var raking: RakingLayout?

    /// Raking (R `rake`): `covariance(_:)` removes cell means of z/g over ten sweeps of the margins, with g^(m)
    /// the weights after margin m's adjustment. When every g^(m) is the same for all rows of a unit u (equal base
    /// weights make raked weights a product of cell factors, so this is the usual case), a sweep moves each row of
    /// u by the same amount, so the sweeps run on per-unit totals: with Z_u = Σ_u z and n_h the rows of cell h,
    /// m_h = Σ_{u∈h} (Z_u / g_u^(m)) / n_h, Z_u ← Z_u − n_u g_u^(m) m_h, κ_u ← κ_u + g_u^(m) m_h; the residuals are
    /// r_i = z_i − κ_u, so Σ_u r_a r_b = Σ_u z_a z_b − κ_b Z_a − κ_a Z_b + n_u κ_a κ_b and Σ_u r = Z_u − n_u κ_u.
    struct RakingLayout: Sendable {
        var margins: Int
        /// Rows per unit; g^(m) and margin m's cell (−1: none) per unit at u · margins + m.
        var rows: [Int]
        var g: [Double]
        var cell: [Int]
        /// Rows in each margin's cells (with a cell code), per margin.
        var cellRows: [[Int]]
    }

    static func make(_ design: SurveyDesign) -> UnclusteredLayout? {
        if design.hasClusters || design.calibrations.count > 1 { return nil }
        var margin: SurveyDesign.CalibrationMargin?
        if let step = design.calibrations.first {
            switch step {
            case .postStratification(let m): margin = m
            case .raking(let ms): return makeRaked(design, margins: ms)
            }
        }
        let n = design.rowCount
        let H = margin?.cellCount ?? 0
        let S = design.strataLabels.count
        let width = H + 1
        var unit = [Int32](repeating: 0, count: n)
        var g = [Double](repeating: 0, count: n)
        var unitG = [Double](repeating: 0, count: S * width), unitQ = unitG
        var cellG = [Double](repeating: 0, count: H)
        for i in 0..<n {
            let s = Int(design.stratum[i])
            var h = H
            if let margin, margin.cells[i] >= 0 {
                h = Int(margin.cells[i])
                g[i] = margin.weights[i]
                cellG[h] += g[i]
            }
            let u = s * width + h
            unit[i] = Int32(u)
            unitG[u] += g[i]
            unitQ[u] += g[i] * g[i]
        }
        let cellOfUnit = (0..<(S * width)).map { u -> Int in
            let h = u % width
            return h == H || !(cellG[h] > 0) ? -1 : h
        }
        if margin == nil || margin!.weights == design.weights { g = [] }
        return UnclusteredLayout(unit: unit, unitCount: S * width, cellsPerStratum: width, cellOfUnit: cellOfUnit,
                                 stratumOfUnit: (0..<(S * width)).map { $0 / width }, g: g, unitG: unitG, unitQ: unitQ,
                                 cellG: cellG, cellCount: H)
    }

    /// The layout of a raked design, or nil when some g^(m) varies within a unit (then the general path).
    static func makeRaked(_ design: SurveyDesign, margins: [SurveyDesign.CalibrationMargin]) -> UnclusteredLayout? {
        let n = design.rowCount, M = margins.count, S = design.strataLabels.count
        // The joint cells of the margins (and strata) must stay few; many large margins take the general path
        // (their product may not even fit an Int).
        var width = 1
        for m in margins {
            let (product, overflow) = width.multipliedReportingOverflow(by: m.cellCount + 1)
            if overflow || product > 1 << 16 { return nil }
            width = product
        }
        guard M > 0, S * width <= 1 << 16 else { return nil }
        let U = S * width
        var unit = [Int32](repeating: 0, count: n)
        var rows = [Int](repeating: 0, count: U)
        var g = [Double](repeating: .nan, count: U * M)
        var cell = [Int](repeating: -1, count: U * M)
        var cellRows = margins.map { [Int](repeating: 0, count: $0.cellCount) }
        for i in 0..<n {
            var u = Int(design.stratum[i])
            for m in margins { u = u * (m.cellCount + 1) + (m.cells[i] >= 0 ? Int(m.cells[i]) : m.cellCount) }
            unit[i] = Int32(u)
            rows[u] += 1
            for (k, m) in margins.enumerated() {
                let c = Int(m.cells[i])
                if c < 0 { continue }
                cellRows[k][c] += 1
                cell[u * M + k] = c
                let value = m.weights[i]
                if g[u * M + k].isNaN { g[u * M + k] = value } else if g[u * M + k] != value { return nil }
            }
        }
        return UnclusteredLayout(unit: unit, unitCount: U, cellsPerStratum: width, cellOfUnit: [Int](repeating: -1, count: U),
                                 stratumOfUnit: (0..<U).map { $0 / width }, g: [], unitG: [Double](repeating: 0, count: U),
                                 unitQ: [Double](repeating: 0, count: U), cellG: [], cellCount: 0,
                                 raking: RakingLayout(margins: M, rows: rows, g: g, cell: cell, cellRows: cellRows))
    }
}

/// The sums of `UnclusteredLayout`'s formula for one outcome over one partition into domains.
///
/// For a number the sums are of y − c_d, with c_d the first observed value of domain d (`shift`), not of y:
/// every formula of `UnclusteredLayout` depends on y only through y − p_d, so the shift changes no result
/// in exact arithmetic, while in floating point it keeps Σw²(y − c)² − 2p′Σw²(y − c) + p′²Σw² from
/// cancelling when y has a large offset (x + 10⁸: the shifted-data algorithm, Chan, Golub & LeVeque 1983
/// §3). A domain whose values are all equal (one respondent) gets sums of exactly 0, so its variance is
/// exactly 0, as R's.
struct DomainSums: Sendable {
    var levels: [String]
    var domains: [String]
    var numeric: Bool
    /// c_d per domain: what the sums of a number are taken relative to (0 for categories).
    var shift: [Double] = []
    var L: Int { levels.count }
    var D: Int { domains.count }
    /// Per (u, d, l) at ((u · D) + d) · L + l.
    var A: [Double], C: [Double], E: [Double]
    /// Per (u, d) at u · D + d; Y2 = Σ w²y² for a number.
    var B: [Double], C0: [Double], E0: [Double], Y2: [Double]
    /// Rows with an observed outcome per (u, d), and per (d, l) with the category (for a number: the base).
    var rows: [Int]
    var cellCounts: [Int]
    /// Rows of each domain per stratum, observed outcome or not (at s · D + d), for the domains' sizes and
    /// degrees of freedom.
    var members: [Int] = []
    /// Every observed value of a number is 0 or 1 (`Outcome.isProportion`).
    var binary = true

    /// Rows of each domain (`Grouping.counts`).
    var domainSizes: [Int] {
        var n = [Int](repeating: 0, count: D)
        for (k, m) in members.enumerated() { n[k % D] += m }
        return n
    }

    /// Degrees of freedom of each domain (`SurveyDesign.degreesOfFreedom(domains:)`).
    var domainDegreesOfFreedom: [Int] {
        var units = [Int](repeating: 0, count: D), strata = [Int](repeating: 0, count: D)
        for (k, m) in members.enumerated() where m > 0 { units[k % D] += m; strata[k % D] += 1 }
        return (0..<D).map { units[$0] - strata[$0] }
    }

    /// c_d of domain d (0 when the domain has no observed value).
    @inline(__always) func shift(_ d: Int) -> Double { d < shift.count ? shift[d] : 0 }

    /// Domains merged: new domain of each old one (−1: dropped).
    func merged(_ map: [Int], labels: [String]) -> DomainSums {
        let U = rows.count / max(D, 1), D2 = labels.count
        var out = DomainSums(levels: levels, domains: labels, numeric: numeric,
                             A: .init(repeating: 0, count: U * D2 * L), C: .init(repeating: 0, count: U * D2 * L),
                             E: .init(repeating: 0, count: U * D2 * L), B: .init(repeating: 0, count: U * D2),
                             C0: .init(repeating: 0, count: U * D2), E0: .init(repeating: 0, count: U * D2),
                             Y2: .init(repeating: 0, count: U * D2), rows: .init(repeating: 0, count: U * D2),
                             cellCounts: .init(repeating: 0, count: L * D2))
        // A merged domain keeps the shift of its first part; the others' sums move to it by δ = c_old − c_new:
        // y − c_new = (y − c_old) + δ, so A += δB, C += δC₀, E += δE₀, Y2 += 2δC + δ²C₀ (δ is of the order
        // of the data's spread, so nothing cancels).
        out.binary = binary
        out.shift = [Double](repeating: 0, count: D2)
        var shiftSet = [Bool](repeating: false, count: D2)
        for d in 0..<D where map[d] >= 0 && !shiftSet[map[d]] { out.shift[map[d]] = shift(d); shiftSet[map[d]] = true }
        for u in 0..<U {
            for d in 0..<D where map[d] >= 0 {
                let from = u * D + d, to = u * D2 + map[d]
                let delta = shift(d) - out.shift[map[d]]
                out.B[to] += B[from]; out.C0[to] += C0[from]; out.E0[to] += E0[from]
                out.Y2[to] += Y2[from] + (delta == 0 ? 0 : 2 * delta * C[from * L] + delta * delta * C0[from])
                out.rows[to] += rows[from]
                for l in 0..<L {
                    out.A[to * L + l] += A[from * L + l] + delta * B[from]
                    out.C[to * L + l] += C[from * L + l] + delta * C0[from]
                    out.E[to * L + l] += E[from * L + l] + delta * E0[from]
                }
            }
        }
        for d in 0..<D where map[d] >= 0 {
            for l in 0..<L { out.cellCounts[l * D2 + map[d]] += cellCounts[l * D + d] }
        }
        return out
    }
}

extension SurveyDesign {
    /// One pass over the rows: the sums of `UnclusteredLayout`'s formula (nil when the design needs the
    /// general path).
    func domainSums(_ outcome: Outcome, domains: Grouping?) -> DomainSums? {
        guard let layout else { return nil }
        let levels = outcome.levels
        let L = levels.count, D = domains?.count ?? 1, U = layout.unitCount
        var s = DomainSums(levels: levels, domains: domains?.labels ?? [""], numeric: false,
                           A: .init(repeating: 0, count: U * D * L), C: .init(repeating: 0, count: U * D * L),
                           E: .init(repeating: 0, count: U * D * L), B: .init(repeating: 0, count: U * D),
                           C0: .init(repeating: 0, count: U * D), E0: .init(repeating: 0, count: U * D),
                           Y2: .init(repeating: 0, count: U * D), rows: .init(repeating: 0, count: U * D),
                           cellCounts: .init(repeating: 0, count: L * D))
        let n = rowCount
        let S = strataLabels.count
        s.members = [Int](repeating: 0, count: S * D)
        var binary = true
        weights.withUnsafeBufferPointer { w in
        stratum.withUnsafeBufferPointer { stratum in
        s.members.withUnsafeMutableBufferPointer { members in
        (layout.g.isEmpty ? weights : layout.g).withUnsafeBufferPointer { g in
        layout.unit.withUnsafeBufferPointer { unit in
        s.A.withUnsafeMutableBufferPointer { A in
        s.C.withUnsafeMutableBufferPointer { C in
        s.E.withUnsafeMutableBufferPointer { E in
        s.B.withUnsafeMutableBufferPointer { B in
        s.C0.withUnsafeMutableBufferPointer { C0 in
        s.E0.withUnsafeMutableBufferPointer { E0 in
        s.rows.withUnsafeMutableBufferPointer { rows in
        s.cellCounts.withUnsafeMutableBufferPointer { counts in
            @inline(__always) func add(_ i: Int, _ d: Int) -> Int {
                let ud = Int(unit[i]) &* D &+ d
                let wi = w[i]
                B[ud] += wi; C0[ud] += wi * wi; E0[ud] += wi * g[i]; rows[ud] &+= 1
                return ud
            }
            switch outcome {
            case .categorical(let y):
                y.codes.withUnsafeBufferPointer { y in
                    if let domains {
                        domains.codes.withUnsafeBufferPointer { dc in
                            for i in 0..<n {
                                let d = Int(dc[i])
                                if d < 0 { continue }
                                members[Int(stratum[i]) &* D &+ d] &+= 1
                                let l = Int(y[i])
                                if l < 0 { continue }
                                let k = add(i, d) &* L &+ l
                                let wi = w[i]
                                A[k] += wi; C[k] += wi * wi; E[k] += wi * g[i]
                                counts[l &* D &+ d] &+= 1
                            }
                        }
                    } else {
                        for i in 0..<n {
                            members[Int(stratum[i])] &+= 1
                            let l = Int(y[i])
                            if l < 0 { continue }
                            let k = add(i, 0) &* L &+ l
                            let wi = w[i]
                            A[k] += wi; C[k] += wi * wi; E[k] += wi * g[i]
                            counts[l] &+= 1
                        }
                    }
                }
            case .numeric(let y):
                s.numeric = true
                s.shift = [Double](repeating: .nan, count: D)
                s.shift.withUnsafeMutableBufferPointer { shift in
                s.Y2.withUnsafeMutableBufferPointer { Y2 in
                    y.withUnsafeBufferPointer { y in
                        for i in 0..<n {
                            let d = domains.map { Int($0.codes[i]) } ?? 0
                            let v = y[i]
                            if !v.isNaN && v != 0 && v != 1 { binary = false }
                            if d < 0 { continue }
                            members[Int(stratum[i]) &* D &+ d] &+= 1
                            if v.isNaN { continue }
                            if shift[d].isNaN { shift[d] = v }
                            let x = v - shift[d]
                            let k = add(i, d)
                            let wi = w[i]
                            A[k] += wi * x; C[k] += wi * wi * x; E[k] += wi * g[i] * x; Y2[k] += wi * wi * x * x
                            counts[d] &+= 1
                        }
                    }
                }
                }
                for d in 0..<D where s.shift[d].isNaN { s.shift[d] = 0 }
            }
        }}}}}}}}}}}}}
        s.binary = binary
        return s
    }

    /// Domain means and their covariance from the sums (the formula of `UnclusteredLayout`).
    func means(from s: DomainSums) throws(DesignError) -> DomainMeans {
        let layout = layout!
        let L = s.L, D = s.D, K = L * D, U = layout.unitCount
        var n = [Int](repeating: 0, count: D)
        var sw = [Double](repeating: 0, count: D), sw2 = [Double](repeating: 0, count: D)
        var numerators = [Double](repeating: 0, count: K)
        for u in 0..<U {
            for d in 0..<D {
                let ud = u * D + d
                n[d] += s.rows[ud]; sw[d] += s.B[ud]; sw2[d] += s.C0[ud]
                for l in 0..<L { numerators[l * D + d] += s.A[ud * L + l] }
            }
        }
        // Estimates indexed a = l · D + d, as DomainMeans.
        var p = [Double](repeating: .nan, count: K)
        for l in 0..<L { for d in 0..<D where sw[d] > 0 { p[l * D + d] = numerators[l * D + d] / sw[d] } }
        @inline(__always) func active(_ d: Int) -> Bool { sw[d] > 0 }

        // Per u: Σ_u z_a and Σ_u g z_a; per post-stratum: m_h.
        var sz = [Double](repeating: 0, count: U * K), sgz = sz
        for u in 0..<U {
            for d in 0..<D where active(d) {
                let ud = u * D + d
                if s.rows[ud] == 0 { continue }
                for l in 0..<L {
                    let a = l * D + d
                    sz[u * K + a] = (s.A[ud * L + l] - p[a] * s.B[ud]) / sw[d]
                    sgz[u * K + a] = (s.E[ud * L + l] - p[a] * s.E0[ud]) / sw[d]
                }
            }
        }
        var m = [Double](repeating: 0, count: max(layout.cellCount, 1) * K)
        for u in 0..<U where layout.cellOfUnit[u] >= 0 {
            let h = layout.cellOfUnit[u]
            for a in 0..<K { m[h * K + a] += sz[u * K + a] }
        }
        for h in 0..<layout.cellCount where layout.cellG[h] > 0 {
            for a in 0..<K { m[h * K + a] /= layout.cellG[h] }
        }

        // Raking: the ten sweeps on unit totals give each unit's shift κ_u.
        var kappa: [Double] = []
        if let rake = layout.raking {
            let M = rake.margins
            kappa = [Double](repeating: 0, count: U * K)
            var z = sz
            for _ in 0..<10 {
                for k in 0..<M {
                    let H = rake.cellRows[k].count
                    var mean = [Double](repeating: 0, count: H * K)
                    for u in 0..<U where rake.cell[u * M + k] >= 0 && rake.rows[u] > 0 {
                        let h = rake.cell[u * M + k], gu = rake.g[u * M + k]
                        for a in 0..<K { mean[h * K + a] += z[u * K + a] / gu }
                    }
                    for h in 0..<H where rake.cellRows[k][h] > 0 {
                        for a in 0..<K { mean[h * K + a] /= Double(rake.cellRows[k][h]) }
                    }
                    for u in 0..<U where rake.cell[u * M + k] >= 0 && rake.rows[u] > 0 {
                        let h = rake.cell[u * M + k], gu = rake.g[u * M + k], nu = Double(rake.rows[u])
                        for a in 0..<K {
                            let shift = gu * mean[h * K + a]
                            z[u * K + a] -= nu * shift
                            kappa[u * K + a] += shift
                        }
                    }
                }
            }
        }

        // Per stratum: P = Σ r rᵀ and R = Σ r, then the scaled, centred contribution.
        let strata = strataLabels.count
        var v = [Double](repeating: 0, count: K * K)
        var P = [Double](repeating: 0, count: K * K), R = [Double](repeating: 0, count: K)
        var mh = [Double](repeating: 0, count: K)
        var present = 0, missing = 0  // strata, and strata without a contribution (`.average`)
        for st in 0..<strata {
            let nh = psuPerStratum[st], f = finiteFactor[st]
            if nh > 0 { present += 1 }
            if nh == 0 || f < 1e-7 { continue }
            var scale: Double, centred = true
            if nh > 1 {
                scale = f * Double(nh) / Double(nh - 1)
            } else {
                switch lonelyPSU {
                case .fail: throw .lonelyPSU(stratum: strataLabels[st])
                case .certainty, .remove: continue
                case .adjust: scale = f; centred = false
                case .average: missing += 1; continue
                }
            }
            for i in P.indices { P[i] = 0 }
            for i in R.indices { R[i] = 0 }
            for u in (st * layout.cellsPerStratum)..<((st + 1) * layout.cellsPerStratum) {
                let h = layout.cellOfUnit[u]
                for a in 0..<K { mh[a] = h >= 0 ? m[h * K + a] : 0 }
                let Gu = layout.unitG[u], Qu = layout.unitQ[u]
                if let rake = layout.raking {
                    let nu = Double(rake.rows[u])
                    if nu == 0 { continue }
                    for a in 0..<K {
                        let ka = kappa[u * K + a], za = sz[u * K + a]
                        R[a] += za - nu * ka
                        for b in a..<K { P[a * K + b] += -kappa[u * K + b] * za - ka * sz[u * K + b] + nu * ka * kappa[u * K + b] }
                    }
                } else {
                    for a in 0..<K { R[a] += sz[u * K + a] - mh[a] * Gu }
                }
                // Same-domain products Z_ab.
                for d in 0..<D where active(d) {
                    let ud = u * D + d
                    if s.rows[ud] == 0 { continue }
                    let s2 = sw[d] * sw[d]
                    for l in 0..<L {
                        let a = l * D + d
                        for l2 in l..<L {
                            let b = l2 * D + d
                            var zz: Double
                            if s.numeric {
                                zz = s.Y2[ud] - 2 * p[a] * s.C[ud] + p[a] * p[a] * s.C0[ud]
                            } else {
                                zz = (l == l2 ? s.C[ud * L + l] : 0) - p[b] * s.C[ud * L + l] - p[a] * s.C[ud * L + l2]
                                    + p[a] * p[b] * s.C0[ud]
                            }
                            P[a * K + b] += zz / s2
                        }
                    }
                }
                // Post-stratification terms.
                if h >= 0 {
                    for a in 0..<K {
                        let ga = sgz[u * K + a], ma = mh[a]
                        for b in a..<K {
                            P[a * K + b] += -mh[b] * ga - ma * sgz[u * K + b] + ma * mh[b] * Qu
                        }
                    }
                }
            }
            for a in 0..<K {
                for b in a..<K {
                    var x = P[a * K + b]
                    if centred { x -= R[a] * R[b] / Double(nh) }
                    v[a * K + b] += scale * x
                }
            }
        }
        // Lonely strata averaged: R onestage's nstrat / nokstrat (`covariance(_:)`, step 3).
        if missing > 0 { for i in v.indices { v[i] = v[i] * Double(present) / Double(present - missing) } }
        // Inactive domains: their estimates are NaN and their covariance entries 0, as the general path.
        for a in 0..<K { for b in 0..<a { v[a * K + b] = v[b * K + a] } }
        // p above is relative to the domain's shift (the sums are of y − c_d); the estimate is c_d + p.
        let centred = p
        if s.numeric { for d in 0..<D where active(d) { p[d] += s.shift(d) } }
        var means = DomainMeans(levels: s.levels, domains: s.domains, estimates: p, covariance: v, n: n,
                                cellCounts: s.cellCounts, weightSums: sw, weightSquares: sw2)
        if s.numeric { means.shifts = (0..<D).map { s.shift($0) }; means.centred = centred }
        return means
    }

    /// Degrees of freedom of each domain of a partition (`degreesOfFreedom(in:)` for every domain at once):
    /// PSUs with a row in the domain minus the strata they are in.
    public func degreesOfFreedom(domains: Grouping) -> [Int] {
        let D = domains.count
        if hasClusters {
            return (0..<D).map { d in degreesOfFreedom { domains.codes[$0] == Int32(d) } }
        }
        let S = strataLabels.count
        var rows = [Int](repeating: 0, count: D * S)
        for i in 0..<rowCount {
            let d = Int(domains.codes[i])
            if d >= 0 { rows[d * S + Int(stratum[i])] += 1 }
        }
        return (0..<D).map { d in
            var units = 0, strata = 0
            for h in 0..<S where rows[d * S + h] > 0 { units += rows[d * S + h]; strata += 1 }
            return units - strata
        }
    }

    /// Degrees of freedom of the rows counted in `sums` with domain in `domains` (fast path of
    /// `degreesOfFreedom(in:)` for rows with an observed outcome).
    func degreesOfFreedom(_ s: DomainSums, domains: [Int]) -> Int {
        guard let layout else { return 0 }
        var perStratum = [Int](repeating: 0, count: strataLabels.count)
        for u in 0..<layout.unitCount {
            for d in domains { perStratum[layout.stratumOfUnit[u]] += s.rows[u * s.D + d] }
        }
        return perStratum.reduce(0, +) - perStratum.filter { $0 > 0 }.count
    }
}
