// swift-tools-version: 6.1
// The benchmark package: kept apart so that `swift test` and users of TaktCore never
// build ordo-one's benchmark. Run from this folder: `swift package benchmark`.
import PackageDescription

let package = Package(
    name: "TaktBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Takt", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TaktBenchmarks",
            dependencies: [
                .product(name: "TaktCore", package: "Takt"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TaktBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
