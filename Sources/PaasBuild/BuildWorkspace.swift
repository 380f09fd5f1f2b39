/// The host directory of one build, `<workDirectory>/<buildID>`, private to root (mode 0700:
/// the env dir holds config values), and what is in it.
struct BuildWorkspace: Sendable {
    let root: String

    /// The app: the source, then the compiled slug contents (`/app` in the container).
    var app: String { root + "/app" }
    /// The build cache (`/cache`).
    var cache: String { root + "/cache" }
    /// One file per config var (`/env`).
    var env: String { root + "/env" }
    /// The driver's reports (`/run/paas/output`).
    var output: String { root + "/output" }
    /// The driver script (`/run/paas/driver`).
    var driver: String { root + "/driver" }
    /// The OCI bundle (`config.json`).
    var bundle: String { root + "/bundle" }
    /// The packed slug.
    var slugArchive: String { root + "/slug.tgz" }
    /// The previous cache as fetched, then the new cache as packed.
    var cacheArchive: String { root + "/cache.tgz" }

    /// Where a git buildpack is cloned.
    func clonedBuildpack(_ number: Int) -> String { root + "/buildpacks/\(number)" }

    /// Creates the directory; a leftover of an earlier build with the same id is removed first.
    static func create(in workDirectory: String, buildID: String) throws -> BuildWorkspace {
        let workspace = BuildWorkspace(root: workDirectory + "/" + buildID)
        try HostFiles.remove(workspace.root)
        try HostFiles.makeDirectory(workDirectory, mode: 0o700)
        try HostFiles.makeDirectory(workspace.root, mode: 0o700)
        return workspace
    }
}
