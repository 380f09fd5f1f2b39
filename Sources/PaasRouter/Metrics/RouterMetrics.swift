import Synchronization

/// The router's counters, rendered as Prometheus text on the admin listener.
///
/// Per-app series: requests by status class and a latency histogram. Also backend connect
/// errors per app and requests in flight.
public final class RouterMetrics: Sendable {
    /// Histogram bucket upper bounds, in seconds.
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    private struct AppSeries {
        var byStatusClass = [Int](repeating: 0, count: 5)
        var bucketCounts = [Int](repeating: 0, count: RouterMetrics.buckets.count)
        var count = 0
        var sum = 0.0
        var connectErrors = 0

        mutating func record(statusClass: Int, bucket: Int?, seconds: Double) {
            byStatusClass[statusClass] += 1
            if let bucket { bucketCounts[bucket] += 1 }
            count += 1
            sum += seconds
        }
    }

    private let series = Mutex<[String: AppSeries]>([:])
    private let inFlight = Atomic<Int>(0)

    init() {}

    func requestStarted() { inFlight.wrappingAdd(1, ordering: .relaxed) }

    /// Records a finished request; `app` is `-` for requests that matched no app.
    func requestFinished(app: String, status: Int, seconds: Double) {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        let statusClass = min(max(status / 100, 1), 5) - 1
        let bucket = RouterMetrics.buckets.firstIndex { seconds <= $0 }
        series.withLock { all in
            all[app, default: AppSeries()].record(statusClass: statusClass, bucket: bucket, seconds: seconds)
        }
    }

    func connectFailed(app: String) {
        series.withLock { $0[app, default: AppSeries()].connectErrors += 1 }
    }

    /// Requests not finished yet.
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// The Prometheus text exposition (version 0.0.4).
    public func render() -> String {
        let snapshot = series.withLock { $0 }.sorted { $0.key < $1.key }
        var text = "# HELP paas_router_requests_total Requests answered, by app and status class.\n"
        text += "# TYPE paas_router_requests_total counter\n"
        for (app, values) in snapshot {
            for (index, count) in values.byStatusClass.enumerated() where count > 0 {
                text += "paas_router_requests_total{app=\"\(label(app))\",status=\"\(index + 1)xx\"} \(count)\n"
            }
        }
        text += "# HELP paas_router_request_duration_seconds Time from request head to response end.\n"
        text += "# TYPE paas_router_request_duration_seconds histogram\n"
        for (app, values) in snapshot {
            var cumulative = 0
            for (index, bound) in RouterMetrics.buckets.enumerated() {
                cumulative += values.bucketCounts[index]
                text += "paas_router_request_duration_seconds_bucket{app=\"\(label(app))\",le=\"\(bound)\"} \(cumulative)\n"
            }
            text += "paas_router_request_duration_seconds_bucket{app=\"\(label(app))\",le=\"+Inf\"} \(values.count)\n"
            text += "paas_router_request_duration_seconds_sum{app=\"\(label(app))\"} \(values.sum)\n"
            text += "paas_router_request_duration_seconds_count{app=\"\(label(app))\"} \(values.count)\n"
        }
        text += "# HELP paas_router_backend_connect_errors_total Failed connections to web processes.\n"
        text += "# TYPE paas_router_backend_connect_errors_total counter\n"
        for (app, values) in snapshot where values.connectErrors > 0 {
            text += "paas_router_backend_connect_errors_total{app=\"\(label(app))\"} \(values.connectErrors)\n"
        }
        text += "# HELP paas_router_requests_in_flight Requests being served now.\n"
        text += "# TYPE paas_router_requests_in_flight gauge\n"
        text += "paas_router_requests_in_flight \(requestsInFlight)\n"
        return text
    }

    private func label(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
