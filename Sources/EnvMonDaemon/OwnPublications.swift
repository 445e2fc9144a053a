/// The topics envmond publishes on itself: alert notices (`<prefix>/alerts/...`, the catch-up
/// marker among them) and the hourly VN_AQI (`<prefix>/aqi/<site>`). They come back on a
/// `<prefix>/+/+` subscription; they are not sensor data, so they are dropped unread: neither
/// journaled (there they would also end the resent prefix the redelivery check looks for after a
/// reconnect) nor rejected.
struct OwnPublications: Sendable {
    let alertsPrefix: String
    let aqiPrefix: String

    init(topicPrefix: String) {
        alertsPrefix = topicPrefix + "/alerts/"
        aqiPrefix = topicPrefix + "/aqi/"
    }

    /// `<prefix>/aqi/<site>`.
    func aqiTopic(site: String) -> String { aqiPrefix + site }

    /// Two prefix comparisons: this runs on the MQTT thread for every message.
    func contains(_ topic: String) -> Bool {
        topic.hasPrefix(alertsPrefix) || topic.hasPrefix(aqiPrefix)
    }
}
