/// A selection of respondents from `--filter`: `VAR=CODE[,CODE]` keeps those whose VAR is one of the codes,
/// `VAR!=CODE[,CODE]` those with a valid (non-missing) VAR other than the codes. Filters are ANDed. The rows left
/// out stay in the design as outside the domain (R `subset(design, ...)`, a table's `base.filter`).
public struct RowFilter: Sendable, Equatable, CustomStringConvertible {
    public var variable: String
    public var codes: [String]
    public var negated: Bool

    public init(variable: String, codes: [String], negated: Bool = false) {
        self.variable = variable
        self.codes = codes
        self.negated = negated
    }

    /// Parses `VAR=CODE[,CODE]` or `VAR!=CODE[,CODE]` (spaces around names and codes are ignored).
    public init(parsing text: String) throws(UsageProblem) {
        let negated = text.contains("!=")
        let parts = text.split(separator: negated ? "!" : "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].trimmingSpaces()
        var rest = parts.count == 2 ? parts[1] : ""
        if negated { rest = String(rest.dropFirst()) }
        let codes = rest.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        guard parts.count == 2, !name.isEmpty, !name.contains("="), !codes.contains(where: { $0.isEmpty || $0.contains("=") }) else {
            throw UsageProblem("--filter \"\(text)\": write VAR=CODE[,CODE] or VAR!=CODE[,CODE], e.g. --filter bestuurslaag=gemeente")
        }
        self.init(variable: name, codes: codes, negated: negated)
    }

    public var description: String { "\(variable)\(negated ? "!=" : "=")\(codes.joined(separator: ","))" }

    /// Which of a variable's distinct values pass, given which of them are missing codes.
    public func keeps(_ values: [String], missing: (String) -> Bool) -> [Bool] {
        let set = Set(codes)
        return values.map { negated ? (!missing($0) && !set.contains($0)) : set.contains($0) }
    }

    /// The codes a table's `base.filter` allows for this filter (for `!=`: the variable's valid codes but these).
    public func allowedCodes(in codebook: Codebook) throws(UsageProblem) -> [String] {
        let missingCodes = Set(codebook.missing.map(\.code))
        guard let known = codebook.levelCodes(of: variable) else {
            if codebook.variable(variable) == nil && codebook.derivedVariable(variable) == nil {
                throw UsageProblem("--filter \(description): \(variable) is not a variable of the \(codebook.survey) codebook")
            }
            throw UsageProblem("--filter \(description): \(variable) is a number or text, not a variable with codes")
        }
        for code in codes where !known.contains(code) {
            throw UsageProblem("--filter \(description): \(variable) has no code \"\(code)\" (codes: \(known.joined(separator: ", ")))")
        }
        return negated ? known.filter { !missingCodes.contains($0) && !codes.contains($0) } : codes
    }
}

extension TableSpec {
    /// The table restricted to the respondents the filters keep: each filter narrows `base.filter` (codes allowed
    /// by the specification and by every filter) and is named in the base label.
    public func filtered(by filters: [RowFilter], codebook: Codebook) throws(UsageProblem) -> TableSpec {
        guard !filters.isEmpty else { return self }
        var spec = self
        var conditions = base.filter ?? [:]
        for filter in filters {
            let allowed = try filter.allowedCodes(in: codebook)
            conditions[filter.variable] = conditions[filter.variable].map { old in old.filter { allowed.contains($0) } } ?? allowed
        }
        spec.base.filter = conditions
        spec.base.label = base.label + " (selectie: " + filters.map(\.description).joined(separator: "; ") + ")"
        return spec
    }
}
