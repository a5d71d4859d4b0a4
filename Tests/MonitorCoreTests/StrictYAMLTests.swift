import Foundation
import Testing
@testable import MonitorCore

/// Mapping files, codebooks, table specifications and weighting schemes reject unknown keys and values of
/// the wrong kind, naming the file, line and key.
@Suite("strict YAML data files")
struct StrictYAMLTests {
    func file(_ text: String, name: String = "data.yaml") -> String { Fixtures.temporary(Array(text.utf8), name: name) }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("an unknown key in a mapping file: file, line and the key it was meant to be")
    func unknownMapKey() throws {
        let path = file("survey: ambtsdragers\nrename: {Q1: functie}\nmissings: {\"98\": weet_niet}\n", name: "map.yaml")
        #expect(message { _ = try ExportMap.load(path: path) }
                == "\(path), line 3: unknown key \"missings\" at the top level (did you mean \"missing\"?)")
    }

    @Test("an unknown key deeper down lists the known keys when none is close")
    func unknownNestedKey() throws {
        let yaml = """
            survey: t
            label: T
            missing: [{code: "", label: Niet ingevuld}]
            variables:
              - {name: id, type: id, label: R}
              - name: score
                type: numeric
                label: S
                decimal: comma
            """
        #expect(message { _ = try Codebook.parse(yaml: yaml, file: "t.yaml") }
                == "t.yaml, line 9: unknown key \"decimal\" in variables[1] (known keys: integer, label, name, question, range, required, type, values)")
    }

    @Test("a value of the wrong kind names the key, the file and the line")
    func typeMismatch() throws {
        let yaml = """
            survey: t
            label: T
            missing: [{code: "", label: Niet ingevuld}]
            variables:
              - {name: id, type: id, label: R}
              - {name: q, type: categorical, label: Q, values: gemeente}
            """
        #expect(message { _ = try Codebook.parse(yaml: yaml, file: "t.yaml") }
                == "t.yaml, line 6: variables[1].values: expected a list, found the value \"gemeente\"")
        #expect(message { _ = try Codebook.parse(yaml: yaml.replacingOccurrences(of: "type: id", with: "type: identifier"), file: "t.yaml") }
            .hasPrefix("t.yaml, line 5: variables[0].type: "))
        let map = file("recode: [a, b]\n", name: "map.yaml")
        #expect(message { _ = try ExportMap.load(path: map) } == "\(map), line 1: recode: expected a mapping (key: value lines), found a list")
    }

    @Test("table specifications and weighting schemes are strict too; the bundled ones load")
    func specsAndSchemes() throws {
        let scheme = file("name: s\nmethod: poststratify\nframe: f.csv\nbase_wieght: w\n", name: "scheme.yaml")
        #expect(message { _ = try WeightingScheme.load(path: scheme) }
                == "\(scheme), line 4: unknown key \"base_wieght\" at the top level (did you mean \"base_weight\"?)")
        let spec = file("id: \"9.1\"\nsurvey: ambtsdragers\nfamily: prevalence\ntitle: T\nbase: {label: b}\nrows: []\ncolumns: [total, {by: geslacht, lable: G}]\n",
                        name: "T9.1.yaml")
        #expect(message { _ = try TableSpec.load(path: spec) }
                == "\(spec), line 7: unknown key \"lable\" in columns[1] (did you mean \"label\"?)")
        #expect(try TableSpec.loadAll(directory: Fixtures.data("tables")).count >= 60)
        for name in ["ambtsdragers", "ambtsdragers-populatie", "medewerkers"] {
            _ = try WeightingScheme.load(path: Fixtures.data("schemes/\(name).yaml"))
        }
        _ = try ExportMap.load(path: Fixtures.data("maps/example-spss-export.yaml"))
        _ = try Codebook.load(path: Fixtures.data("codebook/ambtsdragers.yaml"))
        _ = try Codebook.load(path: Fixtures.data("codebook/medewerkers.yaml"))
    }
}
