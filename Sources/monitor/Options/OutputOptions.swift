import ArgumentParser
import Foundation
import MonitorCore

/// Where results go: standard output, or a file written atomically (never over an input).
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the result to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: [.short, .long], help: "Print no notes or progress on standard error.")
    var quiet = false

    /// The file to write, or nil for standard output (no --output, or `--output -`).
    var path: String? { output.fileTarget }

    /// Writes `text` to the output, refusing to overwrite any of `inputs`.
    func write(_ text: String, inputs: [InputSource]) throws {
        guard let output = path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try AtomicFile.write(Data(text.utf8), to: output, protecting: inputs)
    }
}

extension Optional where Wrapped == String {
    /// An --output value as a file path: nil for standard output, which `-` names as it does for input.
    var fileTarget: String? { self == "-" ? nil : self }
}

enum AtomicFile {
    /// Writes to a temporary file beside `path` and renames it into place, so a reader never sees a
    /// half-written file. Refuses when `path` is one of the inputs.
    static func write(_ data: Data, to path: String, protecting inputs: [InputSource]) throws {
        let target = URL(fileURLWithPath: try checkTarget(path, protecting: inputs))
        let directory = target.deletingLastPathComponent().path
        let temporary = directory + "/.\(target.lastPathComponent).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw DataError(.io, SourcePosition(file: path), "cannot write to \(directory)")
        }
        if rename(temporary, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DataError(.io, SourcePosition(file: path), "cannot replace the file: \(reason)")
        }
    }

    /// The resolved target path, after checking it is not an input and its folder exists.
    static func checkTarget(_ path: String, protecting inputs: [InputSource]) throws -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        for input in inputs.compactMap(\.protectedPath) {
            let source = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
            if source.path == target.path || sameFile(source.path, target.path) {
                throw UsageError("\(path) is an input file; refusing to overwrite the input")
            }
        }
        let directory = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(.io, SourcePosition(file: path), "the folder \(directory) does not exist")
        }
        return target.path
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
