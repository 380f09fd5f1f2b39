// A moto_server (an S3 look-alike) per test, on a free port, stopped when the test ends.
#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Crypto
import NIOCore
@testable import PaasBlobs
import PaasTesting

/// A running `moto_server`. Which executable comes from `PAAS_TEST_MOTO_SERVER`, which
/// `scripts/lib/s3-test-server.sh` (`ensure_s3_test_server`) sets; without it the tests fail.
struct MotoServer {
    let endpoint: String
    private let pid: pid_t

    /// Starts a server with its log in `directory`, runs `body`, stops the server.
    static func withRunning<T>(in directory: String, _ body: (MotoServer) async throws -> T) async throws -> T {
        let server = try await start(in: directory)
        do {
            let result = try await body(server)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }

    private static func executable() throws -> String {
        guard let value = getenv("PAAS_TEST_MOTO_SERVER").map({ String(cString: $0) }), !value.isEmpty else {
            throw TestFailure(
                "PAAS_TEST_MOTO_SERVER is not set, so the S3 blob store cannot be tested. Run "
                    + "'source scripts/lib/s3-test-server.sh && ensure_s3_test_server' first (scripts/test does).")
        }
        guard access(value, X_OK) == 0 else {
            throw TestFailure(
                "PAAS_TEST_MOTO_SERVER=\(value) is not an executable. Run "
                    + "'source scripts/lib/s3-test-server.sh && ensure_s3_test_server' to install moto[server].")
        }
        return value
    }

    private static func start(in directory: String) async throws -> MotoServer {
        let program = try executable()
        for attempt in 1...10 {
            let port = try FreePort.find()
            let log = "\(directory)/moto-\(port).log"
            let pid = try spawn(program, ["-H", "127.0.0.1", "-p", String(port)], log: log)
            let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", pid: pid)
            if try await server.waitUntilReady() { return server }
            server.stop()
            let output = (try? BlobFiles.contents(log)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if output.contains("in use") && attempt < 10 { continue }  // the port was taken meanwhile
            throw TestFailure("moto_server did not start on port \(port). Its output:\n\(output.suffix(2000))")
        }
        throw TestFailure("moto_server found no free port.")
    }

    /// True once the server answers HTTP; false if it exits first.
    private func waitUntilReady() async throws -> Bool {
        for _ in 0..<300 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return false }
            var request = HTTPClientRequest(url: endpoint + "/")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 20)
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Creates an IAM user allowed everything and returns its access key; then turns on moto's
    /// authentication, so that requests with other keys or wrong signatures are refused (403).
    func makeCredentialsAndRequireThem() async throws -> (accessKey: String, secretKey: String) {
        _ = try await iam(["Action": "CreateUser", "UserName": "paas"])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await iam(["Action": "PutUserPolicy", "UserName": "paas", "PolicyName": "all", "PolicyDocument": policy])
        let keys = try await iam(["Action": "CreateAccessKey", "UserName": "paas"])
        guard let accessKey = S3BlobStore.xmlElement("AccessKeyId", in: keys),
            let secretKey = S3BlobStore.xmlElement("SecretAccessKey", in: keys)
        else { throw TestFailure("moto's CreateAccessKey answered without keys: \(keys.prefix(500))") }
        var request = HTTPClientRequest(url: endpoint + "/moto-api/reset-auth")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: "0"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200 else {
            throw TestFailure("moto refused to turn on authentication: \(String(buffer: body))")
        }
        return (accessKey, secretKey)
    }

    /// An IAM query API call (moto picks the service from the signature's scope; before
    /// authentication is on, any key will do).
    private func iam(_ parameters: [String: String]) async throws -> String {
        let form = (parameters.merging(["Version": "2010-05-08"]) { $1 })
            .map { "\(SignatureV4.encode($0.key))=\(SignatureV4.encode($0.value))" }.joined(separator: "&")
        let body = Array(form.utf8)
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        let host = String(endpoint.dropFirst("http://".count))
        let headers = [("host", host), ("content-type", "application/x-www-form-urlencoded")]
        let signer = SignatureV4(accessKey: "bootstrap", secretKey: "bootstrap", region: "us-east-1", service: "iam")
        for (name, value) in headers + signer.signedHeaders(
            method: "POST", path: "/", headers: headers, payloadHash: Hex.encode(SHA256.hash(data: body)),
            date: Int(time(nil)))
        {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status.code == 200 else {
            throw TestFailure("moto's IAM \(parameters["Action"] ?? "") failed (HTTP \(response.status.code)): \(text.prefix(500))")
        }
        return text
    }

    /// SIGTERM, then SIGKILL if it lingers; reaps the process.
    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    private static func spawn(_ program: String, _ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard result == 0 else { throw TestFailure("Cannot start \(program): \(String(cString: strerror(result)))") }
        return pid
    }
}
