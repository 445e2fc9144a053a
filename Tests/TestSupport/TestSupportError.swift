/// A failure of the test harness itself (broker did not start, process could not launch, ...).
package struct TestSupportError: Error, CustomStringConvertible, Sendable {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
