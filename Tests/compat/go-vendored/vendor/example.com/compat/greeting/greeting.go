// Package greeting is a dependency that only exists vendored: the build must not fetch it.
package greeting

// For greets someone by name.
func For(name string) string { return "Hello, " + name + ", from a vendored module" }
