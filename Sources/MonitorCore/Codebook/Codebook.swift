import Foundation
import Yams

/// A code as stored in the file and its label as printed in the report.
/// `min`/`max` are used only by `bands` derivations.
public struct ValueLabel: Codable, Sendable, Equatable {
    public var code: String
    public var label: String
    public var min: Double?
    public var max: Double?

    public init(code: String, label: String, min: Double? = nil, max: Double? = nil) {
        self.code = code
        self.label = label
        self.min = min
        self.max = max
    }
}

public enum VariableType: String, Codable, Sendable {
    case id, categorical, binary, numeric, text
}

/// One column of the canonical respondent file.
public struct Variable: Codable, Sendable, Equatable {
    public var name: String
    public var type: VariableType
    public var label: String
    public var question: String?
    public var required: Bool?
    public var values: [ValueLabel]?
    public var range: [Double]?
    public var integer: Bool?

    public var isRequired: Bool { required ?? false }

    /// The valid (non-missing) values of a categorical or binary variable.
    public var validValues: [ValueLabel] {
        switch type {
        case .binary: return values ?? [ValueLabel(code: "1", label: "Ja"), ValueLabel(code: "0", label: "Nee")]
        default: return values ?? []
        }
    }
}

/// A multiple-response set ("meerdere antwoorden mogelijk"): binary items answered together.
public struct ResponseSet: Codable, Sendable, Equatable {
    public var name: String
    public var label: String
    public var question: String?
    public var items: [String]
}

/// A variable the tool computes from others. Exactly one of `recode`, `any`, `bands`, `count`, `cases`,
/// `complement` is set.
public struct DerivedVariable: Codable, Sendable, Equatable {
    public var name: String
    public var label: String
    /// Recode one categorical variable through `map` into `values`.
    public var recode: String?
    public var map: [String: String]?
    public var values: [ValueLabel]?
    /// Binary: 1 if any item is 1, 0 if all items are 0, missing otherwise.
    public var any: [String]?
    /// Numeric variable into labelled bands (`values` with inclusive `min`/`max`).
    public var bands: String?
    /// Numeric: the number of items equal to 1 (missing if every item is missing).
    public var count: [String]?
    /// Categorical: the code of the first case whose conditions all hold (variable → allowed codes), else
    /// missing (empty). Combines variables: e.g. non-victims as a category of the severity of the most recent
    /// incident (`slachtoffer: ["0"]` → `geen_incident`, then the ernst bands).
    public var cases: [Case]?
    /// Numeric: `total` minus the numeric variable named here (missing where it is missing): the offline
    /// share of a respondent's incidents is 100 minus the online share.
    public var complement: String?
    public var total: Double?

    public struct Case: Codable, Sendable, Equatable {
        public var when: [String: [String]]
        public var code: String
    }

    public enum Kind: Sendable {
        case recode(String), any([String]), bands(String), count([String]), cases([Case]), complement(String, total: Double)
    }

    public var kind: Kind? {
        let set = [recode != nil, any != nil, bands != nil, count != nil, cases != nil, complement != nil].filter { $0 }.count
        guard set == 1 else { return nil }
        if let recode { return .recode(recode) }
        if let any { return .any(any) }
        if let bands { return .bands(bands) }
        if let cases { return .cases(cases) }
        if let complement { return .complement(complement, total: total ?? 100) }
        return .count(count!)
    }

    /// The variables a derived variable is computed from (directly).
    public var sourceNames: [String] {
        switch kind {
        case .recode(let s)?, .bands(let s)?, .complement(let s, _)?: return [s]
        case .any(let items)?, .count(let items)?: return items
        case .cases(let cases)?:
            var names: [String] = []
            for c in cases { for name in c.when.keys.sorted() where !names.contains(name) { names.append(name) } }
            return names
        case nil: return []
        }
    }
}

/// The canonical variables of one survey's respondent file: names, types, values with Dutch labels,
/// missing-value codes, multiple-response sets and derived variables. Loaded from `data/codebook/*.yaml`.
public struct Codebook: Codable, Sendable, Equatable {
    public var survey: String
    public var label: String
    public var wave: Int?
    public var missing: [ValueLabel]
    public var variables: [Variable]
    public var sets: [ResponseSet]?
    public var derived: [DerivedVariable]?

    public func variable(_ name: String) -> Variable? { variables.first { $0.name == name } }
    public func derivedVariable(_ name: String) -> DerivedVariable? { derived?.first { $0.name == name } }

    /// Loads and checks a codebook file.
    public static func load(path: String) throws -> Codebook {
        let codebook = try YAMLFile.decode(Codebook.self, path: path, what: "codebook", kind: .codebook)
        try codebook.check(file: path)
        return codebook
    }

    public static func parse(yaml: String, file: String) throws -> Codebook {
        let codebook = try YAMLFile.decode(Codebook.self, text: yaml, file: file, what: "codebook", kind: .codebook)
        try codebook.check(file: file)
        return codebook
    }

    /// Structural checks: unique names and codes, sets and derivations refer to variables of the right type.
    public func check(file: String) throws(DataError) {
        func fail(_ message: String) -> DataError { DataError(.codebook, SourcePosition(file: file), message) }
        var names = Set<String>()
        let ids = variables.filter { $0.type == .id }
        if ids.count != 1 { throw fail("a codebook needs exactly one id variable, found \(ids.count)") }
        if !missing.contains(where: { $0.code.isEmpty }) { throw fail("the missing codes must include the empty code \"\"") }
        for v in variables {
            guard names.insert(v.name).inserted else { throw fail("variable \"\(v.name)\" is defined twice") }
            var codes = Set(missing.map(\.code))
            for value in v.values ?? [] {
                guard codes.insert(value.code).inserted else {
                    throw fail("variable \"\(v.name)\": code \"\(value.code)\" is defined twice (or is a missing code)")
                }
            }
            if v.type == .categorical && (v.values ?? []).isEmpty { throw fail("categorical variable \"\(v.name)\" has no values") }
            if let r = v.range, r.count != 2 || r[0] > r[1] { throw fail("variable \"\(v.name)\": range must be [low, high]") }
        }
        for set in sets ?? [] {
            for item in set.items {
                guard variable(item)?.type == .binary else {
                    throw fail("set \"\(set.name)\": item \"\(item)\" is not a binary variable of the codebook")
                }
            }
        }
        var known = Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.type) })
        for d in derived ?? [] {
            guard known[d.name] == nil else { throw fail("derived variable \"\(d.name)\" clashes with another variable") }
            guard let kind = d.kind else {
                throw fail("derived variable \"\(d.name)\" needs exactly one of recode, any, bands, count, cases, complement")
            }
            switch kind {
            case .recode(let source):
                guard known[source] == .categorical || known[source] == .binary else {
                    throw fail("derived variable \"\(d.name)\": recode source \"\(source)\" is not a categorical variable defined before it")
                }
                let targets = Set((d.values ?? []).map(\.code))
                for (from, to) in (d.map ?? [:]).sorted(by: { $0.key < $1.key }) where !targets.contains(to) {
                    throw fail("derived variable \"\(d.name)\": \"\(from)\" maps to \"\(to)\", which is not among its values")
                }
                let sourceCodes = variable(source)?.validValues.map(\.code)
                    ?? derived?.first(where: { $0.name == source })?.values?.map(\.code) ?? []
                for code in sourceCodes where d.map?[code] == nil {
                    throw fail("derived variable \"\(d.name)\": the map does not say what \"\(code)\" of \(source) becomes")
                }
                known[d.name] = .categorical
            case .any(let items), .count(let items):
                for item in items where known[item] != .binary {
                    throw fail("derived variable \"\(d.name)\": \"\(item)\" is not a binary variable defined before it")
                }
                known[d.name] = d.any != nil ? .binary : .numeric
            case .bands(let source):
                guard known[source] == .numeric else {
                    throw fail("derived variable \"\(d.name)\": bands source \"\(source)\" is not a numeric variable defined before it")
                }
                for value in d.values ?? [] where value.min == nil || value.max == nil || value.min! > value.max! {
                    throw fail("derived variable \"\(d.name)\": band \"\(value.code)\" needs min <= max")
                }
                let bands = (d.values ?? []).sorted { $0.min! < $1.min! }
                for (a, b) in zip(bands, bands.dropFirst()) where b.min! <= a.max! {
                    throw fail("derived variable \"\(d.name)\": bands \"\(a.code)\" and \"\(b.code)\" overlap")
                }
                if let range = variable(source)?.range, let first = bands.first, let last = bands.last,
                   first.min! > range[0] || last.max! < range[1] {
                    throw fail("derived variable \"\(d.name)\": the bands do not cover the range of \(source)")
                }
                known[d.name] = .categorical
            case .cases(let cases):
                let targets = Set((d.values ?? []).map(\.code))
                if cases.isEmpty { throw fail("derived variable \"\(d.name)\": cases is empty") }
                for c in cases {
                    guard targets.contains(c.code) else {
                        throw fail("derived variable \"\(d.name)\": case code \"\(c.code)\" is not among its values")
                    }
                    if c.when.isEmpty { throw fail("derived variable \"\(d.name)\": a case needs a `when` condition") }
                    for (name, codes) in c.when.sorted(by: { $0.key < $1.key }) {
                        guard let type = known[name], type == .categorical || type == .binary else {
                            throw fail("derived variable \"\(d.name)\": case condition on \"\(name)\", which is not a categorical variable defined before it")
                        }
                        let valid = (variable(name)?.validValues.map(\.code) ?? derived?.first(where: { $0.name == name }).map { v in
                            v.any != nil ? ["1", "0"] : (v.values ?? []).map(\.code)
                        } ?? []) + missing.map(\.code)
                        for code in codes where !valid.contains(code) {
                            throw fail("derived variable \"\(d.name)\": \(name) has no code \"\(code)\"")
                        }
                    }
                }
                known[d.name] = .categorical
            case .complement(let source, _):
                guard known[source] == .numeric else {
                    throw fail("derived variable \"\(d.name)\": complement source \"\(source)\" is not a numeric variable defined before it")
                }
                known[d.name] = .numeric
            }
        }
    }
}

/// A researcher's export mapping: column renames, per-variable value recodes and survey-wide missing codes.
public struct ExportMap: Codable, Sendable, Equatable {
    public var survey: String?
    public var rename: [String: String]?
    public var recode: [String: [String: String]]?
    public var missing: [String: String]?

    public init(survey: String? = nil, rename: [String: String]? = nil, recode: [String: [String: String]]? = nil,
                missing: [String: String]? = nil) {
        self.survey = survey
        self.rename = rename
        self.recode = recode
        self.missing = missing
    }

    public static func load(path: String) throws -> ExportMap {
        try YAMLFile.decode(ExportMap.self, path: path, what: "mapping file", kind: .codebook)
    }

    /// The canonical name of an export column.
    public func canonicalName(_ exportName: String) -> String { rename?[exportName] ?? exportName }

    /// The export column that holds a canonical variable, given the file's header.
    public func exportName(for canonical: String, header: [String]) -> String {
        if let rename, let export = rename.first(where: { $0.value == canonical })?.key, header.contains(export) {
            return export
        }
        return canonical
    }

    /// The canonical code of an exported value of a variable.
    /// Order: the variable's `recode`, then (categorical and binary variables only) the survey-wide `missing`.
    public func canonicalValue(_ value: String, variable: String, type: VariableType) -> String {
        if let mapped = recode?[variable]?[value] { return mapped }
        if type == .categorical || type == .binary, let mapped = missing?[value] { return mapped }
        return value
    }
}

/// Reads a YAML data file (codebook, mapping, scheme) into a Decodable type, with errors that name the file.
enum YAMLFile {
    static func decode<T: Decodable>(_ type: T.Type, path: String, what: String, kind: DataError.Kind) throws -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DataError(kind, SourcePosition(file: path), "cannot read \(what): \(error.localizedDescription)")
        }
        return try decode(type, text: text, file: path, what: what, kind: kind)
    }

    static func decode<T: Decodable>(_ type: T.Type, text: String, file: String, what: String, kind: DataError.Kind) throws -> T {
        try StrictYAML.decode(type, text: text, file: file, what: what, kind: kind)
    }
}
