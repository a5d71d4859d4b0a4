import Foundation

/// Phase timings and memory on standard error when `MONITOR_TRACE` is set (for benchmarks; silent otherwise):
/// `trace: read 0.412 s (+0.412 s), RSS 120 MiB, peak 131 MiB`.
enum Trace {
    static let enabled = ProcessInfo.processInfo.environment["MONITOR_TRACE"] != nil
    nonisolated(unsafe) static var start = Date()
    nonisolated(unsafe) static var last = Date()

    static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Date()
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kib(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? "") ?? 0
        }
        Terminal.write(String(format: "trace: %@ %.3f s (+%.3f s), RSS %d MiB, peak %d MiB\n", phase(),
                              now.timeIntervalSince(start), now.timeIntervalSince(last), kib("VmRSS:") / 1024, kib("VmHWM:") / 1024))
        last = now
    }
}
