extension Codebook {
    /// The codes a categorical, binary or derived categorical variable can take (valid values, then the
    /// survey's missing codes); nil for numbers, text and unknown names.
    public func levelCodes(of name: String) -> [String]? {
        let missingCodes = missing.map(\.code)
        if let v = variable(name) {
            switch v.type {
            case .categorical, .binary: return v.validValues.map(\.code) + missingCodes
            default: return nil
            }
        }
        guard let d = derivedVariable(name), let kind = d.kind else { return nil }
        switch kind {
        case .any: return ["1", "0"] + missingCodes
        case .recode, .bands, .cases: return (d.values ?? []).map(\.code) + missingCodes
        case .count, .complement: return nil
        }
    }

    /// The printed (Dutch) label of a variable's code, or the code itself.
    public func levelLabel(of name: String, code: String) -> String {
        let values = variable(name)?.validValues ?? derivedVariable(name)?.values ?? []
        return values.first { $0.code == code }?.label ?? missing.first { $0.code == code }?.label ?? code
    }

    /// The variable's label (question wording in short), or its name.
    public func label(of name: String) -> String {
        variable(name)?.label ?? derivedVariable(name)?.label ?? name
    }
}
