/// Errors of the store that a person must be able to act on: each names the file and what is wrong.
package struct StoreError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable {
        case notAnEnvMonDatabase
        case newerSchema
        case cannotOpen
        case invalidArgument
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
