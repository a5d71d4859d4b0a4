#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the bytes come from: a file path or standard input (`-`).
public enum InputSource: Sendable, Equatable {
    case file(String)
    case standardInput

    public init(argument: String) {
        self = argument == "-" ? .standardInput : .file(argument)
    }

    /// The name used in messages.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        }
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
        case .file(let path):
            let opened = open(path, O_RDONLY)
            if opened < 0 {
                let reason = String(cString: strerror(errno))
                throw DataError(.io, SourcePosition(file: path), "cannot open file: \(reason)")
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
    guard case .file(let path) = source else { return nil }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
}
