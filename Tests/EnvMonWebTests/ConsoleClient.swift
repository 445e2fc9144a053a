import Foundation
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP client for one console: follows no redirects and keeps no cookies by itself, so a
/// test sees every `303` and `Set-Cookie` and decides what to send back.
struct ConsoleClient: Sendable {
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var setCookies: [String]
        var body: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }

        /// The value a `Set-Cookie` gave `name`.
        func cookie(_ name: String) -> String? {
            for line in setCookies {
                let pair = line.split(separator: ";", maxSplits: 1)[0]
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
            }
            return nil
        }
    }

    let port: Int
    private let session: URLSession

    init(port: Int) {
        self.port = port
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String, cookies: [String: String] = [:]) async throws -> Answer {
        try await send(URLRequest(url: URL(string: base + path)!), cookies: cookies)
    }

    func post(_ path: String, form: [(String, String)], cookies: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&").utf8)
        return try await send(request, cookies: cookies)
    }

    private func send(_ request: URLRequest, cookies: [String: String]) async throws -> Answer {
        var request = request
        if !cookies.isEmpty {
            request.setValue(
                cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie")
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = "\(value)" }
        // Several Set-Cookie headers arrive folded into one comma-separated field; cookie values
        // here never hold commas, but `Expires` dates would, so only `Max-Age` is used.
        let setCookies = (headers["set-cookie"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return Answer(
            status: http.statusCode, headers: headers, setCookies: setCookies,
            body: String(decoding: data, as: UTF8.self))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}
