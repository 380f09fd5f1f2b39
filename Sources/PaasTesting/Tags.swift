import Testing

extension Tag {
    /// Pure logic, no I/O.
    @Tag public static var small: Self
    /// A real PostgreSQL or an in-process server.
    @Tag public static var medium: Self
    /// End to end: `paasd` as a process, real containers, real git.
    @Tag public static var large: Self
}
