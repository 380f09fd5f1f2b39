#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import NIOCore
import PaasAPI

/// Reads `RunFrame`s from a request's body, first in the handler (the `start` frame, which
/// decides the response's status) and then while the response streams.
///
/// `@unchecked Sendable`: the body's iterator is not `Sendable`, but a reader is used by one task
/// at a time — the handler, then the one task of the response body that reads the input.
public final class RunFrameReader: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator
    private var decoder = RunFrameDecoder()
    private var ready: [RunFrame] = []

    public init(_ body: RequestBody) {
        self.iterator = body.makeAsyncIterator()
    }

    /// The next frame; nil when the body has ended (the client has left). Throws
    /// `invalid_frame` on bytes that are not frames or a body cut off inside a frame.
    public func next() async throws -> RunFrame? {
        while ready.isEmpty {
            guard let chunk = try await iterator.next() else {
                guard !decoder.isInsideFrame else { throw Self.invalid("the body ended inside a frame") }
                return nil
            }
            do {
                ready = try decoder.append(chunk.readableBytesView)
            } catch {
                throw Self.invalid(error.description)
            }
        }
        return ready.removeFirst()
    }

    /// The `start` frame's payload decoded as `T`; throws `invalid_request` when the body does not
    /// begin with one.
    public func start<T: Decodable>(as type: T.Type) async throws -> T {
        guard case .start(let payload)? = try await next() else {
            throw HTTPError(.badRequest, message: "An interactive run's body must begin with a start frame.")
        }
        do {
            return try APICoding.makeDecoder().decode(T.self, from: Data(payload))
        } catch {
            throw HTTPError(.badRequest, message: "The start frame is not a valid \(T.self): \(error)")
        }
    }

    private static func invalid(_ reason: String) -> HTTPError {
        HTTPError(.badRequest, message: "The body is not a stream of run frames: \(reason).")
    }
}
