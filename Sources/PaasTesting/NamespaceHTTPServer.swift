#if canImport(Glibc)
import Glibc
#endif
import PaasRunner

/// A tiny HTTP server inside a network namespace that answers every GET with `body`.
///
/// Not `python3 -m http.server`: it looks its own address up in DNS at start, which from a
/// namespace would go to the host's resolver, off this machine.
public struct NamespaceHTTPServer: Sendable {
    public static let body = "hello from the namespace\n"
    private static let script = """
        import http.server, socketserver, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = sys.argv[3].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *arguments):
                pass
        socketserver.TCPServer.allow_reuse_address = True
        socketserver.TCPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
        """

    let pid: pid_t
    /// `http://<address>:<port>/`.
    public let url: String

    /// Starts the server in `namespace` (nil: on the host) on `address:port` and waits until the
    /// host reaches it (the caller has checked that the route to `address` is the bridge).
    public static func start(in namespace: String?, address: IPv4Address, port: Int = 8080) async throws -> NamespaceHTTPServer {
        let shell = "/usr/bin/python3 -c \"$1\" \"$2\" \"$3\" \"$4\" </dev/null >/dev/null 2>&1 & echo $!"
        let command = ["/bin/sh", "-c", shell, "sh", script, "\(address)", String(port), body]
        let started =
            if let namespace { try await runProgram("/usr/sbin/ip", ["netns", "exec", namespace] + command) } else {
                try await runProgram(command[0], Array(command.dropFirst()))
            }
        guard started.status == 0, let pid = pid_t(started.stdout.trimmingWhitespace) else {
            throw TestFailure("starting the HTTP server in \(namespace ?? "the host") failed: \(started.stderr)")
        }
        let server = NamespaceHTTPServer(pid: pid, url: "http://\(address):\(port)/")
        do {
            return try await eventually("the HTTP server in \(namespace ?? "the host") answering") {
                let curl = ["--noproxy", "*", "--silent", "--max-time", "3", server.url]
                return try await runProgram("/usr/bin/curl", curl).status == 0 ? server : nil
            }
        } catch {
            server.stop()
            throw error
        }
    }

    /// Kills the server.
    public func stop() {
        kill(pid, SIGKILL)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
