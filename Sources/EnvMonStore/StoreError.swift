/// Errors of the store that a person must be able to act on: each names the file and what is wrong.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case notAnEnvMonDatabase
        case newerSchema
        case cannotOpen
        case invalidArgument
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
