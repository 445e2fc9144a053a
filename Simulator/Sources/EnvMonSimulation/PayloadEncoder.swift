/// One MQTT message to publish.
package struct OutgoingMessage: Sendable, Hashable {
    package var topic: String
    package var payload: [UInt8]
    /// The format it was encoded in, or nil for an injected bad message.
    package var style: PayloadStyle?
    /// Readings in it that the daemon should store (0 for injected bad messages).
    package var readings: Int
    /// The fault it carries, if any.
    package var fault: FaultKind?

    package init(topic: String, payload: [UInt8], style: PayloadStyle?, readings: Int, fault: FaultKind? = nil) {
        self.topic = topic
        self.payload = payload
        self.style = style
        self.readings = readings
        self.fault = fault
    }

    package var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Encodes readings in the formats the daemon accepts, on the config's topic layout:
/// `<prefix>/<site>/<sensor>/<metric>` for plain numbers, `<prefix>/<site>/<sensor>` otherwise.
package struct PayloadEncoder: Sendable {
    package var topicPrefix: String
    /// The measurement name in line protocol (EnvMon names series by sensor and metric).
    package var measurement = "env"

    package init(topicPrefix: String) {
        var prefix = topicPrefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.topicPrefix = prefix
    }

    package func sensorTopic(site: String, sensor: String) -> String {
        topicPrefix.isEmpty ? "\(site)/\(sensor)" : "\(topicPrefix)/\(site)/\(sensor)"
    }

    package func metricTopic(site: String, sensor: String, metric: String) -> String {
        sensorTopic(site: site, sensor: sensor) + "/" + metric
    }

    /// The format a sensor uses under `mix`: fixed per sensor id, so a sensor never changes format.
    package static func mixedStyle(for sensor: String, allowPlain: Bool) -> PayloadStyle {
        let styles: [PayloadStyle] = allowPlain ? [.json, .senml, .line, .plain] : [.json, .senml, .line]
        return styles[Int(StableHash.fnv1a(sensor) % UInt64(styles.count))]
    }

    package func encode(_ reading: SimulatedReading, style: PayloadStyle) -> [OutgoingMessage] {
        switch style {
        case .plain:
            return reading.values.map { value in
                OutgoingMessage(
                    topic: metricTopic(site: reading.site, sensor: reading.sensor, metric: value.metric),
                    payload: Array(value.text.utf8), style: .plain, readings: 1)
            }
        case .json:
            return [message(reading, .json, json(reading))]
        case .senml:
            return [message(reading, .senml, senml(reading))]
        case .line:
            return [message(reading, .line, line(reading))]
        case .mix:
            return encode(reading, style: Self.mixedStyle(for: reading.sensor, allowPlain: true))
        }
    }

    private func message(_ reading: SimulatedReading, _ style: PayloadStyle, _ text: String) -> OutgoingMessage {
        OutgoingMessage(
            topic: sensorTopic(site: reading.site, sensor: reading.sensor), payload: Array(text.utf8), style: style,
            readings: reading.values.count)
    }

    /// `{"ts":1767225600000,"seq":17,"water_temp":24.81,...}` (epoch milliseconds).
    package func json(_ reading: SimulatedReading) -> String {
        var text = "{\"ts\":\(reading.time),\"seq\":\(reading.sequence)"
        for value in reading.values { text += ",\"\(value.metric)\":\(value.text)" }
        return text + "}"
    }

    /// `[{"bn":"lh-wq-01/","bt":1767225600,"n":"water_temp","v":24.81},{"n":"salinity","v":30.2}]`.
    package func senml(_ reading: SimulatedReading) -> String {
        var text = "["
        for (index, value) in reading.values.enumerated() {
            if index == 0 {
                text +=
                    "{\"bn\":\"\(reading.sensor)/\",\"bt\":\(DecimalText.seconds(milliseconds: reading.time)),"
                    + "\"n\":\"\(value.metric)\",\"v\":\(value.text)}"
            } else {
                text += ",{\"n\":\"\(value.metric)\",\"v\":\(value.text)}"
            }
        }
        return text + "]"
    }

    /// `env,site=lan_ha,sensor=lh-wq-01 water_temp=24.81,salinity=30.2 1767225600000000000` (ns).
    package func line(_ reading: SimulatedReading) -> String {
        let fields = reading.values.map { "\($0.metric)=\($0.text)" }.joined(separator: ",")
        return "\(measurement),site=\(reading.site),sensor=\(reading.sensor) \(fields) \(reading.time)000000"
    }
}
