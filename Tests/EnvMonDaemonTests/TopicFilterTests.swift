import Testing

@testable import EnvMonDaemon

@Suite("TopicFilter")
struct TopicFilterTests {
    @Test(
        "Matches as MQTT does: + is one level, # is the rest (and the parent), levels are exact",
        arguments: [
            ("envmon/catba/buoy-1", "envmon/catba/buoy-1", true),
            ("envmon/catba/buoy-1", "envmon/catba/buoy-2", false),
            ("envmon/catba/buoy-1", "envmon/catba/buoy-1/temp", false),
            ("envmon/catba/buoy-1", "envmon/catba", false),
            ("envmon/+/buoy-1", "envmon/catba/buoy-1", true),
            ("envmon/+/buoy-1", "envmon/catba/x/buoy-1", false),
            ("envmon/+/buoy-1", "envmon//buoy-1", true),
            ("envmon/+", "envmon/catba", true),
            ("envmon/+", "envmon/catba/buoy-1", false),
            ("envmon/+", "envmon", false),
            ("+/+", "a/b", true),
            ("+", "a", true),
            ("+", "a/b", false),
            ("envmon/#", "envmon/catba/buoy-1/temp", true),
            ("envmon/#", "envmon/catba", true),
            ("envmon/#", "envmon", true),
            ("envmon/#", "other/catba", false),
            ("envmon/+/#", "envmon/catba/buoy-1", true),
            ("envmon/+/#", "envmon/catba", true),
            ("#", "anything/at/all", true),
            ("#", "x", true),
            ("envmon/catba/", "envmon/catba/", true),
            ("envmon/catba/", "envmon/catba", false),
            ("envmon/catba", "envmon/catba/", false),
            ("Envmon/catba", "envmon/catba", false),
            ("envmon/senml", "envmon/senml", true),
        ])
    func matching(filter: String, topic: String, expected: Bool) {
        #expect(TopicFilter(filter).matches(topic) == expected, "\(filter) vs \(topic)")
    }

    @Test(
        "A shared subscription matches the topics of the filter after $share/<group>/",
        arguments: [
            ("$share/envmon/envmon/+/buoy-1", "envmon/catba/buoy-1", true),
            ("$share/envmon/envmon/#", "envmon/catba/buoy-1", true),
            ("$share/envmon/envmon/#", "other/catba", false),
            ("$share/g/#", "a/b/c", true),
            ("$share/g/a/b", "$share/g/a/b", false),
        ])
    func sharedSubscriptions(filter: String, topic: String, expected: Bool) {
        #expect(TopicFilter(filter).matches(topic) == expected, "\(filter) vs \(topic)")
    }
}
