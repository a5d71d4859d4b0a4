/// A mistake in how a command was called, found while preparing the data (exit status 2 in the CLI).
public struct UsageProblem: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The sampling design as R's `svydesign` takes it (weights, strata, clusters and fpc per stage), an ad hoc
/// post-stratification (`cellColumns` and `frame`), or a weighting scheme. Every name is a canonical variable
/// name: with a mapping file, the export column it renames is read.
public struct DesignDeclaration: Sendable, Equatable {
    public var weight: String?
    public var strata: String?
    /// One column per sampling stage (empty: every respondent its own PSU), and one fpc column per stage.
    public var clusters: [String]
    public var fpc: [String]
    public var cellColumns: [String]
    public var frame: String?
    public var scheme: String?
    public var lonelyPSU: SurveyDesign.LonelyPSU

    public init(weight: String? = nil, strata: String? = nil, clusters: [String] = [], fpc: [String] = [], cellColumns: [String] = [],
                frame: String? = nil, scheme: String? = nil, lonelyPSU: SurveyDesign.LonelyPSU = .fail) {
        self.weight = weight
        self.strata = strata
        self.clusters = clusters
        self.fpc = fpc
        self.cellColumns = cellColumns
        self.frame = frame
        self.scheme = scheme
        self.lonelyPSU = lonelyPSU
    }

    /// Whether the declaration names a design of its own (weights, strata, clusters, fpc or post-strata): then a
    /// survey's scheme is not applied by default.
    public var isExplicit: Bool {
        weight != nil || strata != nil || !clusters.isEmpty || !fpc.isEmpty || !cellColumns.isEmpty || scheme != nil
    }

    /// Respondent columns the design reads directly.
    public var columns: [String] { [weight, strata].compactMap { $0 } + clusters + fpc + cellColumns }

    /// The declaration in R's terms, e.g. `svydesign(ids=~dnum+snum, fpc=~fpc1+fpc2)`, or `scheme ambtsdragers over
    /// svydesign(ids=~1)`.
    public var rDescription: String {
        var parts: [String] = []
        parts.append("ids=~\(clusters.isEmpty ? "1" : clusters.joined(separator: "+"))")
        if let strata { parts.append("strata=~\(strata)") }
        if let weight { parts.append("weights=~\(weight)") }
        if !fpc.isEmpty { parts.append("fpc=~\(fpc.joined(separator: "+"))") }
        var text = "svydesign(\(parts.joined(separator: ", ")))"
        if !cellColumns.isEmpty { text = "postStratify(\(text), ~\(cellColumns.joined(separator: "+")), \(frame ?? ""))" }
        if let scheme { text = "scheme \(scheme) over \(text)" }
        return text
    }
}
