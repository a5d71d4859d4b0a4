import Foundation

extension TableEngine {
    /// Secondary suppression: withholds shown cells from which a suppressed group's value could be computed by
    /// differencing (Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley, §4.2 and §5.3: a cell
    /// protected by primary suppression must not be recoverable from the margins and the other cells).
    ///
    /// A suppressed group S (too few respondents) is *derivable* when a shown group A of another column block
    /// (a combined group such as "Provincies en waterschappen", or the Totaal column) holds every respondent of S
    /// and, besides them, exactly the respondents of some shown groups B₁ … B_k of S's own block (those with a
    /// valid answer to the row, as the cells count them). Then the weighted total of S is the total of A minus
    /// those of the B's, and with weights that are constant within the design cells (as the weighting report
    /// shows) its percentage follows:
    ///
    ///     p_S = (W_A·p_A − Σ W_Bᵢ·p_Bᵢ) / W_S
    ///
    /// The printed percentages are rounded to half a unit of their last decimal, so the derivation is off by
    /// up to ½·10^(−decimals)·(W_A + Σ W_Bᵢ) / W_S points; with the unweighted n's in place of the W's, a
    /// derivation closer than `thresholds.protection` points (default 10) discloses the group: a combined
    /// group of 19 next to shown waterschappen of 11 gives suppressed provincies of 8 to within 1.9 points,
    /// while a Totaal of 300 gives a group of 8 to within 37 points only. A derivable mean is always disclosed.
    ///
    /// A disclosing A that is a combined group is withheld itself (the derived group is what it adds); when A
    /// is the Totaal column, the smallest of the B's is withheld instead. Withheld cells can open new
    /// derivations, so the check repeats until none is left. The n's stay shown, as for primary suppression.
    func protectDifferencing(_ cells: inout ArraySlice<TableCell>, spec: TableSpec, outcome: Outcome, inBase: [Bool],
                             memberships: [(block: String, grouping: Grouping?)]) {
        let rowCount = inBase.count
        func valid(_ i: Int) -> Bool {
            guard inBase[i] else { return false }
            switch outcome {
            case .numeric(let y): return !y[i].isNaN
            case .categorical(let g): return g.codes[i] >= 0
            }
        }
        // Every group of the row: its block's grouping (nil for the Totaal column) and its level.
        struct Group { var block: Int; var level: Int; var code: String; var n: Int; var hidden: Bool; var primary: Bool }
        var groups: [Group] = []
        for (b, m) in memberships.enumerated() {
            let codes = m.grouping?.labels ?? [""]
            for (l, code) in codes.enumerated() {
                guard let cell = cells.first(where: { $0.block == m.block && $0.column == code }) else { continue }
                groups.append(Group(block: b, level: l, code: code, n: cell.n, hidden: cell.flag == .suppressed || cell.flag == .secondary,
                                    primary: cell.flag == .suppressed))
            }
        }
        let isMean = cells.first?.statistic == .mean
        let halfUnit = 0.5 * pow(10, Double(-(spec.decimals ?? 0)))  // as Reproduction's rounding window
        func member(_ g: Group, _ i: Int) -> Bool {
            guard let grouping = memberships[g.block].grouping else { return true }
            return Int(grouping.codes[i]) == g.level
        }
        var changed = true
        while changed {
            changed = false
            for s in groups.indices where groups[s].hidden && groups[s].n > 0 {
                let sBlock = groups[s].block
                guard let sGrouping = memberships[sBlock].grouping else { continue }
                for a in groups.indices where !groups[a].hidden && groups[a].block != sBlock && groups[a].n > groups[s].n {
                    // A must hold all of S and otherwise only whole shown groups of S's block.
                    var inside = [Int](repeating: 0, count: sGrouping.labels.count)
                    var derivable = true
                    for i in 0..<rowCount where valid(i) && member(groups[a], i) {
                        let level = Int(sGrouping.codes[i])
                        guard level >= 0 else { derivable = false; break }
                        inside[level] += 1
                    }
                    guard derivable, inside[groups[s].level] == groups[s].n else { continue }
                    var others: [Int] = []
                    for g in groups.indices where groups[g].block == sBlock && g != s && inside[groups[g].level] > 0 {
                        if groups[g].hidden || inside[groups[g].level] != groups[g].n { derivable = false; break }
                        others.append(g)
                    }
                    guard derivable else { continue }
                    let error = halfUnit * Double(groups[a].n + others.reduce(0) { $0 + groups[$1].n }) / Double(groups[s].n)
                    guard isMean || error < thresholds.protection else { continue }
                    let withheld = memberships[groups[a].block].grouping != nil ? a
                        : others.min { groups[$0].n < groups[$1].n || groups[$0].n == groups[$1].n && $0 < $1 }
                    guard let withheld else { continue }
                    groups[withheld].hidden = true
                    changed = true
                }
            }
        }
        for g in groups where g.hidden && !g.primary {
            let block = memberships[g.block].block
            for k in cells.indices where cells[k].block == block && cells[k].column == g.code {
                cells[k].flag = .secondary
                cells[k].estimate = nil
                cells[k].standardError = nil
                cells[k].ciLow = nil
                cells[k].ciHigh = nil
                cells[k].verdict = nil
                cells[k].pValue = nil
                cells[k].trend = trends(spec, cell: cells[k])
            }
        }
    }
}
