internal import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
internal import ServiceLifecycle

/// `GET /metrics` on a loopback address: the Prometheus text format, nothing else.
final class MetricsService: Service, Sendable {
    private let host: String
    private let port: Int
    private let exporter: MetricsExporter
    private let logger: Logger

    init(listen: String, exporter: MetricsExporter, logger: Logger) {
        var parts = listen.split(separator: ":")
        port = Int(parts.removeLast()) ?? 9464
        host = parts.joined(separator: ":").trimmingCharacters(in: ["[", "]"])
        self.exporter = exporter
        self.logger = logger
    }

    func run() async throws {
        let exporter = self.exporter
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(exporter: exporter))
                }
            }
            .bind(host: host, port: port).get()
        logger.info("metrics endpoint listening", metadata: ["metrics.address": "http://\(host):\(port)/metrics"])
        try? await gracefulShutdown()
        try await channel.close()
    }
}

/// Answers each request on the connection; only `GET /metrics` has content.
final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let exporter: MetricsExporter

    init(exporter: MetricsExporter) { self.exporter = exporter }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let found = request.method == .GET && (request.uri == "/metrics" || request.uri.hasPrefix("/metrics?"))
        let body = found ? exporter.scrape() : Array("not found: use GET /metrics\n".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: request.version, status: found ? .ok : .notFound, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
