package import EnvMonCore

/// One file or webhook body waiting in (or sent from) the outbox, as the exact bytes sent.
package struct OutboxEntry: Hashable, Sendable {
    package enum Kind: String, Sendable { case dataFile = "data_file", webhook }

    package var id: Int64 = 0
    package var target: String
    package var kind: Kind
    package var name: String
    package var body: [UInt8]
    package var station: String?
    package var intervalEnd: Timestamp?
    package var createdAt: Timestamp
    package var attempts = 0
    package var nextAttemptAt: Timestamp
    package var lastError: String?
    package var sentAt: Timestamp?
    package var abandonedAt: Timestamp?
    /// Set when an upload began and not yet confirmed: after a crash the sender asks the server
    /// whether it has the file before sending it again.
    package var uploadStartedAt: Timestamp?

    package init(
        target: String, kind: Kind, name: String, body: [UInt8], station: String? = nil,
        intervalEnd: Timestamp? = nil, createdAt: Timestamp
    ) {
        self.target = target
        self.kind = kind
        self.name = name
        self.body = body
        self.station = station
        self.intervalEnd = intervalEnd
        self.createdAt = createdAt
        self.nextAttemptAt = createdAt
    }
}

extension OutboxEntry {
    /// Where an entry stands, as `status()` counts it: sent, still to send (the backlog), or given up.
    package enum State: String, Sendable { case sent, waiting, abandoned }

    package var state: State {
        if sentAt != nil { return .sent }
        return abandonedAt == nil ? .waiting : .abandoned
    }
}

/// What `envmon transmit status` shows per target.
package struct OutboxTargetStatus: Hashable, Sendable {
    package var target: String
    package var sent: Int
    package var backlog: Int
    package var abandoned: Int
    package var lastSentAt: Timestamp?
    package var lastSentName: String?
    /// Creation time of the oldest file still to send.
    package var oldestPendingAt: Timestamp?
    package var lastError: String?
    package var lastAttemptAt: Timestamp?

    package init(
        target: String, sent: Int, backlog: Int, abandoned: Int, lastSentAt: Timestamp? = nil,
        lastSentName: String? = nil, oldestPendingAt: Timestamp? = nil, lastError: String? = nil,
        lastAttemptAt: Timestamp? = nil
    ) {
        self.target = target
        self.sent = sent
        self.backlog = backlog
        self.abandoned = abandoned
        self.lastSentAt = lastSentAt
        self.lastSentName = lastSentName
        self.oldestPendingAt = oldestPendingAt
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
    }
}

/// The durable outbox (`Store.outbox`): a file is made once per (target, name) and kept as sent;
/// senders take the oldest unsent entry of their target, so a backlog goes out in order.
package protocol OutboxStore: Sendable {
    /// Adds entries (an existing (target, name) is left as it is) and records how far each
    /// station's files are made, in one transaction.
    func enqueue(_ entries: [OutboxEntry], madeThrough: [String: Timestamp]) throws
    func madeThrough() throws -> [String: Timestamp]
    /// The oldest entry of `target` still to send.
    func next(target: String) throws -> OutboxEntry?
    func entry(id: Int64) throws -> OutboxEntry?
    func dataFiles(station: String?, from: Timestamp, to: Timestamp) throws -> [OutboxEntry]
    func markUploadStarted(_ id: Int64, at time: Timestamp) throws
    func markSent(_ id: Int64, at time: Timestamp) throws
    func markFailed(_ id: Int64, error: String, retryAt: Timestamp, at time: Timestamp) throws
    func markAbandoned(_ id: Int64, error: String, at time: Timestamp) throws
    /// Puts sent or abandoned entries back in the queue; how many.
    func resend(target: String?, station: String?, from: Timestamp, to: Timestamp, at time: Timestamp) throws -> Int
    func status() throws -> [OutboxTargetStatus]
    /// Entries of one target or all (only those still to send when `waitingOnly`), in the order
    /// they were queued, at most `limit`: what `envmon transmit list` shows.
    func entries(target: String?, waitingOnly: Bool, limit: Int) throws -> [OutboxEntry]
    /// Removes sent entries older than `before`; how many.
    func prune(before: Timestamp) throws -> Int
}

extension OutboxStore {
    package func enqueue(_ entries: [OutboxEntry]) throws { try enqueue(entries, madeThrough: [:]) }

    package func dataFiles(from: Timestamp, to: Timestamp) throws -> [OutboxEntry] {
        try dataFiles(station: nil, from: from, to: to)
    }
}
