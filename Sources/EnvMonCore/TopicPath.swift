/// The parts of a topic under the configured prefix: `<prefix>/<site>/<sensor>[/<metric>]`.
/// The prefix may itself contain slashes, or be empty (then the topic starts with the site).
package struct TopicPath: Hashable, Sendable {
    package var site: String?
    package var sensor: String?
    package var metric: String?

    package init(site: String? = nil, sensor: String? = nil, metric: String? = nil) {
        self.site = site
        self.sensor = sensor
        self.metric = metric
    }

    /// Splits `topic` after `prefix`. Returns nil when the topic is not under the prefix, has an
    /// empty level (`a//b`) or more than three levels after it. Zero to three levels are fine:
    /// SenML and line protocol name their sensor in the payload, so `<prefix>/<site>` or even
    /// `<prefix>` carry enough.
    package static func parse(topic: String, prefix: String) -> TopicPath? {
        // Byte-level: this runs for every message, and Character-based Substring operations
        // (hasPrefix, split) cost more than the rest of a plain-number decode.
        let slash = UInt8(ascii: "/")
        let bytes = topic.utf8
        var prefixBytes = prefix.utf8[...]
        while prefixBytes.last == slash { prefixBytes = prefixBytes.dropLast() }
        var position = bytes.startIndex
        if !prefixBytes.isEmpty {
            guard bytes.starts(with: prefixBytes) else { return nil }
            position = bytes.index(position, offsetBy: prefixBytes.count)
            if position == bytes.endIndex { return TopicPath() }
            guard bytes[position] == slash else { return nil }
            position = bytes.index(after: position)
        } else if bytes.isEmpty {
            return TopicPath()
        }
        var levels: [String] = []
        var levelStart = position
        while true {
            if position == bytes.endIndex || bytes[position] == slash {
                guard position != levelStart, levels.count < 3 else { return nil }
                levels.append(String(topic[levelStart..<position]))
                if position == bytes.endIndex { break }
                levelStart = bytes.index(after: position)
            }
            position = bytes.index(after: position)
        }
        return TopicPath(
            site: levels[0], sensor: levels.count > 1 ? levels[1] : nil, metric: levels.count > 2 ? levels[2] : nil)
    }
}
