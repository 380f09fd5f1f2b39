import Testing

// PaasCoreTests stays free of the heavy test helpers, so it declares the one tag it uses.
extension Tag {
    @Tag static var small: Self
}
