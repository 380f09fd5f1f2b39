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
    private let process: SpawnedProcess

    /// Starts a server with its log in `directory`, runs `body`, stops the server.
    static func withRunning<T>(in directory: String, _ body: (MotoServer) async throws -> T) async throws -> T {
        let server = try await start(in: directory)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
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
            let process = try SpawnedProcess.start(program, ["-H", "127.0.0.1", "-p", String(port)], log: log)
            let server = MotoServer(endpoint: "http://127.0.0.1:\(port)", process: process)
            if try await server.waitUntilReady() { return server }
            await server.stop()
            let output = (try? BlobFiles.contents(log)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if output.contains("in use") && attempt < 10 { continue }  // the port was taken meanwhile
            throw TestFailure("moto_server did not start on port \(port). Its output:\n\(output.suffix(2000))")
        }
        throw TestFailure("moto_server found no free port.")
    }

    /// True once the server answers HTTP; false if it exits first.
    private func waitUntilReady() async throws -> Bool {
        for _ in 0..<300 {
            if process.exitStatus() != nil { return false }
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
    func stop() async {
        await process.stop(grace: .seconds(5))
    }
}
