import Logging
import NIOCore
import PaasAPI

/// The two records of a finished request: a structured line on the router's logger and a
/// Heroku-style line for the app's own log.
enum AccessLog {
    static func record(_ request: ProxiedRequest, clientAddress: String?, proto: String, services: RouterServices) {
        let end = NIODeadline.now()
        let seconds = Double((end - request.start).nanoseconds) / 1e9
        services.metrics.requestFinished(app: request.app, status: request.status, seconds: seconds)
        let process = request.backend?.process ?? request.tried.last?.process ?? "-"
        let serviceMilliseconds = (end - request.start).nanoseconds / 1_000_000
        if services.logsRequests {
            services.logger.info(
                "request",
                metadata: [
                    "app": "\(request.app)", "method": "\(request.head.method.rawValue)", "path": "\(request.head.uri)",
                    "status": "\(request.status)", "bytes": "\(request.responseBytes)",
                    "duration_ms": "\(serviceMilliseconds)", "backend": "\(process)",
                    "request_id": "\(request.requestID)",
                ])
        }
        guard let sink = services.logSink, request.app != "-" else { return }
        let connectMilliseconds = request.connectedAt.map { ($0 - request.start).nanoseconds / 1_000_000 } ?? 0
        var text = request.error.map { "at=error code=\($0.code) desc=\"\($0.description)\" " } ?? "at=info "
        text += "method=\(request.head.method.rawValue) path=\"\(escaped(request.head.uri))\" host=\(escaped(request.host))"
        text += " request_id=\(request.requestID) fwd=\"\(clientAddress ?? "-")\" dyno=\(process)"
        text += " connect=\(connectMilliseconds)ms service=\(serviceMilliseconds)ms status=\(request.status)"
        text += " bytes=\(request.responseBytes) protocol=\(proto)"
        sink(RouterLogLine(app: request.app, text: text))
    }

    /// `text` with quotes, backslashes, spaces and every control or non-ASCII byte as `\xNN`:
    /// what a client sends can neither end the quoted field nor forge another field or line, nor
    /// reach an operator's terminal as an escape sequence. Plain text (the usual case) is returned
    /// as it is, without copying.
    static func escaped(_ text: String) -> String {
        func isPlain(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") }
        guard !text.utf8.allSatisfy(isPlain) else { return text }
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case _ where isPlain(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
