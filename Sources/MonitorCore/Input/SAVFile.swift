import CReadStat
import Foundation

/// SPSS system files (`.sav`, and `.zsav` with compressed blocks), recognised by their magic number
/// (`$FL2`, `$FL3`), never by the name. Read and written through ReadStat (Debian's `libreadstat-dev`,
/// wrapped as the system-library target `CReadStat`).
public enum SAVFile {
    /// Whether `source` is a regular file starting with `$FL2` or `$FL3`. Standard input is never sniffed
    /// (its first bytes cannot be put back); `monitor weigh` spools it to a file first.
    public static func isSAV(_ source: InputSource) -> Bool {
        guard let path = source.readablePath else { return false }
        let fd = open(path, O_RDONLY)
        if fd < 0 { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard read(fd, &magic, 4) == 4 else { return false }
        return magic == Array("$FL2".utf8) || magic == Array("$FL3".utf8)
    }

    /// The text a value becomes in a `RawTable`: what an SPSS export to CSV writes for it (values, not labels).
    /// Whole numbers without a decimal point, others in the shortest form that reads back as the same double;
    /// system-missing is the empty cell.
    public static func text(_ x: Double) -> String {
        if x.isNaN { return "" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return x.description
    }

    /// A ReadStat error as text, with the detail its error handler gave.
    static func message(_ code: readstat_error_t, detail: String?) -> String {
        let base = String(cString: readstat_error_message(code))
        if let detail, !detail.isEmpty { return "\(base) (\(detail.trimmingCharacters(in: .whitespacesAndNewlines)))" }
        return base
    }
}

/// The dictionary of an SPSS file: its variables with labels, types, formats and missing definitions, the
/// value label sets, the file label and notes. Everything `monitor weigh` keeps when it adds a variable.
public struct SAVDictionary: Sendable, Equatable {
    public enum Value: Sendable, Hashable {
        case number(Double)
        case text(String)

        /// The value as text, as a `RawTable` holds it.
        public var text: String {
            switch self {
            case .number(let x): return SAVFile.text(x)
            case .text(let s): return s
            }
        }
    }

    /// A user-missing definition: a value, or a numeric range (`LO THRU HI`).
    public enum Missing: Sendable, Equatable {
        case value(Value)
        case range(Double, Double)

        public func contains(_ value: Value) -> Bool {
            switch (self, value) {
            case (.value(let v), _): return v == value
            case (.range(let lo, let hi), .number(let x)): return x >= lo && x <= hi
            default: return false
            }
        }
    }

    public struct ValueLabel: Sendable, Equatable {
        public var value: Value
        public var label: String
        public init(value: Value, label: String) {
            self.value = value
            self.label = label
        }
    }

    public struct LabelSet: Sendable, Equatable {
        public var name: String
        public var isString: Bool
        public var labels: [ValueLabel]
        public init(name: String, isString: Bool, labels: [ValueLabel]) {
            self.name = name
            self.isString = isString
            self.labels = labels
        }
    }

    public struct Variable: Sendable, Equatable {
        public var name: String
        public var label: String
        public var isString: Bool
        /// Bytes of a string variable (up to 32767); 0 for a number.
        public var width: Int
        /// SPSS print format, e.g. `F8.2` or `A40` (empty: the writer's default).
        public var format: String
        /// ReadStat's measure (0 unknown, 1 nominal, 2 ordinal, 3 scale) and alignment (0 unknown, 1 left, 2 centre, 3 right).
        public var measure: UInt32
        public var alignment: UInt32
        public var displayWidth: Int
        /// The name of its value label set, if it has labels.
        public var labelSet: String?
        public var missing: [Missing]

        public init(name: String, label: String = "", isString: Bool = false, width: Int = 0, format: String = "",
                    measure: UInt32 = 0, alignment: UInt32 = 0, displayWidth: Int = 0, labelSet: String? = nil,
                    missing: [Missing] = []) {
            self.name = name
            self.label = label
            self.isString = isString
            self.width = width
            self.format = format
            self.measure = measure
            self.alignment = alignment
            self.displayWidth = displayWidth
            self.labelSet = labelSet
            self.missing = missing
        }
    }

    public var variables: [Variable]
    public var labelSets: [LabelSet]
    public var fileLabel: String
    public var notes: [String]
    /// Cases, as the file's header states (-1 when it does not).
    public var rowCount: Int
    /// ReadStat's compression: 0 none, 1 rows (`.sav`), 2 binary (`.zsav`).
    public var compression: UInt32

    public init(variables: [Variable], labelSets: [LabelSet] = [], fileLabel: String = "", notes: [String] = [],
                rowCount: Int = -1, compression: UInt32 = 1) {
        self.variables = variables
        self.labelSets = labelSets
        self.fileLabel = fileLabel
        self.notes = notes
        self.rowCount = rowCount
        self.compression = compression
    }

    /// The value labels of a variable (empty when it has none).
    public func labels(of variable: Variable) -> [ValueLabel] {
        guard let name = variable.labelSet else { return [] }
        return labelSets.first { $0.name == name }?.labels ?? []
    }

    /// Reads the dictionary of an SPSS file (no data).
    public static func read(path: String, encoding: EncodingChoice = .auto) throws(DataError) -> SAVDictionary {
        let context = DictionaryContext()
        let parser = readstat_parser_init()!
        defer { readstat_parser_free(parser) }
        SAVDictionary.installHandlers(parser, encoding: encoding)
        // Stop at the first value: only the dictionary is wanted.
        readstat_set_value_handler(parser) { _, _, _, _ in Int32(READSTAT_HANDLER_ABORT) }
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var box = unmanaged.toOpaque()
        let code = readstat_parse_sav(parser, path, &box)
        if code != READSTAT_OK && code != READSTAT_ERROR_USER_ABORT {
            throw DataError(.io, SourcePosition(file: path), "cannot read the SPSS file: \(SAVFile.message(code, detail: context.error))")
        }
        return context.dictionary
    }

    /// Metadata, variable, value label, note and error handlers that fill a `DictionaryContext` passed as the
    /// parser's context (or as the first field of a value-reading state: see `SAVReader`).
    static func installHandlers(_ parser: UnsafeMutablePointer<readstat_parser_t>, encoding: EncodingChoice) {
        switch encoding {
        case .auto: break
        case .fixed(.utf8): readstat_set_file_character_encoding(parser, "UTF-8")
        case .fixed(.windows1252): readstat_set_file_character_encoding(parser, "WINDOWS-1252")
        }
        readstat_set_metadata_handler(parser) { metadata, ctx in
            let c = DictionaryContext.from(ctx)
            c.dictionary.rowCount = Int(readstat_get_row_count(metadata))
            c.dictionary.compression = readstat_get_compression(metadata).rawValue
            if let label = readstat_get_file_label(metadata) { c.dictionary.fileLabel = String(cString: label) }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_note_handler(parser) { _, note, ctx in
            if let note { DictionaryContext.from(ctx).dictionary.notes.append(String(cString: note)) }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_value_label_handler(parser) { set, value, label, ctx in
            let c = DictionaryContext.from(ctx)
            let name = String(cString: set!)
            let isString = readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING
            let entry = ValueLabel(value: SAVDictionary.value(value), label: label.map { String(cString: $0) } ?? "")
            if let i = c.setIndex[name] {
                c.dictionary.labelSets[i].labels.append(entry)
            } else {
                c.setIndex[name] = c.dictionary.labelSets.count
                c.dictionary.labelSets.append(LabelSet(name: name, isString: isString, labels: [entry]))
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_variable_handler(parser) { _, variable, labels, ctx in
            let c = DictionaryContext.from(ctx)
            c.dictionary.variables.append(SAVDictionary.variable(variable!, labelSet: labels.map { String(cString: $0) }))
            return c.keep?(c.dictionary.variables.count - 1) ?? Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_error_handler(parser) { message, ctx in
            if let message { DictionaryContext.from(ctx).error = String(cString: message) }
        }
    }

    static func value(_ value: readstat_value_t) -> Value {
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            return .text(readstat_string_value(value).map { String(cString: $0) } ?? "")
        }
        if readstat_value_is_system_missing(value) != 0 { return .number(.nan) }
        return .number(readstat_double_value(value))
    }

    static func variable(_ v: UnsafeMutablePointer<readstat_variable_t>, labelSet: String?) -> Variable {
        let isString = readstat_variable_get_type_class(v) == READSTAT_TYPE_CLASS_STRING
        var missing: [Missing] = []
        for i in 0..<readstat_variable_get_missing_ranges_count(v) {
            let lo = value(readstat_variable_get_missing_range_lo(v, i))
            let hi = value(readstat_variable_get_missing_range_hi(v, i))
            if lo == hi {
                missing.append(.value(lo))
            } else if case .number(let a) = lo, case .number(let b) = hi {
                missing.append(.range(a, b))
            }
        }
        return Variable(name: String(cString: readstat_variable_get_name(v)),
                        label: readstat_variable_get_label(v).map { String(cString: $0) } ?? "",
                        isString: isString, width: isString ? Int(readstat_variable_get_storage_width(v)) : 0,
                        format: readstat_variable_get_format(v).map { String(cString: $0) } ?? "",
                        measure: readstat_variable_get_measure(v).rawValue,
                        alignment: readstat_variable_get_alignment(v).rawValue,
                        displayWidth: Int(readstat_variable_get_display_width(v)),
                        labelSet: labelSet, missing: missing)
    }
}

/// What the dictionary handlers fill (one object per parse, reached through the parser's context).
final class DictionaryContext {
    var dictionary = SAVDictionary(variables: [])
    var setIndex: [String: Int] = [:]
    var error: String?
    /// Decides, per variable index, whether its values are read (READSTAT_HANDLER_OK) or skipped.
    var keep: ((Int) -> Int32)?
    var progress: ((Double) -> Void)?

    /// The context is either this object or a value state whose first field points to it.
    static func from(_ ctx: UnsafeMutableRawPointer?) -> DictionaryContext {
        let raw = ctx.unsafelyUnwrapped.load(as: UnsafeMutableRawPointer.self)
        return Unmanaged<DictionaryContext>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// Files read as SPSS files number their records as cases: a position's line 1 is the dictionary and line
/// n + 1 is case n (the `LineIndex` of a `.sav` starts its data on line 2, as a CSV does).
enum CaseNumbering {
    nonisolated(unsafe) private static var files: Set<String> = []
    private static let lock = NSLock()

    static func register(_ file: String) {
        lock.lock()
        files.insert(file)
        lock.unlock()
    }

    static func isCaseFile(_ file: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return files.contains(file)
    }
}

extension SourcePosition {
    /// `data.sav, case 17, variable "ernst", value "8"` (line 1, the dictionary, names no case).
    var caseDescription: String {
        var parts = [file]
        if let line, line > 1 { parts.append("case \(line - 1)") }
        if let columnName { parts.append("variable \"\(columnName)\"") } else if let column { parts.append("variable \(column)") }
        if let value { parts.append("value \"\(SourcePosition.shorten(value))\"") }
        return parts.joined(separator: ", ")
    }
}
