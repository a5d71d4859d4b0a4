import Foundation
import MonitorCore

extension Monitor.Weigh {
    /// An SPSS input is written back as an SPSS file (same compression) with the weight variable added and
    /// every other variable, value label, variable label and missing definition kept; through the atomic
    /// writer (temporary file, then rename) as every other output.
    func writeSAV(from source: InputSource, weights: [Double], scheme: WeightingScheme, frames: [Frame],
                  guarding inputs: [GuardedPath]) throws {
        guard let path = source.readablePath else { return }
        let names = try SAVDictionary.read(path: path, encoding: try input.csvOptions().encoding).variables.map(\.name)
        if names.contains(where: { $0.lowercased() == weightName.lowercased() }) {
            throw UsageError("the file already has a variable \"\(weightName)\" (SPSS names ignore case); choose another name with --weight-name")
        }
        let method = scheme.method == .poststratify ? "post-stratificatie" : scheme.method == .rake ? "raking" : "ongewogen"
        let cells = frames.flatMap(\.variables).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let variable = SAVDictionary.Variable(
            name: weightName, label: "Weging (\(method) naar \(cells.joined(separator: " × ")); \(scheme.name))",
            format: "F12.6", measure: 3 /* scale */, alignment: 3 /* right */, displayWidth: 12)
        let out = try output.writer(guarding: inputs)
        do {
            var failure: Error?
            _ = try SAVWriter.copy(path, adding: variable, values: weights, encoding: try input.csvOptions().encoding,
                                   name: output.path ?? "<stdout>") { bytes in
                guard failure == nil else { return }
                do { try out.write(bytes) } catch { failure = error }
            }
            if let failure { throw failure }
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
    }
}
