/// A failure of the test harness itself (broker did not start, process could not launch, ...).
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
