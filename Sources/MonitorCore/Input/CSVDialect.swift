/// Text encoding of an input file.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}

/// What the user asked for: a fixed encoding, or detect (valid UTF-8, else Windows-1252).
public enum EncodingChoice: Sendable, Equatable {
    case auto
    case fixed(TextEncoding)

    /// Parses `auto`, `utf-8`/`utf8`, `windows-1252`/`cp1252`/`latin1`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .fixed(.utf8)
        case "windows-1252", "cp1252", "win1252", "latin1", "latin-1", "iso-8859-1": self = .fixed(.windows1252)
        default: return nil
        }
    }
}

/// Options for reading a CSV file: delimiter (or detect it), encoding (or detect it), and
/// whether numbers may use a decimal comma (default: when the delimiter is `;`).
public struct CSVOptions: Sendable, Equatable {
    public var delimiter: UInt8?
    public var encoding: EncodingChoice
    public var decimalComma: Bool?

    public init(delimiter: UInt8? = nil, encoding: EncodingChoice = .auto, decimalComma: Bool? = nil) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.decimalComma = decimalComma
    }

    /// Parses a `--delimiter` argument: `,` `;` `tab` `\t` or any single ASCII character.
    public static func delimiter(fromArgument text: String) -> UInt8? {
        switch text {
        case "tab", "\\t", "\t": return 9
        case "comma": return UInt8(ascii: ",")
        case "semicolon": return UInt8(ascii: ";")
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] < 128, bytes[0] != UInt8(ascii: "\""),
                  bytes[0] != 10, bytes[0] != 13 else { return nil }
            return bytes[0]
        }
    }
}

/// The dialect found for one file.
public struct CSVDialect: Sendable, Equatable {
    public var delimiter: UInt8
    public var encoding: TextEncoding
    public var decimalComma: Bool
    public var hadByteOrderMark: Bool

    public var delimiterName: String {
        switch delimiter {
        case 9: return "tab"
        case UInt8(ascii: ","): return "comma"
        case UInt8(ascii: ";"): return "semicolon"
        default: return "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// Detects the delimiter from the header line: the most frequent of `,` `;` and tab outside quotes.
    /// A header with none of them is a one-column file (comma).
    static func detectDelimiter(headerLine: UnsafeRawBufferPointer) -> UInt8 {
        var counts = (comma: 0, semicolon: 0, tab: 0)
        var inQuotes = false
        for byte in headerLine {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            switch byte {
            case UInt8(ascii: ","): counts.comma += 1
            case UInt8(ascii: ";"): counts.semicolon += 1
            case 9: counts.tab += 1
            default: break
            }
        }
        if counts.semicolon > counts.comma && counts.semicolon >= counts.tab { return UInt8(ascii: ";") }
        if counts.tab > counts.comma && counts.tab > counts.semicolon { return 9 }
        return UInt8(ascii: ",")
    }
}

/// Decoding bytes to text: strict UTF-8 validation, and Windows-1252 (the encoding of Dutch Excel/SPSS exports).
public enum TextDecoding {
    public static func isValidUTF8<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    public static func decode<C: Collection>(_ bytes: C, as encoding: TextEncoding) -> String where C.Element == UInt8 {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(windows1252Scalar(b)) }
            return String(scalars)
        }
    }

    /// Windows-1252: Latin-1 except 0x80-0x9F, which hold typographic characters (euro, quotes, dashes).
    static func windows1252Scalar(_ b: UInt8) -> Unicode.Scalar {
        if b < 0x80 || b >= 0xA0 { return Unicode.Scalar(b) }
        let table: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        return Unicode.Scalar(table[Int(b - 0x80)])!
    }
}
