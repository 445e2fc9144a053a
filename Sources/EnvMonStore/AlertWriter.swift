package import EnvMonCore

/// The daemon's side of alerts (`Store.alertWriter`): the engine's state kept across restarts,
/// transitions logged, acknowledgement requests answered.
package protocol AlertWriter: Sendable {
    func loadStates() throws -> [AlertStateRecord]
    /// Logs transitions and replaces the states, in one transaction.
    func record(
        _ transitions: [(AlertTransition, text: String)], states: [AlertStateRecord], removed: [AlertStateRecord],
        at time: Timestamp
    ) throws
    func pendingAcknowledgements() throws -> [AcknowledgementRequest]
    func completeAcknowledgement(_ id: Int64, status: String, detail: String) throws
}

extension AlertWriter {
    package func record(
        _ transitions: [(AlertTransition, text: String)], states: [AlertStateRecord], at time: Timestamp
    ) throws {
        try record(transitions, states: states, removed: [], at: time)
    }
}
