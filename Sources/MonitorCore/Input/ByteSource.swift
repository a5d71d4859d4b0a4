#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the bytes come from: a file path or standard input (`-`).
public enum InputSource: Sendable, Equatable {
    case file(String)
    case standardInput
    /// Standard input, a pipe or a FIFO copied once into the temporary file `path` (`rereadable()`), so that it can be
    /// read more than once; messages name it `name` (`<stdin>`, or the path given).
    case buffered(path: String, name: String)

    public init(argument: String) {
        self = argument == "-" ? .standardInput : .file(argument)
    }

    /// The name used in messages.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        case .buffered(_, let name): return name
        }
    }

    /// The file the bytes are read from: the path given, or the temporary copy of a stream (nil: standard input
    /// not yet copied).
    public var readablePath: String? {
        switch self {
        case .file(let path), .buffered(let path, _): return path
        case .standardInput: return nil
        }
    }

    /// The path a command must not write its output to: the file given (also when buffered), nil for standard input.
    public var protectedPath: String? {
        switch self {
        case .file(let path): return path
        case .standardInput: return nil
        case .buffered(_, let name): return name == "<stdin>" ? nil : name
        }
    }

    /// A source that can be read more than once (a header peek, then the records; the records, then a copy): a
    /// regular file as it is; standard input, a pipe, a FIFO or a process substitution (`<(...)`) copied once into
    /// a temporary file, read from the same bytes every time. Call `removeBuffer()` when done.
    public func rereadable() throws(DataError) -> InputSource {
        let fd: Int32
        switch self {
        case .buffered: return self
        case .standardInput: fd = 0
        case .file(let path):
            fd = open(path, O_RDONLY)
            // Missing, unreadable or a directory: the reader says so.
            if fd < 0 { return self }
        }
        defer { if self != .standardInput { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0 && ((info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFDIR) { return self }
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((directory + "/monitor-input-XXXXXX").utf8CString)
        let out = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard out >= 0 else {
            throw DataError(.io, SourcePosition(file: displayName), "cannot buffer the input in \(directory): \(String(cString: strerror(errno)))")
        }
        defer { close(out) }
        let size = 1 << 22
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, size)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw DataError(.io, SourcePosition(file: displayName), "read failed: \(reason)")
            }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = write(out, buffer + written, n - written)
                if w < 0 && errno == EINTR { continue }
                if w <= 0 {
                    let reason = String(cString: strerror(errno))
                    unlink(path)
                    throw DataError(.io, SourcePosition(file: displayName), "cannot buffer the input in \(path): \(reason)")
                }
                written += w
            }
        }
        return .buffered(path: path, name: displayName)
    }

    /// Deletes the temporary copy of a buffered source (nothing for the others).
    public func removeBuffer() {
        if case .buffered(let path, _) = self { unlink(path) }
    }
}

/// Reads a file descriptor in fixed-size chunks into one reusable buffer (no whole-file read).
struct ChunkReader: ~Copyable {
    let fd: Int32
    let ownsDescriptor: Bool
    let buffer: UnsafeMutableRawBufferPointer
    let name: String
    /// Bytes already returned, for progress reporting.
    private(set) var consumed: Int = 0

    init(source: InputSource, chunkSize: Int = 1 << 22) throws(DataError) {
        switch source {
        case .standardInput:
            fd = 0
            ownsDescriptor = false
        case .file(let path), .buffered(let path, _):
            let opened = open(path, O_RDONLY)
            if opened < 0 {
                let reason = String(cString: strerror(errno))
                throw DataError(.io, SourcePosition(file: source.displayName), "cannot open file: \(reason)")
            }
            var info = stat()
            if fstat(opened, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                close(opened)
                throw DataError(.io, SourcePosition(file: path), "is a directory, not a CSV file")
            }
            fd = opened
            ownsDescriptor = true
        }
        name = source.displayName
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// Reads up to `count` bytes into `destination` (fewer only at the end of input).
    mutating func fill(_ destination: UnsafeMutableRawPointer, count: Int) throws(DataError) -> Int {
        var filled = 0
        while filled < count {
            let n = read(fd, destination + filled, count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw DataError(.io, SourcePosition(file: name), "read failed: \(reason)")
            }
            if n == 0 { break }
            filled += n
        }
        consumed += filled
        return filled
    }

    /// Fills the buffer; returns the number of bytes read (0 at end of input).
    mutating func next() throws(DataError) -> Int {
        try fill(buffer.baseAddress!, count: buffer.count)
    }
}

/// Size of a regular file, or nil (standard input, pipes).
public func inputSize(_ source: InputSource) -> Int? {
    let path: String
    switch source {
    case .file(let p), .buffered(let p, _): path = p
    case .standardInput: return nil
    }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
}
