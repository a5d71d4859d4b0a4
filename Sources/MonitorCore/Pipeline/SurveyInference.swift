/// Which survey a respondent file belongs to, decided the same way by every command: `--survey`, else the
/// mapping file's `survey:`, else the codebook that recognises the file's columns (after the map's renames).
public enum SurveyInference {
    public static let surveys = ["ambtsdragers", "medewerkers"]

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
        for name in surveys {
            let codebook = try BundledData.codebook(name)
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
