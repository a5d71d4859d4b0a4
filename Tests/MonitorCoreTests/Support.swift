import Foundation
@testable import MonitorCore

/// Paths of the shared test fixtures (Tests/Fixtures) and the project's data folder.
enum Fixtures {
    static let testsRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryRoot = testsRoot.deletingLastPathComponent()

    static func path(_ relative: String) -> String { testsRoot.appendingPathComponent("Fixtures/" + relative).path }
    static func data(_ relative: String) -> String { repositoryRoot.appendingPathComponent("data/" + relative).path }

    static func read(_ relative: String, _ selection: ColumnSelection = .all, options: CSVOptions = CSVOptions(),
                     chunkSize: Int = 1 << 22) throws -> RawTable {
        try CSVReader(options: options, chunkSize: chunkSize).read(.file(path(relative)), columns: selection)
    }

    /// Writes text to a temporary file and returns its path.
    static func temporary(_ bytes: [UInt8], name: String = "input.csv") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

extension RawTable {
    /// Every row as text, in header order of the kept columns.
    var rows: [[String]] { (0..<rowCount).map { row in columns.map { $0[row] } } }
}

/// A small deterministic generator (SplitMix64) for generated test cases.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
