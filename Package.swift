// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Parley",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "ParleyLua", targets: ["ParleyLua"])
  ],
  targets: [
    // Debian's liblua5.4-dev, found through pkg-config.
    .systemLibrary(
      name: "CLua",
      pkgConfig: "lua5.4",
      providers: [.apt(["liblua5.4-dev"])]
    ),
    // The only C Parley owns: the protected-call boundary, the allocator,
    // the budget hook and the sandbox's bounded library functions.
    .target(name: "CParleyLua", dependencies: ["CLua"]),
    .target(
      name: "ParleyLua", dependencies: ["CParleyLua"], linkerSettings: [.linkedLibrary("m")]),
    .testTarget(name: "ParleyLuaTests", dependencies: ["ParleyLua"]),

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
  ],
  swiftLanguageModes: [.v6]
)
