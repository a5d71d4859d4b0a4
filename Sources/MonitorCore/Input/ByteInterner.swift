#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One kept column while parsing: every field is interned (distinct byte strings get codes 0, 1, 2, ...)
/// and the row's code is appended to a code buffer whose width grows from 1 to 2 to 4 bytes as the
/// number of distinct values grows.
///
/// Plain memory only (pointers and integers): the parser's callbacks write through a pointer to
/// these structs, with no reference counting per field.
struct RawColumn {
    // Distinct values: bytes of value k are arena[starts[k] ..< starts[k+1]].
    var arena: UnsafeMutablePointer<UInt8>
    var arenaCount: Int
    var arenaCapacity: Int
    var starts: UnsafeMutablePointer<Int>
    var keys: UnsafeMutablePointer<UInt64>  // first 8 bytes of value k, zero-padded (fast compare)
    var distinct: Int
    var distinctCapacity: Int
    // Open-addressing hash table of value indices (-1 = empty); capacity is a power of two.
    var table: UnsafeMutablePointer<Int32>
    var tableMask: Int
    // Row codes.
    var codes: UnsafeMutableRawPointer
    var codeWidth: Int  // 1, 2 or 4 bytes
    var rows: Int
    var rowCapacity: Int
    // The last value seen, a cheap shortcut for runs of equal values.
    var lastLength: Int
    var lastKey: UInt64
    var lastCode: UInt32

    static func make() -> RawColumn {
        let tableSize = 64
        let table = UnsafeMutablePointer<Int32>.allocate(capacity: tableSize)
        table.initialize(repeating: -1, count: tableSize)
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: 33)
        starts[0] = 0
        return RawColumn(
            arena: .allocate(capacity: 256), arenaCount: 0, arenaCapacity: 256,
            starts: starts, keys: .allocate(capacity: 32), distinct: 0, distinctCapacity: 32,
            table: table, tableMask: tableSize - 1,
            codes: .allocate(byteCount: 1024, alignment: 8), codeWidth: 1, rows: 0, rowCapacity: 1024,
            lastLength: -1, lastKey: 0, lastCode: 0)
    }

    func free() {
        arena.deallocate()
        starts.deallocate()
        keys.deallocate()
        table.deallocate()
        codes.deallocate()
    }

    @inline(__always)
    static func key(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var k: UInt64 = 0
        if n >= 8 {
            memcpy(&k, p, 8)
        } else if n > 0 {
            memcpy(&k, p, n)
        }
        return k
    }

    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int, key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        if n > 8 {
            var i = 8
            while i + 8 <= n {
                var w: UInt64 = 0
                memcpy(&w, p + i, 8)
                h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
                i += 8
            }
            if i < n {
                var w: UInt64 = 0
                memcpy(&w, p + i, n - i)
                h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
            }
        }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h &* 0xBF58_476D_1CE4_E5B9 >> 32)
    }

    /// Appends one field (the parser's bytes, valid only during the call).
    @inline(__always)
    mutating func append(_ p: UnsafeRawPointer?, _ n: Int) {
        let k = p == nil ? 0 : RawColumn.key(p!, n)
        let code: UInt32
        if n == lastLength && k == lastKey && (n <= 8 || equal(Int(lastCode), p!, n)) {
            code = lastCode
        } else {
            code = intern(p, n, key: k)
            lastLength = n
            lastKey = k
            lastCode = code
        }
        appendCode(code)
    }

    @inline(__always)
    func equal(_ index: Int, _ p: UnsafeRawPointer, _ n: Int) -> Bool {
        let s = starts[index]
        return starts[index + 1] - s == n && memcmp(arena + s, p, n) == 0
    }

    mutating func intern(_ p: UnsafeRawPointer?, _ n: Int, key k: UInt64) -> UInt32 {
        let h = p == nil ? 0 : RawColumn.hash(p!, n, key: k)
        var slot = h & tableMask
        while true {
            let index = Int(table[slot])
            if index < 0 { break }
            if keys[index] == k && starts[index + 1] - starts[index] == n
                && (n <= 8 || memcmp(arena + starts[index], p!, n) == 0) {
                return UInt32(index)
            }
            slot = (slot + 1) & tableMask
        }
        // New distinct value.
        if distinct + 1 >= distinctCapacity {
            let newCapacity = distinctCapacity * 2
            let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
            newStarts.update(from: starts, count: distinct + 1)
            starts.deallocate()
            starts = newStarts
            let newKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
            newKeys.update(from: keys, count: distinct)
            keys.deallocate()
            keys = newKeys
            distinctCapacity = newCapacity
        }
        if arenaCount + n > arenaCapacity {
            var newCapacity = arenaCapacity * 2
            while newCapacity < arenaCount + n { newCapacity *= 2 }
            let newArena = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newArena.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = newArena
            arenaCapacity = newCapacity
        }
        if n > 0 { memcpy(arena + arenaCount, p!, n) }
        arenaCount += n
        let index = distinct
        keys[index] = k
        starts[index + 1] = arenaCount
        distinct += 1
        table[slot] = Int32(index)
        if distinct * 2 > tableMask { growTable() }
        if distinct == 257 { widen(to: 2) } else if distinct == 65_537 { widen(to: 4) }
        return UInt32(index)
    }

    mutating func growTable() {
        let size = (tableMask + 1) * 2
        let newTable = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        newTable.initialize(repeating: -1, count: size)
        let mask = size - 1
        for index in 0..<distinct {
            let s = starts[index]
            let n = starts[index + 1] - s
            var slot = RawColumn.hash(arena + s, n, key: keys[index]) & mask
            while newTable[slot] >= 0 { slot = (slot + 1) & mask }
            newTable[slot] = Int32(index)
        }
        table.deallocate()
        table = newTable
        tableMask = mask
    }

    mutating func widen(to width: Int) {
        let newCodes = UnsafeMutableRawPointer.allocate(byteCount: rowCapacity * width, alignment: 8)
        for i in 0..<rows {
            let v = code(at: i)
            if width == 2 { newCodes.storeBytes(of: UInt16(v), toByteOffset: i * 2, as: UInt16.self) }
            else { newCodes.storeBytes(of: v, toByteOffset: i * 4, as: UInt32.self) }
        }
        codes.deallocate()
        codes = newCodes
        codeWidth = width
    }

    @inline(__always)
    mutating func appendCode(_ code: UInt32) {
        if rows == rowCapacity {
            let newCapacity = rowCapacity * 2
            let newCodes = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * codeWidth, alignment: 8)
            newCodes.copyMemory(from: codes, byteCount: rows * codeWidth)
            codes.deallocate()
            codes = newCodes
            rowCapacity = newCapacity
        }
        switch codeWidth {
        case 1: codes.storeBytes(of: UInt8(truncatingIfNeeded: code), toByteOffset: rows, as: UInt8.self)
        case 2: codes.storeBytes(of: UInt16(truncatingIfNeeded: code), toByteOffset: rows &* 2, as: UInt16.self)
        default: codes.storeBytes(of: code, toByteOffset: rows &* 4, as: UInt32.self)
        }
        rows &+= 1
    }

    @inline(__always)
    func code(at row: Int) -> UInt32 {
        switch codeWidth {
        case 1: return UInt32(codes.load(fromByteOffset: row, as: UInt8.self))
        case 2: return UInt32(codes.load(fromByteOffset: row * 2, as: UInt16.self))
        default: return codes.load(fromByteOffset: row * 4, as: UInt32.self)
        }
    }

    /// The distinct values' bytes, in code order.
    func distinctValues() -> [[UInt8]] {
        (0..<distinct).map { k in Array(UnsafeBufferPointer(start: arena + starts[k], count: starts[k + 1] - starts[k])) }
    }

    /// The row codes in their final, smallest width.
    func finishedCodes() -> CodeVector {
        switch codeWidth {
        case 1: return .uint8(Array(UnsafeBufferPointer(start: codes.assumingMemoryBound(to: UInt8.self), count: rows)))
        case 2: return .uint16(Array(UnsafeBufferPointer(start: codes.assumingMemoryBound(to: UInt16.self), count: rows)))
        default: return .uint32(Array(UnsafeBufferPointer(start: codes.assumingMemoryBound(to: UInt32.self), count: rows)))
        }
    }
}

/// Row codes in the narrowest integer type that holds them.
public enum CodeVector: Sendable, Equatable {
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])

    public var count: Int {
        switch self {
        case .uint8(let a): return a.count
        case .uint16(let a): return a.count
        case .uint32(let a): return a.count
        }
    }

    @inline(__always)
    public subscript(row: Int) -> Int {
        switch self {
        case .uint8(let a): return Int(a[row])
        case .uint16(let a): return Int(a[row])
        case .uint32(let a): return Int(a[row])
        }
    }

    /// The first row holding `code`, if any.
    public func firstRow(withCode code: Int) -> Int? {
        for row in 0..<count where self[row] == code { return row }
        return nil
    }

    /// Applies a code mapping (old code -> new code) and returns the result as 16-bit codes.
    public func mapped16(_ table: [UInt16]) -> [UInt16] {
        switch self {
        case .uint8(let a): return a.map { table[Int($0)] }
        case .uint16(let a): return a.map { table[Int($0)] }
        case .uint32(let a): return a.map { table[Int($0)] }
        }
    }

    /// Applies a code mapping to doubles (each distinct value parsed once).
    public func mappedDouble(_ table: [Double]) -> [Double] {
        switch self {
        case .uint8(let a): return a.map { table[Int($0)] }
        case .uint16(let a): return a.map { table[Int($0)] }
        case .uint32(let a): return a.map { table[Int($0)] }
        }
    }
}
