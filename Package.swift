// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "monitor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "monitor", targets: ["monitor"]),
        .library(name: "MonitorCore", targets: ["MonitorCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libcsv (Debian libcsv-dev): header csv.h, library libcsv.
        .systemLibrary(
            name: "CLibCSV",
            path: "Sources/CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // ReadStat (Debian libreadstat-dev): header readstat.h, library libreadstat. SPSS .sav/.zsav in and out.
        .systemLibrary(
            name: "CReadStat",
            path: "Sources/CReadStat",
            providers: [.apt(["libreadstat-dev"])]
        ),
        // The core: input, codebook, weighting, estimation, tables. No printing, no exit.
        .target(
            name: "MonitorCore",
            dependencies: [
                "CLibCSV",
                "CReadStat",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Sources/MonitorCore",
            // Optimised in debug builds too: the test suite's calibration and table runs spend their time here
            // (measured: the whole suite 8 minutes with -Onone, well under 2 with -O); the tests and the CLI stay
            // debug builds, and the core keeps -enable-testing for @testable imports.
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
                            .unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // The command-line interface: one file per subcommand.
        .executableTarget(
            name: "monitor",
            dependencies: [
                "MonitorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/monitor"
        ),
        // Parse-stage benchmark: generates a wide respondent file and reports MB/s.
        .executableTarget(
            name: "monitor-bench",
            dependencies: ["MonitorCore"],
            path: "Sources/monitor-bench"
        ),
        .testTarget(
            name: "MonitorCoreTests",
            dependencies: [
                "MonitorCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/MonitorCoreTests",
            exclude: ["Expectations"]
        ),
        .testTarget(
            name: "MonitorCLITests",
            dependencies: ["monitor", "MonitorCore"],
            path: "Tests/MonitorCLITests"
        ),
    ]
)

// The libFuzzer harness (Tests/Fuzz, run by scripts/fuzz, docs/fuzzing.md) is in the package only when
// MONITOR_FUZZ is set: it has no main of its own (libFuzzer's), so plain `swift build` and `swift test`
// never see it.
if Context.environment["MONITOR_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "monitor-fuzz", dependencies: ["MonitorCore"], path: "Tests/Fuzz/Sources"))
}
