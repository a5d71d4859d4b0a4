import Foundation
import MonitorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file a command reads or writes, with the option (or argument) that names it: an output never replaces one.
struct GuardedPath: Equatable {
    var option: String
    var path: String
    /// Another output of the same command (else an input).
    var isOutput = false

    init(_ option: String, _ path: String, isOutput: Bool = false) {
        self.option = option
        self.path = path
        self.isOutput = isOutput
    }
}

#if canImport(Glibc)
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
private let posixWrite = Darwin.write
#endif

/// Writing an output failed. A closed pipe (`monitor tables | head -1`) ends the command quietly (exit 0);
/// any other write error is a message and exit 1.
enum OutputError: Error {
    case closedPipe
    case cannotWrite(String, reason: String)

    var message: String {
        switch self {
        case .closedPipe: return "the reader of standard output went away"
        case .cannotWrite(let name, let reason): return "cannot write \(name): \(reason)"
        }
    }
}

/// The one way a command's results leave the program: standard output, a regular file or a special file.
///
/// - Standard output (no path, `-`, or a path that is standard output itself, as `/dev/stdout`): written in place.
/// - A device, FIFO or socket (`/dev/null`, a named pipe): opened and written in place, never replaced.
/// - A regular file (or a new one): written to a temporary file in the same folder, flushed to disk (fsync), then
///   renamed over the target, so a reader sees the old file or the whole new one, never half of it.
///
/// A target that is also an input of the command or another of its outputs (by resolved path, or by device and
/// inode when it exists) is refused before anything is written: a usage error that names both options.
/// Write errors are `OutputError`s; the process ignores SIGPIPE, so a closed pipe is the error EPIPE.
final class OutputWriter {
    enum Target: Equatable {
        case standardOutput
        /// A device, FIFO or socket, written in place (truncated first when it is a regular file behind /dev or /proc).
        case special(String, truncate: Bool)
        /// A regular file (resolved path): temporary file, fsync, rename.
        case regular(String)
    }

    let target: Target
    /// The target in messages: "standard output" or the path as given.
    let name: String
    /// Bytes not yet written; callers that encode in place append here and call `flushIfFull`.
    var buffer: [UInt8] = []
    private var descriptor: Int32
    private var temporary: String?
    private var finished = false
    static let chunk = 1 << 20

    /// Opens the output: `path` nil or `-` is standard output. `option` names it in messages.
    init(path: String?, option: String = "--output", guarding: [GuardedPath] = []) throws {
        target = try Self.check(path, option: option, guarding: guarding)
        name = path.flatMap { $0 == "-" ? nil : $0 } ?? "standard output"
        switch target {
        case .standardOutput:
            descriptor = 1
        case .special(let path, let truncate):
            descriptor = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (truncate ? O_TRUNC : 0))
            if descriptor < 0 { throw OutputError.cannotWrite(name, reason: Self.reason()) }
        case .regular(let resolved):
            let url = URL(fileURLWithPath: resolved)
            let folder = url.deletingLastPathComponent().path
            var existing = stat()
            let mode = stat(resolved, &existing) == 0 ? mode_t(existing.st_mode & 0o7777) : 0o666
            var fd: Int32 = -1
            var candidate = ""
            for attempt in 0..<100 {
                candidate = folder + "/.\(url.lastPathComponent).tmp-\(getpid())" + (attempt == 0 ? "" : "-\(attempt)")
                fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
                if fd >= 0 || errno != EEXIST { break }
            }
            if fd < 0 { throw OutputError.cannotWrite(name, reason: "cannot create a file in \(folder): \(Self.reason())") }
            if existing.st_mode != 0 { _ = fchmod(fd, mode) }  // keep the replaced file's permissions (umask aside)
            descriptor = fd
            temporary = candidate
        }
        buffer.reserveCapacity(Self.chunk)
    }

    deinit { discard() }

    // MARK: writing

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        try flushIfFull()
    }

    func write(_ data: Data) throws {
        if buffer.isEmpty && data.count >= Self.chunk {
            try data.withUnsafeBytes { try writeAll($0) }
        } else {
            buffer.append(contentsOf: data)
            try flushIfFull()
        }
    }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    @inline(__always) func flushIfFull() throws {
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var address = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = posixWrite(descriptor, address, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EPIPE ? OutputError.closedPipe : OutputError.cannotWrite(name, reason: Self.reason())
            }
            address += n
            left -= n
        }
    }

    /// Writes what is buffered and, for a regular file, syncs it and renames it into place.
    func commit() throws {
        guard !finished else { return }
        try flush()
        switch target {
        case .standardOutput:
            break
        case .special:
            finished = true
            if close(descriptor) != 0 { throw OutputError.cannotWrite(name, reason: Self.reason()) }
        case .regular(let resolved):
            // Some file systems cannot sync (EINVAL); anything else is a real write error (e.g. ENOSPC, EIO).
            if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
                throw OutputError.cannotWrite(name, reason: Self.reason())
            }
            finished = true
            let closed = close(descriptor) == 0
            let reasonClosed = closed ? "" : Self.reason()
            guard closed, let temporary else {
                if let temporary { unlink(temporary) }
                throw OutputError.cannotWrite(name, reason: reasonClosed)
            }
            if rename(temporary, resolved) != 0 {
                let reason = Self.reason()
                unlink(temporary)
                throw OutputError.cannotWrite(name, reason: "cannot replace the file: \(reason)")
            }
            self.temporary = nil
            let folder = open(URL(fileURLWithPath: resolved).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
            if folder >= 0 {
                _ = fsync(folder)  // the rename itself reaches the disk (best effort)
                close(folder)
            }
        }
        finished = true
    }

    /// Gives up: removes the temporary file (a regular target is left as it was). Safe to call twice.
    func discard() {
        guard !finished else { return }
        finished = true
        switch target {
        case .standardOutput: break
        case .special: close(descriptor)
        case .regular:
            close(descriptor)
            if let temporary { unlink(temporary) }
        }
    }

    /// Writes `data` to `path` (nil or `-`: standard output) in one go.
    static func write(_ data: Data, to path: String?, option: String = "--output", guarding: [GuardedPath]) throws {
        let writer = try OutputWriter(path: path, option: option, guarding: guarding)
        try writer.write(data)
        try writer.commit()
    }

    // MARK: checking a target

    /// What `path` is as an output, after refusing an empty path, a folder, and any of `guarding`.
    static func check(_ path: String?, option: String = "--output", guarding: [GuardedPath]) throws -> Target {
        guard let path, path != "-" else { return .standardOutput }
        if path.isEmpty { throw UsageError("\(option): the output path is empty: give a file name, or - for standard output") }
        let resolved = resolve(path)
        var info = stat()
        let exists = stat(path, &info) == 0
        for other in guarding where !other.path.isEmpty && other.path != "-" {
            var otherInfo = stat()
            let same = resolve(other.path) == resolved
                || (exists && stat(other.path, &otherInfo) == 0 && otherInfo.st_dev == info.st_dev && otherInfo.st_ino == info.st_ino)
            if same {
                throw UsageError("\(option) \(path) is also \(other.option) \(other.path): refusing to overwrite "
                                 + (other.isOutput ? "another output" : "the input"))
            }
        }
        // /dev/stdout, /dev/fd/N and /proc/self/fd/N are open files of this process, not names to replace.
        let magic = path.hasPrefix("/dev/") || path.hasPrefix("/proc/")
        if exists {
            var out = stat()
            let isStandardOutput = fstat(1, &out) == 0 && out.st_dev == info.st_dev && out.st_ino == info.st_ino
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw UsageError("\(option) \(path) is a folder: give a file name")
            case S_IFREG:
                if magic { return isStandardOutput ? .standardOutput : .special(path, truncate: true) }
            default:
                return isStandardOutput ? .standardOutput : .special(path, truncate: false)
            }
        } else if magic {
            throw UsageError("\(option) \(path) does not exist (a file under /dev or /proc is not created)")
        }
        let folder = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(.io, SourcePosition(file: path), "the folder \(folder) does not exist")
        }
        return .regular(resolved)
    }

    /// An absolute path with `.`/`..` and symbolic links resolved (the target of a link is what gets replaced).
    static func resolve(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
