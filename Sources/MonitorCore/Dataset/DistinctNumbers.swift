/// The distinct numbers of a column as text values (`NumberFormat.exact`, "" for a missing value) and each row's
/// index into them, in order of first appearance: numbers treated as categories, each distinct value formatted once.
struct DistinctNumbers {
    var values: [String] = []
    var codes: [UInt32]

    init(_ y: [Double]) {
        var seen: [UInt64: UInt32] = [:]
        var values: [String] = []
        codes = y.map { v -> UInt32 in
            let key = v.isNaN ? Double.nan.bitPattern : v.bitPattern
            if let k = seen[key] { return k }
            let k = UInt32(values.count)
            seen[key] = k
            values.append(v.isNaN ? "" : NumberFormat.exact(v))
            return k
        }
        self.values = values
    }
}
