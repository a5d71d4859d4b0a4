/// What a file is, from its first bytes: CSV text, or a binary format that researchers pass by mistake
/// (an SPSS or Stata data file, an Excel workbook, a compressed file).
///
///     let format = InputFormat.sniff(firstBytes)   // the first few KiB of the file (fewer is fine)
///     if format != .csv { ... }
///
/// Only formats with an unmistakable signature are recognised; everything else is `.csv` (the reader then
/// rejects a NUL byte anywhere, with its position). Short printable signatures (`$FL2`, `PAR1`) count only
/// when the bytes after them hold a NUL, so a CSV whose first column is called `PAR1` is still a CSV.
public enum InputFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    case csv
    /// SPSS system file (`$FL2`).
    case spssSav
    /// SPSS compressed system file (`$FL3`).
    case spssZsav
    /// Excel 97-2003 workbook, or another OLE2 compound document.
    case xls
    /// Excel workbook (a ZIP archive with an `xl/` folder).
    case xlsx
    /// Another ZIP archive (a zipped CSV, an OpenDocument spreadsheet).
    case zip
    case parquet
    case gzip
    case bzip2
    case xz
    case zstd
    /// Stata `.dta`, any version.
    case stata
    /// SAS data set (`.sas7bdat`).
    case sas
    /// SAS transport file (`.xpt`).
    case sasTransport
    /// UTF-16 text (Excel's "Unicode text"): a byte-order mark `FF FE` / `FE FF`, or ASCII with a NUL after every byte.
    case utf16

    /// Recognises the format from the first bytes of a file.
    public static func sniff<C: Collection>(_ bytes: C) -> InputFormat where C.Element == UInt8 {
        let b = Array(bytes.prefix(4096))
        func starts(_ magic: [UInt8]) -> Bool { b.count >= magic.count && b[0..<magic.count].elementsEqual(magic) }
        func starts(_ magic: String) -> Bool { starts(Array(magic.utf8)) }
        let hasNUL = b.contains(0)
        if starts("$FL2") && hasNUL { return .spssSav }
        if starts("$FL3") && hasNUL { return .spssZsav }
        if starts("PAR1") && hasNUL { return .parquet }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts("BZh") && b.count >= 10 && b[4..<10].elementsEqual(Array("1AY&SY".utf8)) { return .bzip2 }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .xls }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            return contains(b, "xl/") ? .xlsx : .zip
        }
        if starts("<stata_dta>") { return .stata }
        // Stata 102-115: format byte, byte order (1 or 2), file type 1, a zero.
        if b.count >= 4 && (0x66...0x73).contains(b[0]) && (b[1] == 1 || b[1] == 2) && b[2] == 1 && b[3] == 0 { return .stata }
        if b.count >= 32 && b[0..<12].allSatisfy({ $0 == 0 })
            && b[12..<32].elementsEqual([0xC2, 0xEA, 0x81, 0x60, 0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92,
                                         0x08, 0x00, 0x09, 0xC7, 0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11]) { return .sas }
        if starts("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!") { return .sasTransport }
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) { return .utf16 }
        // UTF-16 without a byte-order mark: ASCII text with a NUL after (or before) each of the first four characters.
        if b.count >= 8 {
            let even = stride(from: 0, to: 8, by: 2).map { b[$0] }, odd = stride(from: 1, to: 8, by: 2).map { b[$0] }
            func text(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 9 || $0 == 10 || $0 == 13 } }
            if (text(even) && odd.allSatisfy { $0 == 0 }) || (text(odd) && even.allSatisfy { $0 == 0 }) { return .utf16 }
        }
        return .csv
    }

    /// "an SPSS data file (.sav)": what the file is, for messages.
    public var description: String {
        switch self {
        case .csv: return "a CSV text file"
        case .spssSav: return "an SPSS data file (.sav)"
        case .spssZsav: return "a compressed SPSS data file (.zsav)"
        case .xls: return "an Excel 97-2003 workbook (.xls)"
        case .xlsx: return "an Excel workbook (.xlsx)"
        case .zip: return "a ZIP archive"
        case .parquet: return "a Parquet file"
        case .gzip: return "a gzip-compressed file"
        case .bzip2: return "a bzip2-compressed file"
        case .xz: return "an xz-compressed file"
        case .zstd: return "a zstd-compressed file"
        case .stata: return "a Stata data file (.dta)"
        case .sas: return "a SAS data set (.sas7bdat)"
        case .sasTransport: return "a SAS transport file (.xpt)"
        case .utf16: return "UTF-16 text (Excel's \"Unicode text\")"
        }
    }

    /// How to get a CSV from it.
    public var remedy: String {
        switch self {
        case .csv: return ""
        case .spssSav, .spssZsav: return "export it from SPSS as CSV (File > Export > CSV Data)"
        case .xls, .xlsx: return "save the sheet from Excel as \"CSV UTF-8 (comma delimited)\""
        case .zip, .gzip, .bzip2, .xz, .zstd: return "decompress it first (or pipe the decompressed text to '-')"
        case .parquet: return "write it as CSV first (e.g. with polars or DuckDB)"
        case .stata: return "export it from Stata as CSV (export delimited)"
        case .sas, .sasTransport: return "export it from SAS as CSV (PROC EXPORT ... DBMS=CSV)"
        case .utf16: return "save it from Excel as \"CSV UTF-8 (comma delimited)\""
        }
    }

    private static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return false }
        return (0...(bytes.count - n.count)).contains { bytes[$0..<($0 + n.count)].elementsEqual(n) }
    }
}
