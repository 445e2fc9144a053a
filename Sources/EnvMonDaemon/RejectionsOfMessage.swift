internal import EnvMonCore
internal import EnvMonStore

/// The rejections of one message, capped: a single message of 20,000 bad fields must not write
/// 20,000 reject rows (each with a copy of the payload). The first `limit` are kept one by one,
/// the rest are counted in one closing row.
struct RejectionsOfMessage {
    static let limit = 20
    let message: InboxMessage
    private var kept: [Rejection] = []
    private var skipped = 0
    private var skippedReasons: [RejectReason: Int] = [:]

    init(message: InboxMessage) { self.message = message }

    mutating func add(_ rejection: Rejection) {
        if kept.count < Self.limit {
            kept.append(rejection)
        } else {
            skipped += 1
            skippedReasons[rejection.reason, default: 0] += 1
        }
    }

    func records() -> [RejectRecord] {
        var records = kept.map(record)
        if skipped > 0, let reason = skippedReasons.max(by: { $0.value < $1.value })?.key {
            let breakdown = skippedReasons.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            records.append(
                record(
                    Rejection(
                        reason,
                        "\(skipped) more rejections in this message (\(breakdown)), not recorded one by one")))
        }
        return records
    }

    private func record(_ rejection: Rejection) -> RejectRecord {
        RejectRecord(
            receivedAt: message.receivedAt, topic: String(message.topic.prefix(512)), reason: rejection.reason,
            detail: rejection.detail, payload: message.payload)
    }
}
