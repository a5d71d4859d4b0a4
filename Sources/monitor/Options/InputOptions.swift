import ArgumentParser
import MonitorCore

/// How to read the input CSV.
struct InputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Field delimiter: ',' ';' 'tab' or one character (default: detected from the header).", valueName: "char"))
    var delimiter: String?

    @Option(help: ArgumentHelp("Text encoding: auto, utf-8 or windows-1252 (default auto: UTF-8 unless invalid, then Windows-1252).", valueName: "name"))
    var encoding: String = "auto"

    @Flag(inversion: .prefixedNo, help: "Read numbers with a decimal comma (default: yes when the delimiter is ';').")
    var decimalComma: Bool?

    @Option(help: ArgumentHelp("Mapping file (YAML) that renames export columns and recodes values to the codebook.", valueName: "file"))
    var map: String?

    func csvOptions() throws -> CSVOptions {
        var options = CSVOptions()
        if let delimiter {
            guard let byte = CSVOptions.delimiter(fromArgument: delimiter) else {
                throw UsageError("--delimiter: \"\(delimiter)\" is not one character (use ',' ';' or 'tab')")
            }
            options.delimiter = byte
        }
        guard let choice = EncodingChoice(argument: encoding) else {
            throw UsageError("--encoding: \"\(encoding)\" is not one of auto, utf-8, windows-1252")
        }
        options.encoding = choice
        options.decimalComma = decimalComma
        return options
    }

    func exportMap() throws -> ExportMap? {
        try map.map { try ExportMap.load(path: $0) }
    }
}
