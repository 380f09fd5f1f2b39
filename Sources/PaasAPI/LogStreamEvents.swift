/// Names of the events in a runner's log stream (`GET /v1/apps/{app}/logs?tail=true`).
public enum LogStreamEvents {
    /// Ends the recent lines; the lines after it are new. Its data is empty.
    public static let recentEnd = "recent-end"
}
