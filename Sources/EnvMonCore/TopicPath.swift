/// The parts of a topic under the configured prefix: `<prefix>/<site>/<sensor>[/<metric>]`.
/// The prefix may itself contain slashes, or be empty (then the topic starts with the site).
public struct TopicPath: Hashable, Sendable {
    public var site: String?
    public var sensor: String?
    public var metric: String?

    public init(site: String? = nil, sensor: String? = nil, metric: String? = nil) {
        self.site = site
        self.sensor = sensor
        self.metric = metric
    }

    /// Splits `topic` after `prefix`. Returns nil when the topic is not under the prefix, has an
    /// empty level (`a//b`) or more than three levels after it. Zero to three levels are fine:
    /// SenML and line protocol name their sensor in the payload, so `<prefix>/<site>` or even
    /// `<prefix>` carry enough.
    public static func parse(topic: String, prefix: String) -> TopicPath? {
        var trimmedPrefix = Substring(prefix)
        while trimmedPrefix.last == "/" { trimmedPrefix.removeLast() }
        var rest = Substring(topic)
        if !trimmedPrefix.isEmpty {
            guard rest.hasPrefix(trimmedPrefix) else { return nil }
            rest = rest.dropFirst(trimmedPrefix.count)
            if rest.isEmpty { return TopicPath() }
            guard rest.first == "/" else { return nil }
            rest = rest.dropFirst()
        } else if rest.isEmpty {
            return TopicPath()
        }
        let levels = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count <= 3, !levels.contains(where: \.isEmpty) else { return nil }
        return TopicPath(
            site: String(levels[0]),
            sensor: levels.count > 1 ? String(levels[1]) : nil,
            metric: levels.count > 2 ? String(levels[2]) : nil)
    }
}
