import PaasTesting
import Testing

@testable import PaasRunner

@Suite(.tags(.small))
struct IPAllocatorTests {
    let subnet = try! IPv4Subnet(cidr: "10.214.7.0/29")

    @Test func handsOutTheLowestFreeContainerAddressFirst() throws {
        var allocator = IPAllocator(subnet: subnet)
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 2))
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 3))
        allocator.release(IPv4Address(10, 214, 7, 2))
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 2))
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 4))
    }

    @Test func neverHandsOutNetworkGatewayOrBroadcastAndFailsClearlyWhenFull() throws {
        var allocator = IPAllocator(subnet: subnet)
        var handedOut: [IPv4Address] = []
        for _ in 0..<5 { handedOut.append(try allocator.allocate()) }
        #expect(handedOut == (2...6).map { IPv4Address(10, 214, 7, $0) })
        let error = try #require(throws: RunnerError.self) { try allocator.allocate() }
        #expect(error.code == RunnerError.Code.addressesExhausted)
        #expect(error.message.contains("10.214.7.0/29"))
        #expect(error.message.contains("larger subnet"))
    }

    @Test func rebuiltFromObservedAddressesSkipsThemAndIgnoresForeignOnes() throws {
        let observed = [
            IPv4Address(10, 214, 7, 2), IPv4Address(10, 214, 7, 4),
            IPv4Address(10, 214, 7, 1), IPv4Address(10, 9, 9, 9),
        ]
        var allocator = IPAllocator(subnet: subnet, inUse: observed)
        #expect(allocator.inUse == [IPv4Address(10, 214, 7, 2), IPv4Address(10, 214, 7, 4)])
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 3))
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 5))
    }

    @Test func releasingAnAddressNotInUseDoesNothing() throws {
        var allocator = IPAllocator(subnet: subnet)
        allocator.release(IPv4Address(10, 214, 7, 3))
        #expect(allocator.inUse.isEmpty)
        #expect(try allocator.allocate() == IPv4Address(10, 214, 7, 2))
    }
}
