import ArgumentParser
import MonitorCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h is not in the Glibc module).
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// `monitor`: tables of the Monitor Integriteit en Veiligheid from respondent-level survey data.
///
/// Exit status: 0 success, 1 data error (bad input, named by file, line, column and value), 2 usage error.
@main
struct Monitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Regenerate the tables of the Monitor Integriteit en Veiligheid (agressie en intimidatie) from respondent data.",
        discussion: """
        Reads respondent-level CSV exports (comma, semicolon or tab; UTF-8 or Windows-1252) and SPSS files
        (.sav, .zsav), checks them against the survey's codebook, and computes the report's tables.

        Exit status: 0 success, 1 data error, 2 usage error.

        Examples:
          monitor describe data/examples/ambtsdragers-example.csv --survey ambtsdragers
          monitor describe export.csv --survey ambtsdragers --map data/maps/example-spss-export.yaml
          monitor describe any-file.csv
          monitor map --init export.sav --survey ambtsdragers -o map.yaml
          monitor weigh data/examples/ambtsdragers-example.csv --output gewogen.csv --report weging.md
        """,
        version: "0.1.0",
        subcommands: [Describe.self, Map.self, Weigh.self, Estimate.self, TestCommand.self, Tables.self, Synth.self, Reproduce.self, Report.self]
    )

    static func main() {
        #if canImport(Glibc)
        // Large column arrays come and go (raw codes, then typed columns, then per-table arrays): a fixed mmap
        // threshold of 4 MiB returns each freed one of a million rows to the system at once, where glibc's adaptive
        // threshold kept them in the heap (peak 155 instead of 180 MiB on the 1M-row benchmark, same time).
        _ = glibcMallopt(-3 /* M_MMAP_THRESHOLD, malloc.h */, 1 << 22)
        #endif
        // A closed pipe (`monitor tables | head -1`) is the write error EPIPE, not a signal: the command unwinds
        // (temporary files removed) and ends quietly (OutputError.closedPipe below).
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DataError {
            Terminal.error(error.description)
            Foundation.exit(1)
        } catch let error as DataErrors {
            Terminal.error(error.description)
            Foundation.exit(1)
        } catch let error as UsageError {
            Terminal.error(error.message)
            Foundation.exit(2)
        } catch let error as UsageProblem {
            Terminal.error(error.message)
            Foundation.exit(2)
        } catch OutputError.closedPipe {
            Foundation.exit(0)
        } catch let error as OutputError {
            Terminal.error(error.message)
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // --help, --version: to standard output, through the same writer (a full disk is exit 1, a closed pipe quiet).
                do {
                    if !message.isEmpty { try OutputWriter.write(Data((message + "\n").utf8), to: nil, guarding: []) }
                } catch OutputError.closedPipe {
                } catch {
                    Terminal.error((error as? OutputError)?.message ?? "\(error)")
                    Foundation.exit(1)
                }
                Foundation.exit(0)
            }
            if !message.isEmpty { Terminal.write(message + "\n") }
            // Argument parsing and validation problems are usage errors (2); anything else is a failure (1).
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }
}

import Foundation
