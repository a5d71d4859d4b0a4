import Foundation
import MonitorCore

/// The files a command reads, each named by its option, that its outputs may not replace (`OutputWriter`).
/// Every builder is best-effort: a file that cannot be found here is reported by the command that reads it.
extension GuardedPath {
    /// The respondent file argument (`-`, standard input, is no file).
    static func data(_ file: String?, name: String = "the data file") -> [GuardedPath] {
        guard let file, file != "-" else { return [] }
        return [GuardedPath(name, file)]
    }

    /// The mapping file of `--map`.
    static func map(_ input: InputOptions) -> [GuardedPath] {
        input.map.map { [GuardedPath("--map", $0)] } ?? []
    }

    /// A survey's codebook: the file `--survey` names, or the bundled codebook of a survey name.
    static func codebook(_ survey: String?) -> [GuardedPath] {
        guard let survey else { return [] }
        if survey.hasSuffix(".yaml") || survey.hasSuffix(".yml") || survey.contains("/") { return [GuardedPath("--survey", survey)] }
        guard let path = try? BundledData.path("codebook/\(survey).yaml") else { return [] }
        return [GuardedPath("the \(survey) codebook", path)]
    }

    /// A weighting scheme (`--scheme` file or bundled name) and the frames it names.
    static func scheme(_ name: String?, option: String = "--scheme") -> [GuardedPath] {
        guard let name, let (path, folder) = try? SchemeLocator.schemePath(name) else { return [] }
        var out = [GuardedPath(option, path)]
        if let scheme = try? WeightingScheme.load(path: path) {
            for file in scheme.frameFiles {
                if let frame = try? SchemeLocator.framePath(file, schemeFolder: folder) {
                    out.append(GuardedPath("the frame of \(option) \(name)", frame))
                }
            }
        }
        return out
    }

    /// Files given with a repeatable option (`--margin`) or a single one (`--frame`).
    static func files(_ paths: [String], option: String) -> [GuardedPath] {
        paths.map { GuardedPath(option, $0) }
    }

    /// A folder of table specifications and the specification files in it.
    static func specs(_ directory: String, option: String, specs: [TableSpec]) -> [GuardedPath] {
        [GuardedPath(option, directory)] + specs.compactMap { spec in spec.file.map { GuardedPath(option, $0) } }
    }
}

extension GuardedPath {
    /// The inputs of `monitor estimate` and `monitor test`: the data, map, codebook, scheme and frame (without --survey or
    /// --scheme, the bundled codebooks and schemes the file may be weighted with).
    static func analysis(file: String, analysis: AnalysisOptions, design: DesignOptions, input: InputOptions) -> [GuardedPath] {
        data(file) + map(input) + (analysis.survey.map { codebook($0) } ?? SurveyInference.surveys.flatMap { codebook($0) })
            + (design.scheme.map { scheme($0) } ?? SurveyInference.surveys.flatMap { scheme($0, option: "the bundled scheme") })
            + files(design.frame.map { [$0] } ?? [], option: "--frame")
    }
}

extension GuardedPath {
    /// The inputs of `monitor tables` and `monitor report`: the specifications (`--specs` or the bundled catalogue),
    /// the data (FILE or the bundled files), the map, the codebooks and the scheme (given or each survey's own).
    static func tables(file: String?, survey: String?, specs: String?, folder: String, catalogue: [TableSpec], scheme: String?,
                       input: InputOptions) -> [GuardedPath] {
        let surveys = survey.map { [$0] } ?? SurveyInference.surveys
        var out = GuardedPath.specs(folder, option: specs == nil ? "the bundled catalogue" : "--specs", specs: catalogue)
            + data(file) + map(input) + surveys.flatMap { codebook($0) }
            + (scheme.map { GuardedPath.scheme($0) } ?? surveys.flatMap { GuardedPath.scheme($0, option: "the bundled scheme") })
        if file == nil {
            for name in surveys {
                if let path = try? BundledData.respondentFile(survey: name) { out.append(GuardedPath("the bundled data", path)) }
            }
        }
        return out
    }
}
