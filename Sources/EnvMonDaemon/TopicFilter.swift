/// MQTT topic-filter matching (`+` one level, `#` the rest), to find which subscription — and so
/// which payload format — a message arrived through.
struct TopicFilter: Sendable {
    private let levels: [Substring]

    init(_ filter: String) {
        // `$share/<group>/<filter>` subscriptions deliver topics matching <filter>.
        var levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        if levels.first == "$share", levels.count > 2 { levels.removeFirst(2) }
        self.levels = levels
    }

    func matches(_ topic: String) -> Bool {
        var topicLevels = topic.split(separator: "/", omittingEmptySubsequences: false)[...]
        for level in levels {
            if level == "#" { return true }
            guard let next = topicLevels.popFirst() else { return false }
            if level != "+" && level != next { return false }
        }
        return topicLevels.isEmpty
    }
}
