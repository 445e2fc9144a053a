/// A bare number on `<prefix>/<site>/<sensor>/<metric>`, e.g. `24.8`. The value has no time of its
/// own, so it takes the receive time (recorded in the inbox journal, so replay gives the same).
package enum PlainNumberDecoder {
    package static func decode(_ payload: [UInt8], context: DecodeContext) -> DecodeResult {
        guard let topic = TopicPath.parse(topic: context.topic, prefix: context.topicPrefix),
            let site = topic.site, let sensor = topic.sensor, let metric = topic.metric
        else {
            return DecodeResult(rejections: [
                Rejection(
                    .undecodable,
                    "a plain number needs the topic \(topicLayout(context.topicPrefix, "<site>/<sensor>/<metric>")), "
                        + "got \(detailQuoted(context.topic, limit: 120))")
            ])
        }
        let text = NumberText.trimmed(payload)
        switch NumberText.parse(text) {
        case .finite(let value):
            return DecodeResult(samples: [
                DecodedSample(
                    sensor: sensor, site: site, metric: metric, value: value, timestamp: context.receivedAt,
                    timeSource: .receipt)
            ])
        case .notFinite(let word):
            return DecodeResult(rejections: [
                Rejection(.notFinite, "value \(detailQuoted(word)) for \(metric) is not finite")
            ]
            )
        case nil:
            let shown = String(decoding: text, as: UTF8.self)
            let detail =
                shown.isEmpty ? "empty payload, expected a number" : "payload \(detailQuoted(shown)) is not a number"
            return DecodeResult(rejections: [Rejection(.undecodable, detail)])
        }
    }
}

/// `cathai/<site>/<sensor>` style description of an expected topic layout for messages.
func topicLayout(_ prefix: String, _ levels: String) -> String {
    var trimmed = Substring(prefix)
    while trimmed.last == "/" { trimmed.removeLast() }
    return trimmed.isEmpty ? levels : "\(trimmed)/\(levels)"
}
