// swift-tools-version: 6.1
import PackageDescription

// Linux only: the daemon is a systemd service (sd_notify, the journal's native socket, hardened
// units), calls Glibc directly (mallopt, fsync of directories, Unix sockets) and finds libmosquitto
// and libcurl through pkg-config. Saying so here beats claiming a macOS that was never built.
#if !os(Linux)
    #error("EnvMon builds and runs on Linux only (Debian 12 and its systemd); see README.md")
#endif

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "EnvMon",
    products: [
        .executable(name: "envmond", targets: ["envmond"]),
        .executable(name: "envmon", targets: ["envmon"]),
        .executable(name: "envmon-sim", targets: ["envmon-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The optional Prometheus endpoint (issue 6): metrics API, text exposition, a tiny HTTP server.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // The web console (issue 16): Hummingbird 2 for HTTP in, its bcrypt for staff passwords.
        // No default traits: the console needs neither swift-configuration nor full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        // The PostgreSQL backend (issue 17). For now only TestSupportTests: a Swift client proves
        // the test server's URL and password work, as the backend will use them.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        // The small system helpers every target had its own copy of (issue 19): the write(2) loop,
        // `sockaddr_un`, a mutex with conditions, the clocks. Depends on nothing but libc.
        .target(name: "SystemSupport", swiftSettings: strict),
        // malloc.h, which the Glibc module leaves out (mallopt, M_ARENA_MAX).
        .systemLibrary(name: "CSystemShims"),
        // libmosquitto through pkg-config.
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        .target(name: "MQTT", dependencies: ["CMosquitto", "SystemSupport"], swiftSettings: strict),
        // Outbox transfers (FTP/FTPS/SFTP uploads, webhooks): libcurl does every protocol; only Transfer sees it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Transfer", dependencies: ["CCurl"], swiftSettings: strict),
        .target(name: "EnvMonCore", swiftSettings: strict),
        .target(
            name: "EnvMonConfig",
            dependencies: ["EnvMonCore", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        .target(
            name: "EnvMonStore",
            dependencies: [
                "EnvMonCore", "SystemSupport", .product(name: "GRDB", package: "GRDB.swift"),
                // The PostgreSQL backend (issue 17): only the store sees it, as only the store sees GRDB.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // The raw bind/step calls of the per-reading insert (GRDB's own binding allocates).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // What leaves the box: TT 10/2021 data files and webhooks, through the durable outbox.
        .target(
            name: "EnvMonTransmission",
            dependencies: [
                "EnvMonCore", "EnvMonConfig", "EnvMonStore", "Transfer",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "EnvMonDaemon",
            dependencies: [
                "EnvMonCore", "EnvMonConfig", "EnvMonStore", "EnvMonTransmission", "MQTT", "SystemSupport",
                "CSystemShims", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "EnvMonReport",
            dependencies: ["EnvMonCore", "EnvMonConfig", "EnvMonStore"],
            swiftSettings: strict),
        // The JSON form of stored records: one field list for the CLI's `--format json` and the web API.
        .target(
            name: "EnvMonJSON", dependencies: ["EnvMonCore", "EnvMonConfig", "EnvMonStore"], swiftSettings: strict),
        // `envmon serve`: the web console and JSON API over a read-only store.
        .target(
            name: "EnvMonWeb",
            dependencies: [
                "EnvMonCore", "EnvMonConfig", "EnvMonStore", "EnvMonReport", "EnvMonJSON", "SystemSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "EnvMonCLI",
            dependencies: [
                "EnvMonCore", "EnvMonConfig", "EnvMonStore", "EnvMonReport", "EnvMonTransmission", "EnvMonJSON",
                "EnvMonWeb", "SystemSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "envmond",
            dependencies: ["EnvMonDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(name: "envmon", dependencies: ["EnvMonCLI"], swiftSettings: strict),
        .target(
            name: "EnvMonSimulation",
            dependencies: [
                // EnvMonDaemon for `fill`: the simulated stream through the daemon's own ingest.
                "EnvMonCore", "EnvMonConfig", "EnvMonStore", "EnvMonDaemon", "MQTT", "SystemSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulator/Sources/EnvMonSimulation",
            swiftSettings: strict),
        .executableTarget(
            name: "envmon-sim",
            dependencies: [
                "EnvMonSimulation", "EnvMonCore", "EnvMonConfig", "EnvMonStore", "MQTT",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulator/Sources/envmon-sim",
            swiftSettings: strict),
        .target(
            name: "TestSupport", dependencies: ["SystemSupport", "CSystemShims"], path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "TestSupportTests",
            dependencies: ["TestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "EnvMonCoreTests", dependencies: ["EnvMonCore"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "MQTTTests", dependencies: ["MQTT", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "EnvMonConfigTests", dependencies: ["EnvMonConfig", "EnvMonCore"], swiftSettings: strict),
        .testTarget(
            name: "EnvMonStoreTests",
            dependencies: [
                "EnvMonStore", "EnvMonCore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EnvMonDaemonTests",
            dependencies: [
                "EnvMonDaemon", "EnvMonConfig", "EnvMonStore", "EnvMonCore", "MQTT", "SystemSupport", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                "EnvMonSimulation", "EnvMonConfig", "EnvMonStore", "EnvMonCore", "EnvMonReport", "MQTT", "TestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EnvMonCLITests",
            dependencies: [
                "EnvMonCLI", "EnvMonStore", "EnvMonCore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                // `envmon users` tests check the stored passwords with StaffAccounts.verify.
                "EnvMonWeb",
            ],
            swiftSettings: strict),
        .testTarget(name: "TransferTests", dependencies: ["Transfer", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "EnvMonTransmissionTests",
            dependencies: [
                "EnvMonTransmission", "EnvMonConfig", "EnvMonStore", "EnvMonCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EnvMonWebTests",
            dependencies: [
                // A real server on a loopback port and URLSession, not HummingbirdTesting: its live
                // mode brings async-http-client and BoringSSL, minutes of CI build for nothing more.
                "EnvMonWeb", "EnvMonStore", "EnvMonCore", "EnvMonConfig", "EnvMonJSON", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // Headless Chromium over a real `envmon serve`, envmond and broker, fed by the simulator.
        .testTarget(
            name: "ConsoleBrowserTests", dependencies: ["EnvMonCore", "EnvMonStore", "MQTT", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EnvMonReportTests",
            dependencies: ["EnvMonReport", "EnvMonStore", "EnvMonCore", "EnvMonConfig", "TestSupport"],
            exclude: ["Golden"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
