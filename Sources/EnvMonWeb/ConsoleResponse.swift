internal import EnvMonJSON
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// How the console answers: every response carries the same security headers; pages and API
/// answers are never cached (they are live), the static files are.
enum ConsoleResponse {
    static let securityHeaders: [(HTTPField.Name, String)] = [
        // Everything the pages need comes from this server; the AQI cells colour themselves inline.
        (
            .contentSecurityPolicy,
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
        ),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
    ]

    static func make(
        _ body: String, type: String, status: HTTPResponse.Status = .ok, cache: String = "no-store",
        extra: [(HTTPField.Name, String)] = []
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = cache
        for (name, value) in securityHeaders { headers[name] = value }
        for (name, value) in extra { headers.append(HTTPField(name: name, value: value)) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func html(
        _ body: String, status: HTTPResponse.Status = .ok, extra: [(HTTPField.Name, String)] = []
    )
        -> Response
    {
        make(body, type: "text/html; charset=utf-8", status: status, extra: extra)
    }

    static func json(_ value: JSONField, status: HTTPResponse.Status = .ok) -> Response {
        make(value.encoded + "\n", type: "application/json; charset=utf-8", status: status)
    }

    static func redirect(_ location: String, extra: [(HTTPField.Name, String)] = []) -> Response {
        var response = make("", type: "text/plain; charset=utf-8", status: .seeOther, extra: extra)
        response.headers[.location] = location
        return response
    }
}
