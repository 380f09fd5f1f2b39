import Logging
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Logging and start-up messages of the daemon.
enum DaemonLogging {
    /// A stderr logger at `LOG_LEVEL` (default info).
    static func logger() -> Logger {
        var logger = Logger(label: "paasd")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        return logger
    }

    /// Prints where the API listens and how to log in. The token itself is never printed:
    /// the line reads it from its file, so it stays out of terminals' scrollback and logs.
    static func announce(_ ready: Platform.Ready, configuration: PlatformConfiguration) {
        print("paasd: API listening on \(ready.apiURL)")
        if ready.createdAdminToken != nil {
            print("paasd: created an admin token in \(configuration.adminTokenPath)")
        }
        print("paasd: log in with: paas login --api \(ready.apiURL) --token \"$(cat \(configuration.adminTokenPath))\"")
        fflush(nil)  // stdout is block-buffered when it is not a terminal
    }
}
