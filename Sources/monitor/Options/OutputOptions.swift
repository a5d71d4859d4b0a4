import ArgumentParser
import Foundation
import MonitorCore

/// Where results go: standard output, or a file (`OutputWriter`: a regular file replaced atomically, a device or
/// pipe written in place, never over an input of the command). Every command that writes results takes these.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the result to this file instead of standard output ('-'): a regular file is replaced atomically, a device or pipe written in place; never an input.", valueName: "file"))
    var output: String?

    @Flag(name: [.short, .long], help: "Print no notes or progress on standard error.")
    var quiet = false

    func validate() throws {
        if output?.isEmpty == true { throw ValidationError("--output: the output path is empty: give a file name, or - for standard output") }
    }

    /// The file to write, or nil for standard output (no --output, or `--output -`).
    var path: String? { output == "-" ? nil : output }

    /// Checks the target now (before a long computation): refuses an input, a folder, a missing folder.
    @discardableResult
    func check(guarding inputs: [GuardedPath]) throws -> OutputWriter.Target {
        try OutputWriter.check(path, guarding: inputs)
    }

    /// Opens the output for streaming.
    func writer(guarding inputs: [GuardedPath]) throws -> OutputWriter {
        try OutputWriter(path: path, guarding: inputs)
    }

    /// Writes `text` to the output, refusing to overwrite any of `inputs`.
    func write(_ text: String, guarding inputs: [GuardedPath]) throws {
        try OutputWriter.write(Data(text.utf8), to: path, guarding: inputs)
    }

    func write(_ data: Data, guarding inputs: [GuardedPath]) throws {
        try OutputWriter.write(data, to: path, guarding: inputs)
    }

    /// This output as a path the command's other outputs may not share.
    var guardedPath: [GuardedPath] { path.map { [GuardedPath("--output", $0, isOutput: true)] } ?? [] }
}
