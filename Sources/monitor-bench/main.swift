// Parse-stage benchmark: writes a wide respondent-like CSV (about 100 columns) once, then times
// CSVReader on it (all columns, and the ~20 columns a tables run needs) and prints MB/s.
//
//   swift run -c release monitor-bench [--rows N] [--repeat K] [--file PATH]
//
// Not part of `swift test`: timings belong in a benchmark, not in unit tests.
import Foundation
import MonitorCore

var rows = 1_000_000
var repeats = 3
var path: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--rows": rows = Int(arguments.popFirst() ?? "") ?? rows
    case "--repeat": repeats = Int(arguments.popFirst() ?? "") ?? repeats
    case "--file": path = arguments.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: monitor-bench [--rows N] [--repeat K] [--file PATH]\n".utf8))
        exit(2)
    }
}
let file = path ?? "bench-data/wide-\(rows).csv"

/// A deterministic generator (SplitMix64) so every machine benchmarks the same bytes.
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
}

func writeWideFile(_ path: String, rows: Int) throws {
    let attitudeItems = 84
    var header = ["respondent_id", "bestuurslaag", "functie", "geslacht", "leeftijd", "gemeente_code",
                  "verbale_agressie", "bedreiging", "intimidatie", "fysiek_geweld", "ernst", "besproken", "gemeld",
                  "geregistreerd", "aangifte", "opmerking"]
    header += (1...attitudeItems).map { "stelling_\($0)" }
    let functies = [("gemeente", "burgemeester"), ("gemeente", "wethouder"), ("gemeente", "raadslid"), ("gemeente", "raadslid"),
                    ("provincie", "statenlid"), ("provincie", "gedeputeerde"), ("waterschap", "lid_ab"), ("waterschap", "lid_db")]
    let aangifte = ["zelf", "organisatie", "geen", "geen", "geen", "weet_niet"]
    let remarks = ["", "", "", "", "\"Via social media, \"\"anoniem\"\"\"", "\"Tijdens raadsvergadering\nen daarna\""]
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard let handle = FileHandle(forWritingAtPath: path) ?? {
        FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }() else { throw DataError(.io, SourcePosition(file: path), "cannot write") }
    var random = SplitMix64(state: 20_240_521)
    var buffer = [UInt8]()
    buffer.reserveCapacity(1 << 22)
    buffer += Array((header.joined(separator: ",") + "\n").utf8)
    func put(_ s: String) { buffer += Array(s.utf8) }
    for i in 0..<rows {
        let (laag, functie) = functies[random.below(functies.count)]
        put("\(100_000 + i),\(laag),\(functie),\(random.below(2) == 0 ? "man" : "vrouw"),\(25 + random.below(50)),GM\(random.below(400)),")
        var victim = false
        for _ in 0..<4 {
            let v = random.below(100) < 30 ? 1 : 0
            if v == 1 { victim = true }
            put("\(v),")
        }
        if victim {
            put("\(1 + random.below(7)),\(random.below(2)),\(random.below(2)),\(["ja", "nee", "weet_niet"][random.below(3)]),\(aangifte[random.below(aangifte.count)]),")
        } else {
            put(",,,,,")
        }
        put(remarks[random.below(remarks.count)])
        for _ in 0..<attitudeItems { put(",\(1 + random.below(5))") }
        buffer.append(10)
        if buffer.count > (1 << 22) - 4096 {
            handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(buffer))
    try handle.close()
}

if !FileManager.default.fileExists(atPath: file) {
    FileHandle.standardError.write(Data("writing \(file) (\(rows) rows)...\n".utf8))
    try writeWideFile(file, rows: rows)
}
let size = Double(inputSize(.file(file)) ?? 0)
let tableColumns = ["bestuurslaag", "functie", "geslacht", "gemeente_code", "verbale_agressie", "bedreiging", "intimidatie",
                    "fysiek_geweld", "ernst", "besproken", "gemeld", "geregistreerd", "aangifte"]

@MainActor func measure(_ label: String, _ selection: ColumnSelection) throws {
    var times: [Double] = []
    var rowCount = 0
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let table = try CSVReader().read(.file(file), columns: selection)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        rowCount = table.rowCount
    }
    times.sort()
    let median = times[times.count / 2]
    print("\(label): \(rowCount) rows, \(NumberFormat.fixed(size / 1e6, 1)) MB in \(NumberFormat.fixed(median, 3)) s (median of \(repeats)) = \(NumberFormat.fixed(size / 1e6 / median, 1)) MB/s")
}

print("file: \(file)")
try measure("parse, 13 table columns kept", .required(tableColumns))
try measure("parse, all 100 columns kept ", .all)
