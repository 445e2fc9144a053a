internal import EnvMonJSON
internal import Hummingbird

/// A request the console refuses: the status, what is wrong in words, and the query parameter
/// at fault when there is one. The API answers it as JSON, pages as a short HTML page.
struct ConsoleError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    var parameter: String?

    static func notFound(_ message: String) -> ConsoleError { ConsoleError(status: .notFound, message: message) }

    static func badParameter(_ name: String, _ message: String) -> ConsoleError {
        ConsoleError(status: .badRequest, message: message, parameter: name)
    }

    var json: JSONField {
        var fields: [String: JSONField] = ["error": .string(message), "status": .integer(Int64(status.code))]
        if let parameter { fields["parameter"] = .string(parameter) }
        return .object(fields)
    }
}
