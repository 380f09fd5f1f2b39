// The container's part of a build's timings, from the stamps the build driver writes.
import PaasContainers

extension BuildRun {
    /// Splits the time around the build container into `container start` (files, overlay,
    /// runtime, up to the driver's first stamp), one `<buildpack> compile` per buildpack the
    /// driver ran, and `container stop` (the rest: `bin/release`, the runtime's teardown). The
    /// driver writes `start\t<EPOCHREALTIME>` and `compile\t<index>\t<from>\t<to>` lines to
    /// `timings` in its output directory; without them the whole span is `container`.
    func recordContainerStages(
        into timings: inout BuildTimings, setUp: Duration, launchedAt: Double, took: Duration, buildpacks: [Buildpack]
    ) {
        let lines = (HostFiles.readUntrusted(workspace.output + "/timings") ?? "").split(separator: "\n").prefix(100)
        let fields = lines.map { $0.split(separator: "\t").map(String.init) }
        guard let start = fields.first(where: { $0.count == 2 && $0[0] == "start" }).flatMap({ Double($0[1]) }),
            start >= launchedAt, start - launchedAt < took.seconds
        else {
            timings.record("container", setUp + took)
            return
        }
        var last = start
        timings.record("container start", setUp + .seconds(start - launchedAt))
        for field in fields where field.count == 4 && field[0] == "compile" {
            guard let index = Int(field[1]), buildpacks.indices.contains(index), let from = Double(field[2]),
                let to = Double(field[3]), from >= last, to >= from
            else { continue }
            timings.record("\(Self.stageName(buildpacks[index].name)) compile", .seconds(to - from))
            last = to
        }
        timings.record("container stop", took - .seconds(last - launchedAt))
    }

    /// `python` for a built-in buildpack, the last path component for others, without a `#ref`.
    static func stageName(_ buildpack: String) -> String {
        let base = buildpack.split(separator: "#").first.map(String.init) ?? buildpack
        let last = base.split(separator: "/").last.map(String.init) ?? base
        return String((last.hasSuffix(".git") ? String(last.dropLast(4)) : last).prefix(40)).lowercased()
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
