/// A hint for a variable or column name that is not there: the name it probably is (a suggestion, never a renaming).
public enum NameHint {
    /// `the file has a column "DADER_ANDERS" (names are case-sensitive: ...)` when a candidate differs from `name`
    /// only in case, `did you mean "x"?` when one is within three edits, else nil. `what` names the candidates
    /// ("column", "variable").
    public static func hint(for name: String, among candidates: [String], what: String = "column") -> String? {
        // Edit distance is at least the difference in length: leave out candidates that cannot be near (a hostile
        // header of long names costs nothing), then ask the reader's rule (case first, then at most three edits).
        let near = candidates.filter { $0 != name && abs($0.utf8.count - name.utf8.count) <= 12 }
        guard let match = closestName(to: name, in: near) else { return nil }
        if match.lowercased() == name.lowercased() {
            return "the file has a \(what) \"\(match)\": names are case-sensitive; rename it to \(name), or map it with a mapping file (--map)"
        }
        return "did you mean the \(what) \"\(match)\"?"
    }
}
