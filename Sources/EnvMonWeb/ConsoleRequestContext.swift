public import Hummingbird
public import NIOCore

/// The request context of the console: Hummingbird's basics plus the peer's address, which the
/// login throttle counts failures by.
public struct ConsoleRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Forms are small; nothing else is uploaded.
    public var maxUploadSize: Int { 64 * 1024 }

    var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}
