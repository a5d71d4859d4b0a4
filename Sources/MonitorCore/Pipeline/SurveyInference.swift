import Foundation

/// Which survey a respondent file belongs to, decided the same way by every command: `--survey`, else the
/// mapping file's `survey:`, else the codebook that recognises the file's columns (after the map's renames).
public enum SurveyInference {
    /// The surveys of the Monitor, in the report's order: the one list every command takes them from (codebook,
    /// scheme, bundled file and table folder are named after them).
    public static let surveys = ["ambtsdragers", "medewerkers", "organisaties"]
    /// "ambtsdragers, medewerkers or organisaties", for messages.
    public static var surveyList: String { surveys.dropLast().joined(separator: ", ") + " or " + surveys.last! }

    public enum Reason: String, Sendable {
        case given = "--survey"
        case map = "the mapping file"
        case columns = "the file's columns"
    }

    /// The survey and how it was decided, or nil when nothing names it and no codebook recognises the columns.
    /// A codebook recognises a file when every required variable of it is a column and it knows at least three
    /// quarters of the columns: a respondent export of the survey, not a file that shares a few names.
    /// With `loose`, a file no codebook recognises gets the codebook that knows most of its columns (any at all):
    /// `tables` and `report` need a survey.
    public static func infer(given: String?, map: ExportMap?, header: [String], loose: Bool = false) throws -> (survey: String, reason: Reason)? {
        if let given { return (given, .given) }
        if let survey = map?.survey { return (survey, .map) }
        let names = Set(header.map { map?.canonicalName($0) ?? $0 })
        var best: (name: String, known: Int, recognised: Bool)?
        for (name, codebook) in zip(surveys, try Codebooks.load(all: surveys)) {
            let known = codebook.variables.filter { names.contains($0.name) }.count
            let required = codebook.variables.filter(\.isRequired).allSatisfy { names.contains($0.name) }
            let recognised = required && known * 4 >= names.count * 3
            // A recognising codebook before one that does not; then the one that knows more columns.
            if known > 0, best.map({ (recognised && !$0.recognised) || (recognised == $0.recognised && known > $0.known) }) ?? true {
                best = (name, known, recognised)
            }
        }
        guard let best, best.recognised || loose else { return nil }
        return (best.name, .columns)
    }
}

/// Codebooks parsed once per process (a codebook's YAML takes about 15 ms to parse, a fixed cost of every command
/// that would otherwise recur: inference reads both, the pipeline then its survey's).
public enum Codebooks {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Codebook] = [:]

    /// A bundled survey's codebook or a codebook file (`BundledData.codebook`), parsed on first use.
    public static func load(_ nameOrPath: String) throws -> Codebook {
        lock.lock()
        let cached = cache[nameOrPath]
        lock.unlock()
        if let cached { return cached }
        let codebook = try BundledData.codebook(nameOrPath)
        lock.lock()
        cache[nameOrPath] = codebook
        lock.unlock()
        return codebook
    }

    /// Several codebooks, parsed concurrently.
    public static func load(all names: [String]) throws -> [Codebook] {
        let results = UnsafeMutablePointer<Result<Codebook, Error>?>.allocate(capacity: names.count)
        results.initialize(repeating: nil, count: names.count)
        defer {
            results.deinitialize(count: names.count)
            results.deallocate()
        }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: names.count) { k in slots[k] = Result { try load(names[k]) } }
        return try (0..<names.count).map { try results[$0]!.get() }
    }
}
