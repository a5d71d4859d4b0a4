/// A categorical variable as small integer codes: each row's index into `labels`, or −1 where the
/// row has no value (missing, or outside the variable's universe).
///
/// Strata, clusters, post-strata, domains and categorical outcomes are all groupings.
public struct Grouping: Sendable, Equatable {
    public var labels: [String]
    public var codes: [Int32]

    public init(labels: [String], codes: [Int32]) {
        self.labels = labels
        self.codes = codes
    }

    /// Codes the values in order of first appearance; values in `missing` (and "") get −1.
    public init(values: [String], missing: Set<String> = [""]) {
        var index: [String: Int32] = [:]
        var labels: [String] = []
        codes = values.map { value in
            if missing.contains(value) { return -1 }
            if let code = index[value] { return code }
            let code = Int32(labels.count)
            index[value] = code
            labels.append(value)
            return code
        }
        self.labels = labels
    }

    /// The same grouping with its labels in `order` (labels not named keep their relative order, after).
    public func reordered(_ order: [String]) -> Grouping {
        var sorted = order.filter { labels.contains($0) }
        sorted += labels.filter { !sorted.contains($0) }
        let map = labels.map { Int32(sorted.firstIndex(of: $0)!) }
        return Grouping(labels: sorted, codes: codes.map { $0 < 0 ? $0 : map[Int($0)] })
    }

    /// Labels sorted as R sorts factor levels of character data (C-locale byte order), codes remapped.
    public func sortedLabels() -> Grouping { reordered(labels.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) }

    public var count: Int { labels.count }
    public var rowCount: Int { codes.count }

    /// Rows per label (rows with code −1 are not counted).
    public var counts: [Int] {
        var n = [Int](repeating: 0, count: labels.count)
        for c in codes where c >= 0 { n[Int(c)] += 1 }
        return n
    }
}
