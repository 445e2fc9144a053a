package import EnvMonCore

/// A start or end of maintenance asked for by the CLI, as the daemon finds it and answers it.
package struct MaintenanceRequest: Hashable, Sendable {
    package enum Action: String, Sendable { case start, end }
    package var id: Int64
    package var action: Action
    package var window: MaintenanceWindow
    package var requestedAt: Timestamp
    /// pending, applied or refused.
    package var status: String
    package var detail: String?
    package var windowID: Int64?
}

/// Maintenance windows and the request queue the CLI and the daemon share (`Store.maintenance`).
/// Only the daemon writes windows; the CLI writes requests (as it does acknowledgements).
package protocol MaintenanceStore: Sendable {
    /// Queues a start or end for the daemon; the request's id.
    func request(_ action: MaintenanceRequest.Action, _ window: MaintenanceWindow, at time: Timestamp) throws -> Int64
    func request(id: Int64) throws -> MaintenanceRequest?
    /// Windows open at or ending after `since` (every window when nil), oldest first.
    func windows(since: Timestamp?) throws -> [MaintenanceWindow]
    /// Windows overlapping [from, to).
    func windows(from: Timestamp, to: Timestamp) throws -> [MaintenanceWindow]
    func pendingRequests() throws -> [MaintenanceRequest]
    /// Windows open at `now`, with the last announcement stage each has had.
    func currentWindows(now: Timestamp) throws -> [(window: MaintenanceWindow, announced: Int)]
    func open(_ window: MaintenanceWindow, request: Int64?, at time: Timestamp) throws -> MaintenanceWindow
    func close(window id: Int64, at end: Timestamp, by: String?, request: Int64?) throws
    func refuse(request id: Int64, because detail: String) throws
    /// Records that the window's start (stage 1) or end (2) was announced. Returns false when it
    /// already was (another collector sharing the database got there first): then the caller
    /// does not announce it again.
    @discardableResult func markAnnounced(window id: Int64, stage: Int) throws -> Bool
}

extension MaintenanceStore {
    package func windows() throws -> [MaintenanceWindow] { try windows(since: nil) }
}
