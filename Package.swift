// swift-tools-version: 6.1
import PackageDescription

// The layers are targets, each depending only on the ones below it, so that a call from a
// lower layer into a higher one does not compile (docs/architecture.md):
//
//   TaktModel → TaktInput → TaktPlanning → TaktReports → TaktRun → TaktGenerate → takt
//
// CGLPK, CHeap and CBytes are the only C: module maps over GLPK's header, glibc's heap and CPU
// affinity calls, and the CSV scan's SSE2 byte masks.
// The layers call each other's small accessors in hot loops (a planned order's packed
// fields, a column's element, number formatting): release builds let the optimizer
// inline and specialize across the targets as it would inside one module.
//
// On x86-64 the release build targets x86-64-v2 (`nehalem`: SSE4.2 and POPCNT; Intel from
// Nehalem, 2008, AMD from Bulldozer, 2011): `rounded(.up)` (the lot sizing's ceilings) is
// one `roundsd` where the baseline target calls into libm, and bit counts one `popcnt`
// (realistic 100k, medians of 20 alternating runs: loading 123 → 114 ms, the MRP
// 114 → 107 ms, the whole run 468 → 451 ms; the files are the same bytes). Older processors
// (and emulators' default CPU models) stop at the first such instruction: build for them
// with `TAKT_TARGET_CPU=` (empty, the baseline) or name another CPU. The manifest is
// compiled for the machine that builds, so a cross-build from x86-64 to arm64 must set
// `TAKT_TARGET_CPU=` too.
#if arch(x86_64)
let defaultCPU = "nehalem"
#else
let defaultCPU = ""
#endif
let cpu = Context.environment["TAKT_TARGET_CPU"] ?? defaultCPU
let targetCPU = cpu.isEmpty ? [] : ["-target-cpu", cpu]
let crossModule: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"] + targetCPU, .when(configuration: .release))]

let package = Package(
    name: "Takt",
    platforms: [.macOS(.v13)],
    products: [
        // Every library layer, for the benchmarks and for programs that plan in-process.
        .library(name: "TaktCore", targets: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun", "TaktGenerate"]),
        .executable(name: "takt", targets: ["takt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // GLPK's header, linked from Debian's libglpk-dev.
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // glibc's malloc_trim, mallopt and mallinfo2, a prefetch hint, and the threads'
        // CPU affinity (one inline function each).
        .systemLibrary(name: "CHeap", path: "Sources/CHeap"),
        // The CSV scan's byte masks (64 bytes to a mask) and its survey's counts: SSE2
        // compares, inline functions.
        .systemLibrary(name: "CBytes", path: "Sources/CBytes"),
        // The planning model: items, BOM, calendar, dates, supply rows; dense ids and flat
        // columns; number formatting and the trace.
        .target(name: "TaktModel", dependencies: ["CHeap"], swiftSettings: crossModule),
        // Reading a model folder and scenarios: CSV and YAML, validation, diagnostics.
        .target(
            name: "TaktInput",
            dependencies: ["TaktModel", "CBytes", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: crossModule
        ),
        // Planning in memory: the capacity LPs and the master schedule, MRP, the load check,
        // the projection, pegging, gates, risks, KPIs and cost. No file I/O, no threads of
        // its own (parallel loops go through `Workers`), no heap tuning.
        .target(name: "TaktPlanning", dependencies: ["TaktModel", "TaktInput", "CGLPK"], swiftSettings: crossModule),
        // Rendering: the output files (CSV/JSON/Markdown/HTML), the output folder and the
        // SQLite history.
        .target(
            name: "TaktReports",
            dependencies: ["TaktModel", "TaktInput", "TaktPlanning",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: crossModule
        ),
        // The run: the one schedule of `takt plan` (stages, what runs beside what, the
        // heap policy), what-if sweeps and the Monte Carlo simulation.
        .target(name: "TaktRun", dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "CHeap"], swiftSettings: crossModule),
        // Synthetic models (`takt generate`).
        .target(name: "TaktGenerate", dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun"],
                swiftSettings: crossModule),
        // The thin command line.
        .executableTarget(
            name: "takt",
            dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun", "TaktGenerate",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // libFuzzer harness (scripts/fuzz.sh builds it with -sanitize=fuzzer -D TAKT_FUZZ);
        // a plain build makes a replayer that runs saved inputs through the same code.
        .executableTarget(
            name: "TaktFuzz",
            dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun"]
        ),
        .testTarget(
            name: "TaktCoreTests",
            dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun", "TaktGenerate"],
            // Golden files the tests read by path (the wording of every input error).
            exclude: ["Goldens"]
        ),
        .testTarget(
            name: "TaktCLITests",
            dependencies: ["TaktModel", "TaktInput", "TaktPlanning", "TaktReports", "TaktRun", "TaktGenerate",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
