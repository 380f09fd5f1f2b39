#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A build of one pushed commit, as the API shows it. Listings leave `output` out; one build by
/// number carries it.
public struct BuildResource: Codable, Sendable, Equatable {
    public var id: String
    /// Counts up per app: 1, 2, …
    public var number: Int
    /// The pushed commit's sha.
    public var commit: String
    /// `pending`, `succeeded` or `failed`.
    public var status: String
    /// Why the build failed, in a few words, when it did.
    public var failureReason: String?
    /// The buildpacks that built the app, by name.
    public var buildpacks: [String]
    /// The slug the build made (its sha256), when it succeeded.
    public var slugID: String?
    /// The release the build made, when it succeeded.
    public var releaseVersion: Int?
    public var createdBy: String
    public var createdAt: Date
    public var finishedAt: Date?
    /// Everything the build printed; only in `GET /v1/apps/{app}/builds/{number}`.
    public var output: String?

    public init(
        id: String, number: Int, commit: String, status: String, failureReason: String?, buildpacks: [String],
        slugID: String?, releaseVersion: Int?, createdBy: String, createdAt: Date, finishedAt: Date?, output: String?
    ) {
        self.id = id
        self.number = number
        self.commit = commit
        self.status = status
        self.failureReason = failureReason
        self.buildpacks = buildpacks
        self.slugID = slugID
        self.releaseVersion = releaseVersion
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.output = output
    }

    enum CodingKeys: String, CodingKey {
        case id, number, commit, status, buildpacks, output
        case failureReason = "failure_reason"
        case slugID = "slug_id"
        case releaseVersion = "release_version"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case finishedAt = "finished_at"
    }
}
