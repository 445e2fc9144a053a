import Foundation
import TestSupport
import Testing

@Suite struct ChildProcessTests {
    /// A socket of the test process without FD_CLOEXEC (as libcurl makes them) must not reach a
    /// server the tests start: the child would hold the connection open after the test closed it.
    @Test func aChildInheritsOnlyItsStandardStreams() async throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socketDescriptor > 2)
        defer { close(socketDescriptor) }
        #expect(fcntl(socketDescriptor, F_GETFD) & FD_CLOEXEC == 0, "the socket is inheritable by default")
        // The shell lists its own descriptors: /proc/self/fd read by `ls` would add ls's own.
        let listing = try await runProcess(
            "/bin/sh", ["-c", "for d in /proc/$$/fd/*; do echo \"${d##*/}\"; done"], timeout: .seconds(30))
        #expect(listing.succeeded, "\(listing)")
        let descriptors = Set(listing.stdout.split(separator: "\n").compactMap { Int($0) })
        #expect(!descriptors.contains(Int(socketDescriptor)), "\(descriptors.sorted())")
        #expect(descriptors.isSuperset(of: [0, 1, 2]), "\(descriptors.sorted())")
    }
}
