import ArgumentParser
import Foundation
import MonitorCore

extension Monitor {
    /// `monitor map --init FILE --survey S [-o map.yaml]`
    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a mapping file (YAML) for an export: its names and value labels against the codebook.",
            discussion: """
            Reads the file's variable names and labels, and for an SPSS file (.sav, .zsav) its value labels and \
            user-missing definitions, and matches them against the survey's codebook: names exactly, then without \
            case, then by variable label; codes by value label against the codebook's labels; missing codes from \
            the user-missing values' labels (survey-wide where every variable agrees). What it cannot match is a \
            `# TODO: no match for ...` comment. Check the draft, then validate it with `monitor describe --map`.

            Examples:
              monitor map --init export.sav --survey ambtsdragers -o map.yaml
              monitor describe export.sav --survey ambtsdragers --map map.yaml
            """
        )

        @Option(name: .customLong("init"), help: ArgumentHelp("The export to draft a mapping for (.sav, .zsav or CSV).", valueName: "file"))
        var file: String

        @Option(help: ArgumentHelp("The survey: ambtsdragers, medewerkers, or a codebook .yaml file.", valueName: "survey"))
        var survey: String

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let source = InputSource(argument: file)
            let codebook = try BundledData.codebook(survey)
            let reader = CSVReader(options: try input.csvOptions(),
                                   progress: Terminal.progress(label: "reading \(source.displayName)", quiet: output.quiet))
            let table = try reader.read(source, columns: .all)
            let dictionary: SAVDictionary?
            if SAVFile.isSAV(source), let path = source.readablePath {
                dictionary = try SAVDictionary.read(path: path, encoding: try input.csvOptions().encoding)
            } else {
                dictionary = nil
            }
            let draft = MapDraft(codebook: codebook, survey: survey, source: file)
            let (text, todos) = draft.yaml(for: MapDraft.fileVariables(table, dictionary: dictionary))
            try output.write(text, guarding: GuardedPath.data(file) + GuardedPath.codebook(survey))
            Terminal.note("\(table.header.count) variables read from \(source.displayName); \(todos) TODO\(todos == 1 ? "" : "s") left in the draft", quiet: output.quiet)
        }
    }
}
