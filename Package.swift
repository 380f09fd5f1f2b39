// swift-tools-version: 6.1
// paas: a self-hosted, Heroku-style platform-as-a-service. Architecture: docs/architecture.md.
import PackageDescription

let package = Package(
    name: "paas",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paas", targets: ["paas"]),
        .executable(name: "paasd", targets: ["paasd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        // Domain types: no I/O.
        .target(name: "PaasCore"),
        // HTTP wire types, the error envelope, openapi.yaml.
        .target(name: "PaasAPI", dependencies: ["PaasCore"], exclude: ["openapi.yaml"]),
        // Typed async clients for the platform's HTTP APIs.
        .target(
            name: "PaasClient",
            dependencies: [
                "PaasAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        // What every HTTP service shares: the API error envelope middleware, token checks.
        .target(
            name: "PaasHTTP",
            dependencies: [
                "PaasAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Support shared by daemons: child processes and managed PostgreSQL clusters.
        .target(
            name: "PaasSupport",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        // libarchive, for slugs and build caches (tar.gz). Needs libarchive-dev (scripts install it).
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // Blob store: slugs, build caches, backups; local filesystem or S3, served over HTTP.
        .target(
            name: "PaasBlobs",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // What build and run containers share: OCI runtime spec and runc driver, overlay roots,
        // the mount table, slug archives (libarchive).
        .target(
            name: "PaasContainers",
            dependencies: [
                "PaasSupport", "CArchive",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Slugbuilder: classic buildpacks in a build container (OCI runtime) -> slug in the blob store.
        .target(
            name: "PaasBuild",
            dependencies: [
                "PaasCore", "PaasBlobs", "PaasSupport", "PaasContainers", "CArchive",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Git receiver: smart HTTP over git's own receive-pack/upload-pack, auth, push hooks.
        .target(
            name: "PaasGit",
            dependencies: [
                "PaasCore", "PaasSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Runner: per-host agent; containers via the OCI runtime, networking, supervision, logs.
        .target(
            name: "PaasRunner",
            dependencies: [
                "PaasCore", "PaasAPI", "PaasHTTP", "PaasSupport", "PaasBlobs", "PaasContainers", "PaasDiscovery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Router: HTTP/HTTPS reverse proxy by Host on SwiftNIO, TLS with SNI, live route table.
        .target(
            name: "PaasRouter",
            dependencies: [
                "PaasAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // DNS discovery: `<type>.<app>.internal` from live process state, the rest forwarded.
        .target(
            name: "PaasDiscovery",
            dependencies: [
                "PaasAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Add-ons: the provider protocol and managed MariaDB, PostgreSQL and Redis servers.
        .target(
            name: "PaasAddons",
            dependencies: [
                "PaasCore", "PaasSupport", "PaasBlobs",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Controller: apps, releases, config, formation, domains, events; owns PostgreSQL.
        .target(
            name: "PaasController",
            dependencies: [
                "PaasCore", "PaasAPI", "PaasHTTP", "PaasClient", "PaasGit", "PaasBuild", "PaasBlobs", "PaasAddons",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The `paas` command line.
        .target(
            name: "PaasCLI",
            dependencies: [
                "PaasClient", "PaasCore", "PaasAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The `paasd` daemon: configuration, lifecycle, `paasd up`.
        .target(
            name: "PaasServer",
            dependencies: [
                "PaasController", "PaasSupport", "PaasBlobs", "PaasBuild", "PaasRunner", "PaasClient", "PaasRouter", "PaasAddons",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(name: "paas", dependencies: ["PaasCLI"]),
        .executableTarget(name: "paasd", dependencies: ["PaasServer"]),
        // Test helpers: temporary PostgreSQL, in-process platform on free ports.
        .target(
            name: "PaasTesting",
            dependencies: [
                "PaasServer", "PaasController", "PaasClient", "PaasSupport", "PaasBlobs", "PaasRunner", "PaasRouter", "PaasDiscovery",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(name: "PaasCoreTests", dependencies: ["PaasCore"]),
        .testTarget(name: "PaasAPITests", dependencies: ["PaasAPI", "PaasTesting"]),
        .testTarget(
            name: "PaasControllerTests",
            dependencies: [
                "PaasController", "PaasTesting", "PaasClient", "PaasAPI", "PaasBlobs",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "PaasBlobsTests",
            dependencies: [
                "PaasBlobs", "PaasTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "PaasBuildTests",
            dependencies: [
                "PaasBuild", "PaasBlobs", "PaasTesting", "PaasCore", "PaasSupport", "PaasRunner", "CArchive",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "PaasContainersTests",
            dependencies: [
                "PaasContainers", "PaasTesting", "CArchive",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]),
        .testTarget(
            name: "PaasRunnerTests",
            dependencies: [
                "PaasRunner", "PaasTesting", "PaasAPI", "PaasClient",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .testTarget(
            name: "PaasGitTests",
            dependencies: ["PaasGit", "PaasTesting", .product(name: "Hummingbird", package: "hummingbird")]),
        .testTarget(name: "PaasCLITests", dependencies: ["PaasCLI", "PaasTesting"]),
        .testTarget(
            name: "PaasRouterTests",
            dependencies: [
                "PaasRouter", "PaasTesting", "PaasAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "PaasDiscoveryTests", dependencies: ["PaasDiscovery", "PaasTesting", "PaasAPI"]),
        .testTarget(name: "PaasAddonsTests", dependencies: ["PaasAddons", "PaasTesting", "PaasBlobs"]),
        .testTarget(name: "PaasServerTests", dependencies: ["PaasServer", "PaasTesting", "PaasClient", "PaasAPI", "PaasRunner"]),
    ]
)
