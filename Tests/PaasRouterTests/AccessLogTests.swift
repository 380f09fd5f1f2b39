@testable import PaasRouter
import PaasTesting
import Testing

/// What a client puts in a request line cannot forge fields, lines or terminal escapes in the
/// app's router lines.
@Suite(.tags(.small))
struct AccessLogTests {
    @Test func plainPathsAndHostsStayAsTheyAre() {
        #expect(AccessLog.escaped("/items/7?q=a%20b&x=1") == "/items/7?q=a%20b&x=1")
        #expect(AccessLog.escaped("demo.localhost") == "demo.localhost")
    }

    @Test func quotesSpacesControlAndNonASCIIBytesAreEscaped() {
        #expect(AccessLog.escaped("/x\" status=200 fake=\"1") == "/x\\x22\\x20status=200\\x20fake=\\x221")
        #expect(AccessLog.escaped("/a\r\n2026 paas[deploy]: ok") == "/a\\x0d\\x0a2026\\x20paas[deploy]:\\x20ok")
        #expect(AccessLog.escaped("/\u{1b}]0;pwned\u{07}") == "/\\x1b]0;pwned\\x07")
        #expect(AccessLog.escaped("/é\\") == "/\\xc3\\xa9\\x5c")
    }
}
