import Foundation
import MonitorCore

/// A mistake in how the command was called (exit status 2).
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

enum Terminal {
    /// Writes to standard error (unbuffered).
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
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
