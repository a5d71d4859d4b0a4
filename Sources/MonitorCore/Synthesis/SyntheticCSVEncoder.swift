import Foundation

extension Synthesizer {
    // MARK: output

    /// Values of some variables per record (for weighting).
    public func values(of names: [String]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in names {
            guard let v = schema.index[name] else { continue }
            out[name] = records.map { schema.variables[v].domain[Int($0[v])] }
        }
        return out
    }

    /// A CSV encoder for this survey's records (see `SyntheticCSVEncoder`): `total` respondents (it sets the width
    /// of the ids), `attitudeItems` Likert items appended, drawn from their own stream of `seed`.
    public func csvEncoder(total: Int? = nil, attitudeItems: Int = 0, seed: UInt64 = 0) -> SyntheticCSVEncoder {
        SyntheticCSVEncoder(codebook: codebook, schema: schema, id: model.id, total: total ?? records.count,
                            attitudeItems: attitudeItems, seed: seed, stopSlot: stopSlot)
    }

    /// The canonical file: every non-derived codebook variable in codebook order.
    public func table() -> (header: [String], rows: [[String]]) {
        let header = codebook.variables.map(\.name)
        let width = String(max(model.id.digits, String(records.count).count))
        let rows = records.enumerated().map { i, record in
            codebook.variables.map { v -> String in
                if v.type == .id { return model.id.prefix + String(format: "%0\(width)d", i + 1) }
                guard let k = schema.index[v.name] else { return "" }
                return schema.variables[k].domain[Int(record[k])]
            }
        }
        return (header, rows)
    }
}

/// Writes synthetic records as CSV bytes, row after row, without building strings per cell: every codebook
/// variable in codebook order (the same bytes as `Synthesizer.table()` through `CSVWriter`), then optionally
/// `attitudeItems` attitude items `houding_01`, `houding_02`, ... (Likert 1-5, `weet_niet` about 3%; empty for a
/// respondent who stopped before the end of the questionnaire). The attitude answers come from their own
/// generator (seeded from the run's seed), so they never change the survey answers of a seed; with 0 items the
/// output is byte-identical to the file without them. Used to write files of any size in constant memory.
public struct SyntheticCSVEncoder {
    enum Column {
        case id
        case variable(Int)
        case empty
    }
    public let header: [String]
    let columns: [Column]
    /// Per schema variable: the CSV bytes of each domain entry.
    let cells: [[[UInt8]]]
    let idPrefix: [UInt8]
    let idWidth: Int
    let idSafe: Bool
    let idPrefixString: String
    public let attitudeItems: Int
    var attitudes: SeededGenerator
    let attitudeCodes: [[UInt8]]
    let attitudeMissing: [UInt8]
    let stopSlot: Int
    let complete: UInt16

    /// Likert 1-5: cumulative shares (somewhat agreeing answers are the most common).
    static let likert: [Double] = [0.07, 0.22, 0.52, 0.85, 1.0]
    static let attitudeMissingShare = 0.03

    init(codebook: Codebook, schema: RecordSchema, id: SynthesisModel.IDSpec, total: Int, attitudeItems: Int, seed: UInt64, stopSlot: Int) {
        var header = codebook.variables.map(\.name)
        let digits = String(max(attitudeItems, 1)).count
        let itemNames = (0..<attitudeItems).map { k -> String in
            let number = String(k + 1)
            return "houding_" + String(repeating: "0", count: max(0, max(2, digits) - number.count)) + number
        }
        header += itemNames
        self.header = header
        columns = codebook.variables.map { v in
            if v.type == .id { return .id }
            guard let k = schema.index[v.name] else { return .empty }
            return .variable(k)
        }
        cells = schema.variables.map { v in v.domain.map { Array(CSVWriter.cell($0).utf8) } }
        idPrefixString = id.prefix
        idPrefix = Array(id.prefix.utf8)
        idWidth = max(id.digits, String(total).count)
        idSafe = CSVWriter.cell(id.prefix + "0") == id.prefix + "0"
        self.attitudeItems = attitudeItems
        attitudes = SeededGenerator(seed: seed ^ 0x6174_7469_7475_6465)  // "attitude"
        attitudeCodes = (1...5).map { Array(String($0).utf8) }
        let missing = codebook.missing.map(\.code).first { !$0.isEmpty } ?? ""
        attitudeMissing = Array(CSVWriter.cell(missing).utf8)
        self.stopSlot = stopSlot
        complete = UInt16(schema.rawCount)
    }

    /// The header line.
    public func headerBytes() -> [UInt8] {
        Array((header.map { CSVWriter.cell($0) }.joined(separator: ",") + "\n").utf8)
    }

    /// Appends the CSV line of record `record` (0-based `index`, which gives its id) to `out`.
    public mutating func append(_ record: [UInt16], index: Int, to out: inout [UInt8]) {
        var first = true
        for column in columns {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch column {
            case .id:
                if idSafe {
                    out += idPrefix
                    var digits: [UInt8] = []
                    var x = index + 1
                    repeat { digits.append(UInt8(ascii: "0") + UInt8(x % 10)); x /= 10 } while x > 0
                    if digits.count < idWidth { out += repeatElement(UInt8(ascii: "0"), count: idWidth - digits.count) }
                    out += digits.reversed()
                } else {
                    out += Array(CSVWriter.cell(idPrefixString + String(format: "%0\(idWidth)d", index + 1)).utf8)
                }
            case .variable(let k):
                out += cells[k][Int(record[k])]
            case .empty:
                break
            }
        }
        if attitudeItems > 0 {
            let stopped = record.count > stopSlot && record[stopSlot] < complete
            for _ in 0..<attitudeItems {
                out.append(UInt8(ascii: ","))
                let u = attitudes.unit()
                if stopped { continue }
                if u < Self.attitudeMissingShare {
                    out += attitudeMissing
                } else {
                    let v = (u - Self.attitudeMissingShare) / (1 - Self.attitudeMissingShare)
                    out += attitudeCodes[Self.likert.firstIndex { v < $0 } ?? 4]
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }
}
