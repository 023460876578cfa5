// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Parley",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "parley", targets: ["parley"]),
    .library(name: "Parley", targets: ["Parley"]),
    .library(name: "ParleyTesting", targets: ["ParleyTesting"]),
    .library(name: "ParleySQLite", targets: ["ParleySQLite"]),
    .library(name: "ParleyPostgres", targets: ["ParleyPostgres"]),
    .library(name: "ParleyStoreSuite", targets: ["ParleyStoreSuite"]),
    .library(name: "ParleyLua", targets: ["ParleyLua"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
  ],
  targets: [
    // Debian's liblua5.4-dev, found through pkg-config.
    .systemLibrary(
      name: "CLua",
      pkgConfig: "lua5.4",
      providers: [.apt(["liblua5.4-dev"])]
    ),
    // The Lua boundary's C: the protected-call boundary, the allocator,
    // the budget hook and the sandbox's bounded library functions.
    .target(name: "CParleyLua", dependencies: ["CLua"]),
    .target(
      name: "ParleyLua", dependencies: ["CParleyLua"], linkerSettings: [.linkedLibrary("m")]),
    .testTarget(name: "ParleyLuaTests", dependencies: ["ParleyLua", "CLua"]),
    // The lock the store's tables, the workers' queue and the engine's
    // shared counters sit behind: a mutex whose waiters spin briefly before
    // they sleep, with a condition to wait on; and an atomic word for what
    // every event reads or counts once (decision ids, a manual clock).
    .target(name: "CParleyLock"),
    // The domain, plugins, the rule engine, the store protocol and the facade.
    .target(
      name: "Parley",
      dependencies: [
        "ParleyLua", "CParleyLock", .product(name: "Logging", package: "swift-log"),
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    .testTarget(name: "ParleyTests", dependencies: ["Parley", "ParleyStoreSuite"]),
    // The behaviours every Store must have, run by each store's tests.
    .target(name: "ParleyStoreSuite", dependencies: ["Parley"]),
    // A SQLite VFS that writes the write-ahead log in runs, not frame by
    // frame (the SQLite store's one writer spent a quarter of its time there).
    .target(
      name: "CParleyWAL", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
    // The embedded default store: SQLite through GRDB.
    .target(
      name: "ParleySQLite",
      dependencies: [
        "Parley", "CParleyWAL", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    .testTarget(
      name: "ParleySQLiteTests",
      dependencies: [
        "ParleySQLite", "Parley", "ParleyStoreSuite", "SQLiteCrashChild", "CSQLiteFaults",
      ]),
    // Writes that fail on purpose, for the tests of a failing disk.
    .target(
      name: "CSQLiteFaults", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
      path: "Tests/CSQLiteFaults"),
    // A store shared by many hosts: PostgreSQL through postgres-nio.
    .target(
      name: "ParleyPostgres",
      dependencies: [
        "Parley", .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "ParleyPostgresTests",
      dependencies: ["ParleyPostgres", "Parley", "ParleyStoreSuite", "ParleyTesting", "parley"]),
    // The process the crash test kills.
    .executableTarget(
      name: "SQLiteCrashChild", dependencies: ["ParleySQLite", "Parley"],
      path: "Tests/SQLiteCrashChild"),
    // Rule test suites: the spec language, the runner, reporters, coverage.
    .target(name: "ParleyTesting", dependencies: ["Parley", "ParleyLua"]),
    .testTarget(name: "ParleyTestingTests", dependencies: ["ParleyTesting", "Parley"]),
    .testTarget(name: "ParleyCLITests", dependencies: ["parley", "ParleyDemo"]),
    // Measuring the engine: the synthetic corpus, the driver, cost tables.
    .target(
      name: "ParleyBench",
      dependencies: ["Parley", .product(name: "Histogram", package: "hdrhistogram-swift")]
    ),
    // The CLI.
    .executableTarget(
      name: "parley",
      dependencies: [
        "ParleyTesting", "Parley", "ParleySQLite", "ParleyPostgres", "ParleyBench",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "ParleyDemo",
      dependencies: [
        "Parley", "ParleyTesting", "ParleySQLite", .product(name: "Logging", package: "swift-log"),
      ],
      path: "examples/ParleyDemo"
    ),
    // The complete host example of docs/embedding.md.
    .executableTarget(
      name: "ForumHost",
      dependencies: ["Parley", "ParleySQLite", .product(name: "Logging", package: "swift-log")],
      path: "examples/ForumHost"
    ),

    // Benchmarks: built by `make bench`, never part of `swift test`.
    .target(
      name: "CBoundaryBaseline",
      dependencies: ["CLua"],
      path: "Benchmarks/CBoundaryBaseline"
    ),
    .executableTarget(
      name: "LuaBoundaryBenchmark",
      dependencies: ["ParleyLua", "CBoundaryBaseline"],
      path: "Benchmarks/LuaBoundaryBenchmark"
    ),
    // The same rules over the same corpus on the bare Lua C API.
    .target(
      name: "CRuleBaseline",
      dependencies: ["CLua"],
      path: "Benchmarks/CRuleBaseline"
    ),
    // The allocator's own count of live bytes, for the memory check.
    .target(name: "CHeapStats", path: "Benchmarks/CHeapStats"),
    .executableTarget(
      name: "EngineBenchmark",
      dependencies: [
        "Parley", "ParleySQLite", "ParleyPostgres", "ParleyBench", "CRuleBaseline", "CHeapStats",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Benchmarks/EngineBenchmark"
    ),
  ],
  swiftLanguageModes: [.v6]
)
