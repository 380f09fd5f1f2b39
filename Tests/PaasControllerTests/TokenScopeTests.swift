import PaasController
import Testing

@Suite(.tags(.small))
struct TokenScopeTests {
    @Test func eachDaemonScopeAllowsItsOwnRequestsOnly() {
        #expect(TokenScope.router.allows(method: "GET", path: "/v1/router/table"))
        #expect(TokenScope.router.allows(method: "POST", path: "/v1/router/logs"))
        #expect(TokenScope.host.allows(method: "PUT", path: "/v1/hosts/runner-2"))
        #expect(TokenScope.host.allows(method: "GET", path: "/v1/blobs/ab12"))
        #expect(TokenScope.host.allows(method: "HEAD", path: "/v1/blobs/ab12"))
        let refused: [(TokenScope, String, String)] = [
            (.router, "GET", "/v1/apps/shop/config-vars"), (.router, "GET", "/v1/router/table/"), (.router, "PUT", "/v1/hosts/x"),
            (.router, "GET", "/v1/router/table/../../apps"), (.host, "GET", "/v1/hosts"), (.host, "PUT", "/v1/hosts/"),
            (.host, "PUT", "/v1/hosts/a/b"), (.host, "DELETE", "/v1/blobs/ab12"), (.host, "GET", "/v1/router/table"),
            (.host, "GET", "/v1/apps/shop/certs"),
        ]
        for (scope, method, path) in refused {
            #expect(!scope.allows(method: method, path: path), "\(scope) \(method) \(path)")
        }
        #expect(TokenScope.admin.allows(method: "DELETE", path: "/v1/apps/shop"))
    }
}
