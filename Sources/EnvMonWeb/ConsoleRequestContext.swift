package import Hummingbird
package import NIOCore

/// The request context of the console: Hummingbird's basics plus the peer's address, which the
/// login throttle counts failures by.
package struct ConsoleRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; nothing else is uploaded.
    package var maxUploadSize: Int { 64 * 1024 }

    var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}

extension WebConsole {
    /// A path segment as typed: Hummingbird leaves percent-escapes in (an alert id's colons
    /// arrive as %3A from our own links).
    static func pathParameter(_ context: ConsoleRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
