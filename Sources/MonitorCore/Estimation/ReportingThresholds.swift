/// How a group's size limits what is shown about it.
public enum SmallGroupFlag: String, Sendable, Codable {
    case none = ""
    /// Fewer respondents than the report's threshold for firm statements: shown, marked "indicatief".
    case indicative = "indicatief"
    /// Too few respondents to show at all (privacy, and an estimate that says nothing): values withheld.
    case suppressed
    /// Enough respondents, but withheld so that a suppressed group cannot be computed by differencing
    /// (secondary suppression; see `TableEngine.protectDifferencing`).
    case secondary
}

/// The report's small-group rules: a base under 50 respondents is "indicatief" (Monitor Integriteit en
/// Veiligheid 2024, ch. 1), and a base under `minimum` (default 10) is suppressed.
///
/// The base is the group's respondents with a valid answer to the question (the unweighted n printed with
/// the table), not the count in one answer category: the report prints small percentages of large groups.
public struct ReportingThresholds: Sendable, Equatable {
    public var indicative: Int
    public var minimum: Int
    /// A suppressed percentage counts as disclosed when differencing shown cells gives it to within this many
    /// percentage points (the derivation's error from the printed cells' rounding; see
    /// `TableEngine.protectDifferencing`).
    public var protection: Double

    public init(indicative: Int = 50, minimum: Int = 10, protection: Double = 10) {
        self.indicative = indicative
        self.minimum = minimum
        self.protection = protection
    }

    public func flag(n: Int) -> SmallGroupFlag {
        if n < minimum { return .suppressed }
        if n < indicative { return .indicative }
        return .none
    }
}
