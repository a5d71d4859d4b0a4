extension TableSpec {
    /// A table specification built from flags (`monitor tables FILE --rows X,Y --by G,H --mean Z --filter ...`):
    /// the same value a YAML file in data/tables/ gives, so it runs through the same engine with the catalogue's
    /// weighting, n's, marks, small-group rules and outputs. Rows are the variables of `rows` (a 0/1 variable one
    /// row, categories one row per level) and `means` (a mean); columns the whole base, then one block per `by`.
    /// Its id is `adhoc` ("Tabel adhoc", key `Tadhoc`); the base is every respondent, narrowed by the filters.
    public static func adHoc(survey: String, codebook: Codebook, rows: [String], means: [String] = [], by: [String] = [],
                             filters: [RowFilter] = []) throws -> TableSpec {
        guard !(rows.isEmpty && means.isEmpty) else { throw UsageProblem("an ad hoc table needs --rows (or --mean): the variables to tabulate") }
        let rowSpecs = rows.map { Row(variable: $0) } + means.map { Row(variable: $0, statistic: .mean) }
        let title = (rows + means).map { codebook.label(of: $0) }.joined(separator: ", ")
            + (by.isEmpty ? "" : " naar " + by.map { codebook.label(of: $0) }.joined(separator: ", "))
        var spec = TableSpec(id: "adhoc", kind: nil, survey: survey, family: .context, title: title,
                             base: Base(label: codebook.label.lowercased(), filter: nil), rows: rowSpecs,
                             columns: [ColumnBlock(by: nil)] + by.map { ColumnBlock(by: $0) }, decimals: nil, test: nil,
                             previous: nil, source: nil, published: nil, notes: nil, file: nil)
        try spec.check(against: codebook)
        spec = try spec.filtered(by: filters, codebook: codebook)
        return spec
    }
}
