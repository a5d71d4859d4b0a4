import Foundation

/// One report table as data: its base, the estimates in its rows, the groups in its columns, and the
/// earlier waves' published figures. The built-in catalogue (data/tables/) is written in this format, so a
/// researcher adds or changes a table without recompiling. Documented in docs/tables.md.
public struct TableSpec: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case tabel, figuur }
    /// The report's four families of tables, and `context`: tables on the aggression's circumstances (daders,
    /// what it was aimed at, its background) and the respondents' attitudes, which the report's significance
    /// statements also cover.
    /// `response`: the composition of the response and the response rates (chapter 1, bijlage B).
    public enum Family: String, Codable, Sendable, CaseIterable { case prevalence, severity, reporting, aangifte, context, response }
    /// What a row's cells hold. `percent` and `mean` are weighted design-based estimates. The others describe the
    /// response itself, unweighted, as the report's response tables do (Tabel 1.2-1.5, bijlage B Tabel 4.3/4.4):
    /// `count` the respondents of the cell (with the row's level, or with a valid answer when the row lists no
    /// levels); `share` that count as a percentage of the cell's respondents with a valid answer (of all the cell's
    /// respondents when the row lists no levels); `frame` the total of the row's `frame` file over the frame's rows
    /// that fall in the cell (the invited or approached, a published aggregate); `rate` the count as a percentage
    /// of that frame total (the response rate).
    public enum Statistic: String, Codable, Sendable {
        case percent, mean, count, share, frame, rate
        /// Estimates between 0 and 1, printed as percentages.
        public var isProportion: Bool { self == .percent || self == .share || self == .rate }
        /// Counts and frame totals: whole numbers, compared exactly.
        public var isCount: Bool { self == .count || self == .frame }
        /// Unweighted descriptions of the response (no standard error, no test).
        public var isResponse: Bool { self == .count || self == .share || self == .frame || self == .rate }
    }
    public enum Test: String, Codable, Sendable { case groupVersusRest = "group_vs_rest", none }

    public struct Base: Codable, Sendable, Equatable {
        public var label: String
        /// Every condition must hold: variable → allowed codes.
        public var filter: [String: [String]]?
    }

    public struct Row: Codable, Sendable, Equatable {
        public var variable: String
        /// The row's key in the output instead of the variable's name: needed when one variable is in several
        /// rows (Tabel 4.3 in bijlage B: functie as invited, respons and response rate).
        public var name: String?
        public var label: String?
        /// For a categorical variable: the levels shown, in order (default: every non-missing level).
        public var levels: [String]?
        public var labels: [String: String]?
        /// Codes treated as missing for this row ("exclusief weet niet").
        public var exclude: [String]?
        public var statistic: Statistic?
        /// For `statistic: frame` and `rate`: a frame file (columns: variables, then N), relative to the data folder
        /// (as a weighting scheme names its frames) or absolute.
        public var frame: String?

        /// The row's key in the output (`name`, else the variable).
        public var key: String { name ?? variable }

        public init(variable: String, name: String? = nil, label: String? = nil, levels: [String]? = nil, labels: [String: String]? = nil,
                    exclude: [String]? = nil, statistic: Statistic? = nil, frame: String? = nil) {
            self.variable = variable
            self.name = name
            self.label = label
            self.levels = levels
            self.labels = labels
            self.exclude = exclude
            self.statistic = statistic
            self.frame = frame
        }
    }

    public struct ColumnBlock: Codable, Sendable, Equatable {
        /// nil: the whole base ("total").
        public var by: String?
        public var label: String?
        public var levels: [String]?
        public var labels: [String: String]?

        public init(by: String?, label: String? = nil, levels: [String]? = nil, labels: [String: String]? = nil) {
            self.by = by
            self.label = label
            self.levels = levels
            self.labels = labels
        }

        public init(from decoder: Decoder) throws {
            // `- total` is a plain string; a group block is a mapping.
            if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
                guard text == "total" else {
                    throw DecodingError.dataCorruptedError(in: single, debugDescription: "a column block is `total` or a mapping with `by:`, not \"\(text)\"")
                }
                self.init(by: nil)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(by: try c.decode(String.self, forKey: .by), label: try c.decodeIfPresent(String.self, forKey: .label),
                      levels: try c.decodeIfPresent([String].self, forKey: .levels),
                      labels: try c.decodeIfPresent([String: String].self, forKey: .labels))
        }

        public func encode(to encoder: Encoder) throws {
            if by == nil {
                var single = encoder.singleValueContainer()
                try single.encode("total")
                return
            }
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(by, forKey: .by)
            try c.encodeIfPresent(label, forKey: .label)
            try c.encodeIfPresent(levels, forKey: .levels)
            try c.encodeIfPresent(labels, forKey: .labels)
        }

        enum CodingKeys: String, CodingKey { case by, label, levels, labels }
    }

    public struct PreviousWave: Codable, Sendable, Equatable {
        public struct Figure: Codable, Sendable, Equatable {
            /// The row's variable, or `variable=level` for a level of a categorical row.
            public var row: String
            /// "" for the total column, else the group code.
            public var column: String
            public var percent: Double?
            public var mean: Double?
            public var n: Int?
        }
        public var wave: String
        public var figures: [Figure]
    }

    public var id: String
    public var kind: Kind?
    public var survey: String
    public var family: Family
    public var title: String
    public var base: Base
    public var rows: [Row]
    public var columns: [ColumnBlock]
    public var decimals: Int?
    public var test: Test?
    public var previous: [PreviousWave]?
    public var source: String?
    public var published: [String]?
    public var notes: String?
    /// Where the specification was read from (not part of the file, not written out).
    public var file: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, survey, family, title, base, rows, columns, decimals, test, previous, source, published, notes
    }

    /// "Tabel 2.2" / "Figuur 2.9".
    public var name: String { "\((kind ?? .tabel) == .tabel ? "Tabel" : "Figuur") \(id)" }
    /// A key for file names and CSV: "T2.2" / "F2.9".
    public var key: String { "\((kind ?? .tabel) == .tabel ? "T" : "F")\(id)" }

    public static func load(path: String) throws -> TableSpec {
        var spec = try YAMLFile.decode(TableSpec.self, path: path, what: "table specification", kind: .spec)
        spec.file = path
        return spec
    }

    /// Every specification (*.yaml) in a folder and its subfolders, in report order.
    public static func loadAll(directory: String) throws -> [TableSpec] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw DataError(.io, SourcePosition(file: directory), "the folder of table specifications does not exist")
        }
        guard isDirectory.boolValue, let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw DataError(.io, SourcePosition(file: directory), "is not a folder: table specifications are read from a folder of .yaml files")
        }
        var specs: [TableSpec] = []
        for case let relative as String in enumerator where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
            specs.append(try load(path: directory + "/" + relative))
        }
        if specs.isEmpty {
            throw DataError(.spec, SourcePosition(file: directory), "the folder holds no table specifications (.yaml files)")
        }
        return specs.sorted(by: reportOrder)
    }

    /// Ambtsdragers before medewerkers, then by chapter.section number, tables before figures.
    public static func reportOrder(_ a: TableSpec, _ b: TableSpec) -> Bool {
        if a.survey != b.survey { return a.survey < b.survey }
        let na = a.id.split(separator: ".").map { Int($0) ?? 0 }, nb = b.id.split(separator: ".").map { Int($0) ?? 0 }
        if na != nb { return na.lexicographicallyPrecedes(nb) }
        return (a.kind ?? .tabel).rawValue > (b.kind ?? .tabel).rawValue
    }

    /// Checks the specification against the survey's codebook: variables, levels and filter codes exist.
    public func check(against codebook: Codebook) throws {
        let where_ = SourcePosition(file: file ?? key)
        func levels(of name: String) throws -> [String]? {
            if let v = codebook.variable(name) {
                switch v.type {
                case .categorical, .binary: return codebook.levelCodes(of: name)
                default: return nil
                }
            }
            if codebook.derivedVariable(name) != nil { return codebook.levelCodes(of: name) }
            throw DataError(.spec, where_, "\(name) is not a variable of the \(codebook.survey) codebook")
        }
        for (variable, codes) in base.filter ?? [:] {
            if let known = try levels(of: variable) {
                for code in codes where !known.contains(code) {
                    throw DataError(.spec, where_, "base filter: \(variable) has no code \"\(code)\" (codes: \(known.joined(separator: ", ")))")
                }
            }
        }
        for row in rows {
            if [.frame, .rate].contains(row.statistic) != (row.frame != nil) {
                throw DataError(.spec, where_, "row \(row.key): a `frame` file goes with statistic frame or rate, and they need one")
            }
            if row.name != nil, rows.filter({ $0.key == row.key }).count > 1 {
                throw DataError(.spec, where_, "row key \(row.key) is used by two rows")
            }
            let known = try levels(of: row.variable)
            for code in (row.levels ?? []) + (row.exclude ?? []) where known.map({ !$0.contains(code) }) ?? false {
                throw DataError(.spec, where_, "row \(row.variable): no code \"\(code)\" (codes: \(known!.joined(separator: ", ")))")
            }
        }
        for block in columns {
            guard let by = block.by else { continue }
            let known = try levels(of: by)
            for code in block.levels ?? [] where known.map({ !$0.contains(code) }) ?? false {
                throw DataError(.spec, where_, "column \(by): no code \"\(code)\" (codes: \(known!.joined(separator: ", ")))")
            }
        }
        if rows.isEmpty { throw DataError(.spec, where_, "a table needs at least one row") }
        if columns.isEmpty { throw DataError(.spec, where_, "a table needs at least one column block (`- total`)") }
    }
}

extension TableSpec {
    /// The variables the table reads: rows, column blocks and base filters (derived ones by name).
    public var variables: Set<String> {
        var names = Set(rows.map(\.variable))
        for block in columns { if let by = block.by { names.insert(by) } }
        for key in (base.filter ?? [:]).keys { names.insert(key) }
        return names
    }
}

extension Codebook {
    /// The codebook variables behind `names`: each name, and for a derived variable the variables it is
    /// derived from, recursively.
    public func sources(of names: Set<String>) -> Set<String> {
        var out = Set<String>()
        var pending = Array(names)
        while let name = pending.popLast() {
            guard out.insert(name).inserted else { continue }
            guard let d = derivedVariable(name) else { continue }
            pending += d.sourceNames
        }
        return out
    }
}
