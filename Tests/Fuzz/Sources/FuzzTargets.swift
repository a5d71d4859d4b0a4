import Foundation
@testable import MonitorCore

// libFuzzer entry point for `scripts/fuzz` (docs/fuzzing.md). The target is chosen by the environment
// variable MONITOR_FUZZ_TARGET: csv, frame, codebook, map, spec or scheme. Every input is fed to the
// loader as a file would be (loaders read paths); a thrown error is the expected answer to bad input, a
// crash, hang, leak or ASan report is a finding. The csv target also checks that the block-parallel reader
// and the sequential libcsv reader agree on every input both accept.

enum FuzzTarget: String, CaseIterable {
    case csv, frame, codebook, map, spec, scheme
}

nonisolated(unsafe) private var target: FuzzTarget = .csv
nonisolated(unsafe) private var scratch = ""

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["MONITOR_FUZZ_TARGET"] ?? "csv"
    guard let chosen = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("MONITOR_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    target = chosen
    let dir = ProcessInfo.processInfo.environment["MONITOR_FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
    scratch = "\(dir)/monitor-fuzz-\(getpid()).\(chosen == .csv || chosen == .frame ? "csv" : "yaml")"
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard FileManager.default.createFile(atPath: scratch, contents: bytes) else { fatalError("cannot write \(scratch)") }
    switch target {
    case .csv: fuzzCSV(bytes)
    case .frame: fuzzFrame()
    case .codebook: _ = try? Codebook.load(path: scratch)
    case .map: _ = try? ExportMap.load(path: scratch)
    case .spec: _ = try? TableSpec.load(path: scratch)
    case .scheme: _ = try? WeightingScheme.load(path: scratch)
    }
    return 0
}

/// The sequential reader and the block reader (tiny blocks, two workers) on the same bytes: both fail, or
/// both give the same header and cells.
///
/// The sequential reader reads in small chunks (to try chunk boundaries), but never smaller than the
/// header line: it detects the delimiter and byte-order mark in the first chunk only (a header line longer
/// than a chunk, 4 MiB by default, is read with a wrong delimiter; reported, not fuzzed here).
func fuzzCSV(_ bytes: Data) {
    let headerLength = bytes.firstIndex(of: 10).map { $0 - bytes.startIndex } ?? bytes.count
    var sequential = CSVReader(chunkSize: max(headerLength + 4, 16 + Int(bytes.first ?? 0) % 48))
    sequential.parallel = false
    var blocks = CSVReader()
    blocks.minimumSplit = 16
    blocks.blockSize = 64
    blocks.workers = 2
    _ = try? sequential.readHeader(.file(scratch))
    let a = try? sequential.read(.file(scratch), columns: .all)
    let b = try? blocks.read(.file(scratch), columns: .all)
    // Bare CR line ends included: the readers agreed on them once the reader's line-end rule (Input/LineEnds.swift)
    // was one for both.
    switch (a, b) {
    case (nil, nil): return
    case (let a?, let b?):
        precondition(a.header == b.header, "header differs: \(a.header) vs \(b.header)")
        precondition(a.rowCount == b.rowCount, "row count differs: \(a.rowCount) vs \(b.rowCount)")
        for (x, y) in zip(a.columns, b.columns) {
            for row in 0..<a.rowCount { precondition(x[row] == y[row], "column \(x.name) row \(row): \(x[row]) vs \(y[row])") }
        }
        for row in 0..<a.rowCount {
            precondition(a.lineIndex.line(ofRecord: row) == b.lineIndex.line(ofRecord: row), "line of row \(row) differs")
        }
    default:
        preconditionFailure("one reader accepts what the other refuses: sequential \(a == nil ? "refused" : "accepted"), blocks \(b == nil ? "refused" : "accepted")")
    }
}

/// A frame file, then respondents made from its cells' values (and one value no cell has) matched to it
/// and post-stratified: whatever the frame, weights are finite or an error is thrown.
func fuzzFrame() {
    guard let frame = try? Frame.load(path: scratch) else { return }
    let k = frame.variables.count
    var columns = [[String]](repeating: [], count: k)
    for cell in frame.cells.prefix(200) {
        for copy in 0..<2 {
            for j in 0..<k { columns[j].append(cell.values[j] == Frame.wildcard ? "w\(copy)" : cell.values[j]) }
        }
    }
    for j in 0..<k { columns[j].append("\u{0}not-in-frame") }
    let rows = columns.first?.count ?? 0
    let margin = frame.margin(name: frame.variables.joined(separator: " x "), columns: columns, rowCount: rows)
    precondition(margin.cellOfRow.count == rows && margin.cellOfRow.allSatisfy { $0 >= -1 && $0 < frame.cells.count })
    precondition(margin.cellOfRow.last == -1 || frame.cells.contains { $0.values.allSatisfy { $0 == Frame.wildcard } })
    let inside = margin.cellOfRow.indices.filter { margin.cellOfRow[$0] >= 0 }
    let sub = Margin(name: margin.name, labels: margin.labels, totals: margin.totals, cellOfRow: inside.map { margin.cellOfRow[$0] })
    if let w = try? PostStratification.weights(base: inside.map { 1 + Double($0 % 3) }, margin: sub) {
        precondition(w.allSatisfy { $0.isFinite && $0 > 0 }, "post-stratified weight not positive and finite")
        let totals = sub.weightedTotals(w)
        for (h, t) in totals.enumerated() { precondition(abs(t - sub.totals[h]) <= 1e-9 * sub.totals[h], "cell \(h) misses its total") }
    }
}

// SwiftPM links an executable target with `main` defined as `<module>_main`; hand that to libFuzzer's driver
// (libFuzzer's own `main` is then not linked).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("monitor_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
