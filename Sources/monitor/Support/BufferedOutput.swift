import Foundation
import MonitorCore

/// Streams bytes to standard output or to a file that appears atomically (temporary file, then rename).
final class BufferedOutput {
    private var buffer = [UInt8]()
    private let handle: FileHandle
    private let temporary: String?
    private let target: String?

    init(path: String?, protecting inputs: [InputSource]) throws {
        buffer.reserveCapacity(1 << 20)
        guard let path else {
            handle = FileHandle.standardOutput
            temporary = nil
            target = nil
            return
        }
        let resolved = try AtomicFile.checkTarget(path, protecting: inputs)
        let temp = (resolved as NSString).deletingLastPathComponent + "/.\((resolved as NSString).lastPathComponent).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: nil), let h = FileHandle(forWritingAtPath: temp) else {
            throw DataError(.io, SourcePosition(file: path), "cannot write to \((resolved as NSString).deletingLastPathComponent)")
        }
        handle = h
        temporary = temp
        target = resolved
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, moves it into place.
    func finish() throws {
        flush()
        guard let temporary, let target else { return }
        try handle.close()
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DataError(.io, SourcePosition(file: target), "cannot replace the file: \(reason)")
        }
    }

    /// Removes the temporary file after a failure.
    func abandon() {
        if let temporary { unlink(temporary) }
    }
}
