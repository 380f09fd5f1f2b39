import PaasAddons
import PaasTesting
import Testing

@Suite(.tags(.small))
struct ServerBackoffTests {
    @Test func doublesUpToTheMaximumAndResetsAfterAGoodRun() {
        var backoff = ServerBackoff()
        let delays = (0..<10).map { _ in backoff.died(after: .seconds(1)) }
        #expect(delays.prefix(3) == [.milliseconds(250), .milliseconds(500), .seconds(1)])
        #expect(delays.last == .seconds(30))
        #expect(backoff.died(after: .seconds(61)) == .milliseconds(250))
    }
}
