/// A provider that runs servers of its own (tests reach them to simulate a killed paasd).
protocol ServerOwning: Sendable {
    /// The provider's managed servers that exist so far.
    var managedServers: [ManagedServer] { get async }
}
