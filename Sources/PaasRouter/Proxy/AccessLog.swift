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
        text += "method=\(request.head.method.rawValue) path=\"\(request.head.uri)\" host=\(request.host)"
        text += " request_id=\(request.requestID) fwd=\"\(clientAddress ?? "-")\" dyno=\(process)"
        text += " connect=\(connectMilliseconds)ms service=\(serviceMilliseconds)ms status=\(request.status)"
        text += " bytes=\(request.responseBytes) protocol=\(proto)"
        sink(RouterLogLine(app: request.app, text: text))
    }
}
