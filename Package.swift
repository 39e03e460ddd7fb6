// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Takt",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TaktCore", targets: ["TaktCore"]),
        .executable(name: "takt", targets: ["takt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The only C in the code base: GLPK's header, linked from Debian's libglpk-dev,
        // and the C library's heap trim (one inline function).
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        .systemLibrary(name: "CHeap", path: "Sources/CHeap"),
        // The planning library: model, parsing, MRP, capacity, gates, reports. No CLI.
        .target(
            name: "TaktCore",
            dependencies: ["CGLPK", "CHeap", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The thin command line.
        .executableTarget(
            name: "takt",
            dependencies: ["TaktCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // libFuzzer harness (scripts/fuzz.sh builds it with -sanitize=fuzzer -D TAKT_FUZZ);
        // a plain build makes a replayer that runs saved inputs through the same code.
        .executableTarget(
            name: "TaktFuzz",
            dependencies: ["TaktCore"]
        ),
        .testTarget(
            name: "TaktCoreTests",
            dependencies: ["TaktCore"]
        ),
        .testTarget(
            name: "TaktCLITests",
            dependencies: ["TaktCore"]
        ),
    ]
)
