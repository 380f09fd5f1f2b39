@testable import PaasBlobs
import Testing

/// The signer against the worked examples of the S3 documentation ("Signature Calculations for
/// the Authorization Header", GET Object).
@Suite(.tags(.small))
struct SignatureV4Tests {
    let signer = SignatureV4(
        accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")

    @Test func signsTheDocumentedGetObjectExample() {
        // 2013-05-24T00:00:00Z
        let headers = signer.signedHeaders(
            method: "GET", path: "/test.txt",
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
            payloadHash: SignatureV4.emptyPayloadHash, date: 1_369_353_600)
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
    }

    @Test func encodesKeysLikeS3() {
        #expect(SignatureV4.encode("blobs/a b+c~", keepSlash: true) == "blobs/a%20b%2Bc~")
        #expect(SignatureV4.encode("a/b") == "a%2Fb")
    }
}
