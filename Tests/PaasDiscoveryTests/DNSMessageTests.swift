import Testing

@testable import PaasDiscovery

@Suite(.tags(.small))
struct DNSMessageTests {
    private func name(_ text: String) throws -> DNSName { try DNSName(text) }

    private func sampleResponse() throws -> DNSMessage {
        var header = DNSHeader(id: 0xBEEF)
        header.isResponse = true
        header.isAuthoritative = true
        header.recursionDesired = true
        let question = DNSQuestion(name: try name("_web._tcp.shop.internal"), type: .srv)
        let soa = DNSStartOfAuthority(
            primary: try name("ns.internal"), mailbox: try name("hostmaster.internal"), serial: 7, refresh: 1, retry: 2,
            expire: 3, minimum: 5)
        return DNSMessage(
            header: header, questions: [question],
            answers: [
                DNSResourceRecord(
                    name: question.name, ttl: 5, data: .srv(priority: 0, weight: 1, port: 5000, target: try name("1.web.shop.internal")))
            ],
            authorities: [DNSResourceRecord(name: try name("internal"), ttl: 5, data: .soa(soa))],
            additionals: [
                DNSResourceRecord(name: try name("1.web.shop.internal"), ttl: 5, data: DNSRecordData.address("10.213.0.5")!),
                DNSResourceRecord(name: try name("1.web.shop.internal"), ttl: 5, data: DNSRecordData.address("fd00::5")!),
                .opt(payloadSize: 1232),
            ])
    }

    @Test func messagesSurviveARoundTripWithAndWithoutCompression() throws {
        let message = try sampleResponse()
        let compressed = message.encoded()
        let plain = message.encoded(compressing: false)
        #expect(compressed.count < plain.count)
        #expect(try DNSMessage(bytes: compressed) == message)
        #expect(try DNSMessage(bytes: plain) == message)
    }

    @Test func headerFlagsMapToTheirBits() {
        var header = DNSHeader(id: 1)
        header.isResponse = true
        header.isTruncated = true
        header.recursionAvailable = true
        header.responseCode = .nameError
        #expect(header.flags == 0x8000 | 0x0200 | 0x0080 | 0x0003)
        header.isTruncated = false
        #expect(!header.isTruncated && header.responseCode == .nameError)
    }

    @Test func compressionPointersAreFollowed() throws {
        // A query for "a.example" followed by an answer whose name is a pointer to offset 12
        // and a second answer "b" + pointer to "example" (offset 14).
        let bytes: [UInt8] =
            [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]
            + [1, 0x61, 7] + Array("example".utf8) + [0, 0, 1, 0, 1]
            + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, 1]
            + [1, 0x62, 0xC0, 14, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, 2]
        let message = try DNSMessage(bytes: bytes)
        #expect(message.header.id == 0x1234)
        #expect(message.answers.map(\.name.description) == ["a.example.", "b.example."])
        #expect(message.answers.last?.data == .a([10, 0, 0, 2]))
    }

    @Test func namesCompareCaseInsensitivelyThroughLowercased() throws {
        #expect(try name("Web.SHOP.Internal").lowercased == name("web.shop.internal"))
        #expect(try name("web.shop.internal.").isWithin(name("internal")))
        #expect(try !name("internal.example").isWithin(name("internal")))
    }

    @Test func namesOverDNSLimitsAreRejected() {
        #expect(throws: DiscoveryError.self) { try DNSName(String(repeating: "a", count: 64) + ".internal") }
        #expect(throws: DiscoveryError.self) { try DNSName(Array(repeating: "abcdefghi", count: 26).joined(separator: ".")) }
        #expect(throws: DiscoveryError.self) { try DNSName("a..b") }
    }

    @Test func everyTruncationOfAValidMessageIsRejected() throws {
        let bytes = try sampleResponse().encoded()
        for length in 0..<bytes.count {
            #expect(throws: DiscoveryError.self) { try DNSMessage(bytes: Array(bytes.prefix(length))) }
        }
    }

    @Test(arguments: [
        ("pointer to itself", [0xC0, 12] as [UInt8]),
        ("pointer forwards", [0xC0, 14, 0] as [UInt8]),
        ("loop through a label", [1, 0x61, 0xC0, 12] as [UInt8]),
        ("pointer cut off", [0xC0] as [UInt8]),
        ("extended label type", [0x41, 0x61, 0] as [UInt8]),
        ("label past the end", [9, 0x61, 0] as [UInt8]),
    ])
    func malformedNamesAreRejected(_ label: String, _ name: [UInt8]) {
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 1, 0, 1]
        #expect(throws: DiscoveryError.self, Comment(rawValue: label)) { try DNSMessage(bytes: bytes) }
    }

    @Test func trailingBytesAndWrongRecordLengthsAreRejected() throws {
        let valid = try sampleResponse().encoded()
        #expect(throws: DiscoveryError.self) { try DNSMessage(bytes: valid + [0]) }
        // An A record claiming 5 bytes of data.
        let badA: [UInt8] = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0] + [0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 5, 1, 2, 3, 4, 5]
        #expect(throws: DiscoveryError.self) { try DNSMessage(bytes: badA) }
    }

    @Test func randomBytesNeverCrashTheParser() {
        var generator = SplitMix64(seed: 42)
        let valid = (try? sampleResponse().encoded()) ?? []
        for round in 0..<20_000 {
            var bytes = valid
            // Flip a few bytes of a valid message, or make up one from scratch.
            if round % 2 == 0 {
                for _ in 0..<3 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = (0..<Int(generator.next() % 80)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            }
            _ = try? DNSMessage(bytes: bytes)
        }
    }

    @Test func oversizedMessagesAreCutToHeaderAndQuestionWithTC() throws {
        let message = try sampleResponse()
        let cut = try DNSMessage(bytes: message.encoded(fitting: 60))
        #expect(cut.header.isTruncated)
        #expect(cut.answers.isEmpty && cut.authorities.isEmpty)
        #expect(cut.additionals.map(\.type) == [.opt])
        #expect(cut.questions == message.questions)
        #expect(try DNSMessage(bytes: message.encoded(fitting: 512)) == message)
    }
}

/// A small deterministic random number generator, so that fuzz failures can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
