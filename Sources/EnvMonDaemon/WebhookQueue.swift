internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Logging

/// Queues alert notices for the webhooks whose filters take them.
final class WebhookQueue: Sendable {
    private let webhooks: [WebhookSettings]
    private let outbox: any OutboxStore
    private let logger: Logger
    private let wake: @Sendable (String) -> Void

    init(
        webhooks: [WebhookSettings], outbox: any OutboxStore, logger: Logger, wake: @escaping @Sendable (String) -> Void
    ) {
        self.webhooks = webhooks
        self.outbox = outbox
        self.logger = logger
        self.wake = wake
    }

    static let defaultNotices: Set<String> = ["raised", "escalated", "resolved", "repeated", "acknowledged"]

    /// One entry per (webhook, notice); `fields` are the MQTT event's, plus `text`.
    func enqueue(_ transitions: [(AlertTransition, fields: [String: String], json: String)], at now: Timestamp) {
        var entries: [OutboxEntry] = []
        for (transition, fields, json) in transitions {
            for webhook in webhooks {
                let notices = webhook.notices.isEmpty ? Self.defaultNotices : webhook.notices
                guard notices.contains(transition.notice.rawValue),
                    webhook.severities.isEmpty || webhook.severities.contains(transition.severity.rawValue),
                    webhook.sites.isEmpty || webhook.sites.contains(transition.site)
                else { continue }
                let body = webhook.template.map { $0.render(fields) } ?? json
                entries.append(
                    OutboxEntry(
                        target: webhook.id, kind: .webhook,
                        name: "\(transition.alertID)/\(transition.notice.rawValue)/\(transition.at.milliseconds)",
                        body: Array(body.utf8), createdAt: now))
            }
        }
        guard !entries.isEmpty else { return }
        do {
            try outbox.enqueue(entries)
            for target in Set(entries.map(\.target)) { wake(target) }
        } catch {
            logger.error("cannot queue \(entries.count) webhook notices: \(error)")
        }
    }
}
