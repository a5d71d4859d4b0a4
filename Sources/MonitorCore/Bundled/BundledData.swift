import Foundation

/// Finds the project's `data/` folder (codebooks, frames, table specifications, bundled respondents).
///
/// Order: the `MONITOR_DATA` environment variable; a `data` folder beside or above the executable
/// (a build inside the checkout); the checkout this library was compiled from.
public enum BundledData {
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        func isDataDir(_ path: String) -> Bool { fm.fileExists(atPath: path + "/codebook") }
        if let explicit = environment["MONITOR_DATA"], !explicit.isEmpty { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("data").path
            if isDataDir(candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let compiled = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // .../Sources/MonitorCore/Bundled
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data").path
        return isDataDir(compiled) ? compiled : nil
    }

    /// The path of a bundled file, or an error that says how to point at the data folder.
    public static func path(_ relative: String) throws(DataError) -> String {
        guard let dir = directory() else {
            throw DataError(.io, SourcePosition(file: relative),
                            "cannot find the monitor data folder (set MONITOR_DATA to the checkout's data/ folder)")
        }
        return dir + "/" + relative
    }

    /// The bundled respondent file of a survey: the synthetic reproduction file (data/monitor-2024-<survey>.csv)
    /// when present, else the small example (data/examples/<survey>-example.csv).
    public static func respondentFile(survey: String) throws(DataError) -> String {
        let reproduction = try path("monitor-2024-\(survey).csv")
        if FileManager.default.fileExists(atPath: reproduction) { return reproduction }
        return try path("examples/\(survey)-example.csv")
    }

    /// The codebook of a survey (`ambtsdragers`, `medewerkers`), or a codebook file path.
    public static func codebook(_ nameOrPath: String) throws -> Codebook {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            return try Codebook.load(path: nameOrPath)
        }
        let path = try path("codebook/\(nameOrPath).yaml")
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(.codebook, SourcePosition(file: nameOrPath),
                            "unknown survey \"\(nameOrPath)\": expected \(SurveyInference.surveyList), or a codebook .yaml file")
        }
        return try Codebook.load(path: path)
    }
}
