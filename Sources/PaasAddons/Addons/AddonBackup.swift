import PaasBlobs

/// A backup of one add-on's data, stored as a blob.
public struct AddonBackup: Sendable, Equatable, Codable {
    /// The blob holding the dump (`mariadb-dump` SQL, `pg_dump` custom format, or a Redis RDB file).
    public var blobID: BlobID
    /// Its size in bytes.
    public var size: Int64

    public init(blobID: BlobID, size: Int64) {
        self.blobID = blobID
        self.size = size
    }
}
