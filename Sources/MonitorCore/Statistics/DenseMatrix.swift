/// A small dense matrix (row-major) for the few linear-algebra steps of the tests (Rao-Scott's Δ).
public struct DenseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]? = nil) {
        self.rows = rows
        self.columns = columns
        self.values = values ?? [Double](repeating: 0, count: rows * columns)
        precondition(self.values.count == rows * columns)
    }

    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public static func diagonal(_ d: [Double]) -> DenseMatrix {
        var m = DenseMatrix(rows: d.count, columns: d.count)
        for (i, v) in d.enumerated() { m[i, i] = v }
        return m
    }

    @inline(__always) public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    public var transposed: DenseMatrix {
        var t = DenseMatrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    public var trace: Double { (0..<min(rows, columns)).reduce(0) { $0 + self[$1, $1] } }

    public static func * (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.columns == b.rows)
        var c = DenseMatrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let aik = a[i, k]
                if aik == 0 { continue }
                for j in 0..<b.columns { c[i, j] += aik * b[k, j] }
            }
        }
        return c
    }

    public static func - (a: DenseMatrix, b: DenseMatrix) -> DenseMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return DenseMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 - $1 })
    }

    public static func * (s: Double, a: DenseMatrix) -> DenseMatrix {
        DenseMatrix(rows: a.rows, columns: a.columns, values: a.values.map { s * $0 })
    }

    /// X solving self · X = b, by Gaussian elimination with partial pivoting; nil if singular.
    public func solve(_ b: DenseMatrix) -> DenseMatrix? {
        precondition(rows == columns && b.rows == rows)
        let n = rows
        var a = self, x = b
        let scale = values.map(abs).max() ?? 0
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<n where abs(a[r, col]) > abs(a[pivot, col]) { pivot = r }
            if !(abs(a[pivot, col]) > 1e-13 * scale) { return nil }
            if pivot != col {
                for j in 0..<n { let t = a[col, j]; a[col, j] = a[pivot, j]; a[pivot, j] = t }
                for j in 0..<x.columns { let t = x[col, j]; x[col, j] = x[pivot, j]; x[pivot, j] = t }
            }
            for r in 0..<n where r != col {
                let f = a[r, col] / a[col, col]
                if f == 0 { continue }
                for j in col..<n { a[r, j] -= f * a[col, j] }
                for j in 0..<x.columns { x[r, j] -= f * x[col, j] }
            }
        }
        for r in 0..<n {
            let d = a[r, r]
            for j in 0..<x.columns { x[r, j] /= d }
        }
        return x
    }
}
