import Foundation

/// Drafts a mapping file (`ExportMap`, docs/codebook.md) for a researcher's export from what the file says
/// about itself: its variable names and labels, an SPSS file's value labels and user-missing definitions, and
/// the values that occur. What it cannot match is left as `# TODO: no match for ...` comments.
public struct MapDraft {
    /// One variable of the export.
    public struct FileVariable: Sendable {
        public var name: String
        public var label: String
        /// Value labels (value as the reader gives it as text → label).
        public var valueLabels: [(value: String, label: String)]
        /// User-missing definitions.
        public var missing: [SAVDictionary.Missing]
        /// The distinct values that occur (empty cell excluded).
        public var values: [String]

        public init(name: String, label: String = "", valueLabels: [(value: String, label: String)] = [],
                    missing: [SAVDictionary.Missing] = [], values: [String] = []) {
            self.name = name
            self.label = label
            self.valueLabels = valueLabels
            self.missing = missing
            self.values = values
        }

        func isMissing(_ text: String) -> Bool {
            let value: SAVDictionary.Value = Double(text).map { .number($0) } ?? .text(text)
            return missing.contains { $0.contains(value) } || missing.contains { $0 == .value(.text(text)) }
        }
    }

    public var codebook: Codebook
    public var survey: String
    public var source: String

    public init(codebook: Codebook, survey: String, source: String) {
        self.codebook = codebook
        self.survey = survey
        self.source = source
    }

    /// The file variables of a table as read (names, occurring values) with an SPSS file's dictionary, if any.
    public static func fileVariables(_ table: RawTable, dictionary: SAVDictionary?) -> [FileVariable] {
        table.header.map { name in
            var v = FileVariable(name: name)
            if let column = table.column(named: name) {
                var counts = [Int](repeating: 0, count: column.values.count)
                for row in 0..<column.codes.count { counts[column.codes[row]] += 1 }
                v.values = column.values.indices.filter { counts[$0] > 0 && !column.values[$0].trimmingSpaces().isEmpty }
                    .map { column.values[$0].trimmingSpaces() }
            }
            if let entry = dictionary?.variables.first(where: { $0.name == name }) {
                v.label = entry.label
                v.valueLabels = dictionary!.labels(of: entry).map { ($0.value.text, $0.label) }
                v.missing = entry.missing
            }
            return v
        }
    }

    /// Labels compare without case, punctuation, spaces or a parenthesised remark: "Niet van toepassing
    /// (routing)" is "niet van toepassing", "Weet ik niet" is not "Weet niet".
    static func normalized(_ label: String) -> String {
        var text = label.lowercased()
        while let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") { text.removeSubrange(open...close) }
        return String(text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The drafted YAML, and how many TODOs it holds.
    public func yaml(for variables: [FileVariable]) -> (text: String, todos: Int) {
        var todos = 0
        // 1. Names: exact, then without case, then the variable label equal to the codebook's label.
        var canonicalOf: [String: String] = [:]
        var used = Set<String>()
        for cv in codebook.variables {
            if let v = variables.first(where: { $0.name == cv.name }) {
                canonicalOf[v.name] = cv.name
                used.insert(cv.name)
            }
        }
        for cv in codebook.variables where !used.contains(cv.name) {
            let free = variables.filter { canonicalOf[$0.name] == nil }
            let byCase = free.filter { $0.name.lowercased() == cv.name.lowercased() }
            let byLabel = free.filter { !$0.label.isEmpty && MapDraft.normalized($0.label) == MapDraft.normalized(cv.label) }
            if let v = byCase.first ?? (byLabel.count == 1 ? byLabel.first : nil) {
                canonicalOf[v.name] = cv.name
                used.insert(cv.name)
            }
        }
        var out = """
            # Mapping file drafted by `monitor map --init \(source) --survey \(survey)` from the file's variable names and
            # labels, value labels and user-missing definitions. Check every line and resolve the TODOs, then validate:
            #   monitor describe \(source) --survey \(survey) --map THIS_FILE
            # Format: docs/codebook.md, section "Mapping files".
            survey: \(MapDraft.quoted(survey))

            # Export column -> canonical variable. Columns not listed keep their name.
            rename:

            """
        var renames = 0
        for v in variables {
            if let c = canonicalOf[v.name] {
                if c != v.name {
                    out += "  \(MapDraft.quoted(v.name)): \(c)\n"
                    renames += 1
                }
            } else {
                todos += 1
                out += "  # TODO: no match for file variable \(MapDraft.quoted(v.name))\(v.label.isEmpty ? "" : " (\(MapDraft.quoted(v.label)))")\n"
            }
        }
        let absent = codebook.variables.filter { !used.contains($0.name) }
        for cv in absent where cv.isRequired {
            todos += 1
            out += "  # TODO: no match for required variable \(cv.name) (\(MapDraft.quoted(cv.label)))\n"
        }
        var line = "  # not in the file (optional):"
        for name in absent.filter({ !$0.isRequired }).map(\.name) {
            if line.count + name.count > 110 {
                out += line + "\n"
                line = "  #  "
            }
            line += " \(name)"
        }
        if line.hasSuffix(":") == false { out += line + "\n" }
        if renames == 0 && todos == 0 { out = out.replacingOccurrences(of: "rename:\n", with: "rename: {}\n") }

        // 2. Missing codes from the user-missing definitions and their labels: survey-wide where every variable agrees.
        let missingCodes = codebook.missing.filter { !$0.code.isEmpty }
        let missingByLabel = Dictionary(missingCodes.map { (MapDraft.normalized($0.code), $0.code) }, uniquingKeysWith: { a, _ in a })
            .merging(missingCodes.map { (MapDraft.normalized($0.label), $0.code) }, uniquingKeysWith: { _, b in b })
        var votes: [String: Set<String>] = [:]  // export value -> missing codes it is given
        let matched = variables.filter { canonicalOf[$0.name] != nil }
        for v in matched {
            guard let cv = codebook.variable(canonicalOf[v.name]!), cv.type == .categorical || cv.type == .binary else { continue }
            for (value, label) in v.valueLabels where v.isMissing(value) {
                if let code = missingByLabel[MapDraft.normalized(label)] { votes[value, default: []].insert(code) }
            }
        }
        let surveyMissing = votes.compactMapValues { $0.count == 1 ? $0.first : nil }

        // 3. Codes per variable: label to label; user-missing values to missing codes; numbers' user-missing to empty.
        var recodes = ""
        var recodeTodos = ""
        for v in matched {
            let cv = codebook.variable(canonicalOf[v.name]!)!
            var pairs: [(String, String)] = []
            func add(_ value: String, _ code: String) {
                if !pairs.contains(where: { $0.0 == value }) { pairs.append((value, code)) }
            }
            switch cv.type {
            case .categorical, .binary:
                let codes = cv.validValues
                // A value label matches a codebook label, else a codebook code ("Lid_ab", "Gemeente").
                var byLabel = Dictionary(codes.map { (MapDraft.normalized($0.code), $0.code) }, uniquingKeysWith: { a, _ in a })
                    .merging(codes.map { (MapDraft.normalized($0.label), $0.code) }, uniquingKeysWith: { _, b in b })
                if cv.type == .binary && cv.values == nil {
                    for (label, code) in [("genoemd", "1"), ("nietgenoemd", "0"), ("yes", "1"), ("no", "0")] where byLabel[label] == nil {
                        byLabel[label] = code
                    }
                }
                let validCodes = Set(codes.map(\.code)), missingCodes = Set(codebook.missing.map(\.code))
                for (value, label) in v.valueLabels {
                    if let code = byLabel[MapDraft.normalized(label)] {
                        if code != value { add(value, code) }
                    } else if let code = missingByLabel[MapDraft.normalized(label)] {
                        if surveyMissing[value] != code && code != value { add(value, code) }
                    } else if !validCodes.contains(value) && !missingCodes.contains(value) {
                        todos += 1
                        recodeTodos += "  # TODO: no match for value \(MapDraft.quoted(value)) (\(MapDraft.quoted(label))) of \(v.name) (\(cv.name))\n"
                    }
                }
                let labelled = Set(v.valueLabels.map(\.value))
                for value in v.values where !labelled.contains(value) && !validCodes.contains(value) && !missingCodes.contains(value)
                    && surveyMissing[value] == nil {
                    todos += 1
                    recodeTodos += "  # TODO: no match for value \(MapDraft.quoted(value)) of \(v.name) (\(cv.name)): it has no label and is no code\n"
                }
            case .numeric:
                for value in Set(v.values + v.valueLabels.map(\.value)).sorted() where v.isMissing(value) { add(value, "") }
            case .id, .text:
                break
            }
            if !pairs.isEmpty {
                let entries = pairs.map { "\(MapDraft.quoted($0.0)): \(MapDraft.quoted($0.1))" }.joined(separator: ", ")
                recodes += "  \(cv.name): {\(entries)}\n"
            }
        }
        out += "\n# Canonical variable -> {export value: canonical code}. Values not listed are kept as they are.\n"
        out += recodes.isEmpty && recodeTodos.isEmpty ? "recode: {}\n" : "recode:\n" + recodes + recodeTodos
        out += "\n# Export value -> survey-wide missing code, for every categorical/binary variable, after recode.\n"
        let missingEntries = surveyMissing.sorted { $0.key < $1.key }.map { "\(MapDraft.quoted($0.key)): \($0.value)" }
        out += "missing: {\(missingEntries.joined(separator: ", "))}\n"
        return (out, todos)
    }

    /// A YAML scalar: plain when it is a name (letters, digits, `_`, starting with a letter) YAML reads as
    /// text, else double-quoted.
    static func quoted(_ text: String) -> String {
        let plain = text.range(of: "^[A-Za-z][A-Za-z0-9_]*$", options: .regularExpression) != nil
            && !["null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        if plain { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
