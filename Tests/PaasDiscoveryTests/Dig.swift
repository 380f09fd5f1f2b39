import Glibc
import PaasTesting

/// What `dig` printed, parsed: the header line, the flags and the sections' records.
struct DigResult {
    var status = ""
    var id = -1
    var flags: Set<String> = []
    var answers: [[String]] = []
    var authority: [[String]] = []
    var additional: [[String]] = []
    var output = ""

    /// The data fields (last column) of the answer records of `type`.
    func answerData(_ type: String = "A") -> [String] {
        answers.filter { $0.count >= 5 && $0[3] == type }.map { $0[4...].joined(separator: " ") }
    }
}

/// Runs the real `dig` against a server on 127.0.0.1:`port`; `options` are extra arguments (`+tcp`).
func dig(port: Int, _ name: String, _ type: String = "A", _ options: [String] = []) async throws -> DigResult {
    let arguments = ["@127.0.0.1", "-p", String(port), "+tries=3", "+time=8", name, type] + options
    let run = try await runProgram("/usr/bin/dig", arguments)
    var result = DigResult(output: run.stdout + run.stderr)
    var section: WritableKeyPath<DigResult, [[String]]>?
    for line in run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if line.hasPrefix(";; ->>HEADER<<-") {
            for part in line.dropFirst(16).split(separator: ",") {
                let pair = part.split(separator: ":").map { $0.split(separator: " ").joined() }
                if pair.first == "status" { result.status = pair[1] }
                if pair.first == "id" { result.id = Int(pair[1]) ?? -1 }
            }
        } else if line.hasPrefix(";; flags:") {
            let flags = line.dropFirst(9).prefix { $0 != ";" }
            result.flags = Set(flags.split(separator: " ").map(String.init))
        } else if line.hasPrefix(";; ANSWER SECTION") {
            section = \.answers
        } else if line.hasPrefix(";; AUTHORITY SECTION") {
            section = \.authority
        } else if line.hasPrefix(";; ADDITIONAL SECTION") {
            section = \.additional
        } else if line.isEmpty || line.hasPrefix(";") {
            section = nil
        } else if let section {
            result[keyPath: section].append(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
        }
    }
    return result
}

/// A UDP socket on 127.0.0.1 that is bound and never read: an upstream resolver that stays
/// silent. Holding the port keeps any other test's server from answering on it.
final class SilentUpstream {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw TestFailure("cannot bind a UDP socket on 127.0.0.1")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
