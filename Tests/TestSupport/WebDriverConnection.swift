import Foundation

/// The HTTP side of WebDriver: one JSON request per command to chromedriver on loopback, the
/// answer's `value` back, or its `value.error` / `value.message` thrown as a `WebDriverError`.
struct WebDriverConnection: Sendable {
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Sends `method path` with `body` (POST always has one: W3C wants `{}` for "no parameters").
    /// `timeout` bounds the whole exchange; starting a browser or loading a page can take seconds.
    func send(
        _ method: String, _ path: String, _ body: JSONValue? = nil, timeout: Duration = .seconds(60)
    ) async throws -> JSONValue {
        let command = "\(method) \(path)"
        let requestBody = method == "POST" ? Array(try JSONEncoder().encode(body ?? .object([:]))) : nil
        let answer: HTTPAnswer
        do {
            answer = try await loopbackHTTPRequest(
                port: port, method: method, path: path, body: requestBody, timeout: timeout)
        } catch {
            throw WebDriverError(error: "no response", message: "\(error)", command: command)
        }
        let status = answer.status
        let data = Data(answer.body)
        guard let decoded = try? JSONDecoder().decode(JSONValue.self, from: data), let value = decoded["value"] else {
            let text = String(decoding: data.prefix(2000), as: UTF8.self)
            throw WebDriverError(
                error: "invalid response", message: "not a WebDriver answer: \(text)", command: command,
                httpStatus: status)
        }
        if let error = value["error"]?.stringValue {
            throw WebDriverError(
                error: error, message: value["message"]?.stringValue ?? "", command: command, httpStatus: status)
        }
        guard status == 200 else {
            throw WebDriverError(
                error: "invalid response", message: "HTTP \(status) without an error: \(value)",
                command: command, httpStatus: status)
        }
        return value
    }
}
