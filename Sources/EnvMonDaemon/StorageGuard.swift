internal import EnvMonCore
internal import Foundation
internal import Synchronization

/// Knows whether the daemon can keep what it receives, and tells the operator when it cannot.
///
/// When the inbox journal or the database cannot be written (disk full, quota, I/O error) the
/// daemon must not acknowledge more than it can keep: the MQTT thread then waits before the
/// PUBACK (the broker keeps the message in our persistent session) and the ingest thread keeps
/// its batch and retries. Both report here; the first failure raises one critical operator alert
/// (journal entry with `ENVMON_RULE=storage_full`, retained MQTT message), the return of space
/// resolves it. Nothing here stops the daemon: it resumes by itself.
final class StorageGuard: Sendable {
    enum Place: String, Sendable, CaseIterable {
        case inboxJournal = "inbox journal"
        case database = "database"
    }

    private struct State {
        var failing: [Place: String] = [:]
        /// When the current episode began (meaningful while `failing` is not empty).
        var since = Timestamp(milliseconds: 0)
    }

    private let state = Mutex(State())
    /// Mirrors `!state.failing.isEmpty` so the hot path's "recovered" check takes no lock.
    private let failingFlag = Atomic(false)
    private let journal: AlertJournal
    private let publisher: AlertPublisher?
    private let topic: String
    private let eventsTopic: String
    private let wallClock: any WallClockSource

    /// How long a writer waits before trying again while storage is failing.
    static let retryInterval: Duration = .milliseconds(500)

    init(
        topicPrefix: String, publisher: AlertPublisher?, wallClock: any WallClockSource,
        journal: AlertJournal
    ) {
        self.wallClock = wallClock
        self.topic = "\(topicPrefix)/alerts/daemon/storage_full"
        self.eventsTopic = "\(topicPrefix)/alerts/events"
        self.publisher = publisher
        self.journal = journal
    }

    /// True while some place cannot be written.
    var isFailing: Bool { failingFlag.load(ordering: .acquiring) }

    /// Records a failed write at `place`. Raises the operator alert on the first failure.
    func failed(_ place: Place, error: String) {
        let now = wallClock.now()
        let raised: Bool = state.withLock { state in
            let first = state.failing.isEmpty
            state.failing[place] = error
            failingFlag.store(true, ordering: .releasing)
            if first { state.since = now }
            return first
        }
        guard raised else { return }
        let text =
            "envmond: STORAGE FULL or unwritable: cannot write the \(place.rawValue) (\(error)); "
            + "not acknowledging new messages until it can be written again (the broker keeps them); "
            + "nothing already acknowledged is lost"
        journal.emit(text, priority: 2, fields: storageFields(state: "firing", place: place, error: error))
        let message = payload(state: "firing", place: place, error: error, at: now)
        publisher?.publish(topic: topic, payload: message, retain: true)
        publisher?.publish(topic: eventsTopic, payload: message, retain: false)
    }

    /// Records a successful write at `place`. Resolves the operator alert once every place works.
    func recovered(_ place: Place) {
        guard isFailing else { return }
        // The start of the episode when this write ended it; nil while another place still fails.
        let started: Timestamp? = state.withLock { state in
            guard state.failing.removeValue(forKey: place) != nil, state.failing.isEmpty else { return nil }
            failingFlag.store(false, ordering: .releasing)
            return state.since
        }
        guard let started else { return }
        let now = wallClock.now()
        let seconds = Double(now.milliseconds - started.milliseconds) / 1000
        let text = "envmond: storage writable again after \(String(format: "%.1f", seconds)) s; ingest resumed"
        journal.emit(text, priority: 5, fields: storageFields(state: "resolved", place: place, error: ""))
        // An empty retained message clears the alert for subscribers, as resolved rule alerts do.
        publisher?.publish(topic: topic, payload: "", retain: true)
        publisher?.publish(
            topic: eventsTopic, payload: payload(state: "resolved", place: place, error: "", at: now), retain: false)
    }

    /// Sleeps one retry interval; used by both writers while storage is failing.
    static func pause() {
        let interval = retryInterval.components
        usleep(UInt32(interval.seconds * 1_000_000 + interval.attoseconds / 1_000_000_000_000))
    }

    private func storageFields(state: String, place: Place, error: String) -> [(String, String)] {
        [
            ("ENVMON_RULE", "storage_full"), ("ENVMON_STATE", state), ("ENVMON_SEVERITY", "critical"),
            ("ENVMON_STORAGE_PLACE", place.rawValue), ("ENVMON_STORAGE_ERROR", error),
        ]
    }

    private func payload(state: String, place: Place, error: String, at time: Timestamp) -> String {
        var fields = [
            "\"rule\":\"storage_full\"", "\"state\":\"\(state)\"", "\"severity\":\"critical\"",
            "\"place\":\(JSONText.quote(place.rawValue))", "\"at\":\(JSONText.quote(RFC3339.format(time)))",
        ]
        if !error.isEmpty { fields.append("\"error\":\(JSONText.quote(error))") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
