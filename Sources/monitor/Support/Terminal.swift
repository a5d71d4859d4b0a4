import Foundation
import MonitorCore

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A mistake in how the command was called (exit status 2).
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

enum Terminal {
    /// Writes to standard error (unbuffered). A message that cannot be written (standard error closed or full)
    /// is dropped: there is nowhere left to say so, and it must not crash the command.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            guard var address = buffer.baseAddress else { return }
            var left = buffer.count
            while left > 0 {
                let n = systemWrite(2, address, left)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                address += n
                left -= n
            }
        }
    }

    static func error(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            write((i == 0 ? "monitor: error: " : "  ") + line + "\n")
        }
    }

    static func note(_ text: String, quiet: Bool) {
        if !quiet { write("monitor: " + text + "\n") }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// A progress reporter for long reads: redraws one line on stderr when it is a terminal, else nothing.
    static func progress(label: String, quiet: Bool) -> ((Int, Int?) -> Void)? {
        guard !quiet, stderrIsTerminal else { return nil }
        var lastDraw = 0.0
        return { done, total in
            let now = Date().timeIntervalSince1970
            if now - lastDraw < 0.1 && (total == nil || done < total!) { return }
            lastDraw = now
            let mb = Double(done) / 1_000_000
            var line = "\r\(label): \(NumberFormat.fixed(mb, 1)) MB"
            if let total, total > 0 {
                let fraction = min(1, Double(done) / Double(total))
                let width = 30
                let filled = Int(fraction * Double(width))
                line += " [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
                line += "\(Int(fraction * 100))%"
                if done >= total { line += "\r" + String(repeating: " ", count: line.count) + "\r" }
            }
            write(line)
        }
    }
}
