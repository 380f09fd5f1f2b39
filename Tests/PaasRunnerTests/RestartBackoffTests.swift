import PaasRunner
import PaasTesting
import Testing

@Suite(.tags(.small))
struct RestartBackoffTests {
    @Test func delaysDoubleFromOneSecondUpToFiveMinutes() {
        var backoff = RestartBackoff()
        let delays = (0..<12).map { _ in backoff.crashed(after: .seconds(3)) }
        #expect(Array(delays.prefix(9)) == [1, 2, 4, 8, 16, 32, 64, 128, 256].map { Duration.seconds($0) })
        #expect(delays.dropFirst(9).allSatisfy { $0 == .seconds(300) })
        #expect(backoff.consecutiveCrashes == 12)
    }

    @Test func tenMinutesUpResetsTheDelay() {
        var backoff = RestartBackoff()
        for _ in 0..<5 { _ = backoff.crashed(after: .seconds(1)) }
        #expect(backoff.crashed(after: .seconds(599)) == .seconds(32), "9:59 up is not yet recovered")
        #expect(backoff.crashed(after: .seconds(600)) == .seconds(1))
        #expect(backoff.crashed(after: .seconds(1)) == .seconds(2))
    }

    @Test func manyCrashesDoNotOverflow() {
        var backoff = RestartBackoff()
        for _ in 0..<10_000 { _ = backoff.crashed(after: .zero) }
        #expect(backoff.crashed(after: .zero) == .seconds(300))
    }
}
