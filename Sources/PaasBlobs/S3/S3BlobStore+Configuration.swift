extension S3BlobStore {
    /// Where an `S3BlobStore` keeps its blobs and how it signs in.
    ///
    /// `description` leaves the secret key out, so a configuration can be logged.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// The S3 endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`.
        /// Buckets are addressed by path (`endpoint/bucket/key`), which every S3-compatible store
        /// accepts.
        public var endpoint: String
        /// The region requests are signed for; `us-east-1` by default (MinIO and moto accept it).
        public var region: String
        /// The bucket.
        public var bucket: String
        /// The access key ID.
        public var accessKey: String
        /// The secret access key. Never logged, never in errors.
        public var secretKey: String
        /// Prepended to each blob's sha256 to make its object key; `blobs/` by default.
        public var keyPrefix: String

        /// A configuration; see the properties for the defaults.
        public init(
            endpoint: String, region: String = "us-east-1", bucket: String, accessKey: String, secretKey: String,
            keyPrefix: String = "blobs/"
        ) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.keyPrefix = keyPrefix
        }

        public var description: String {
            "S3BlobStore.Configuration(endpoint: \(endpoint), region: \(region), bucket: \(bucket), "
                + "accessKey: \(accessKey), keyPrefix: \(keyPrefix))"
        }
    }
}
