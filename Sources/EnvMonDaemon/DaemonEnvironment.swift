package import UnixSignals

/// What a daemon takes from the process it runs in: the wall clock, systemd's notify socket, and
/// the signals that stop it and reload its config, and the journal its alerts are written to. `system` is envmond's; a test that holds a
/// daemon in its own process gives a clock it can step, no notify socket and no signals.
package struct DaemonEnvironment: Sendable {
    package var wallClock: any WallClockSource
    package var notifier: SystemdNotifier
    package var shutdownSignals: [UnixSignal]
    package var reloadSignals: [UnixSignal]
    /// Where alert transitions and operator alerts are written for the journal.
    package var alertJournal: AlertJournal

    package init(
        wallClock: any WallClockSource, notifier: SystemdNotifier, shutdownSignals: [UnixSignal],
        reloadSignals: [UnixSignal], alertJournal: AlertJournal
    ) {
        self.wallClock = wallClock
        self.alertJournal = alertJournal
        self.notifier = notifier
        self.shutdownSignals = shutdownSignals
        self.reloadSignals = reloadSignals
    }

    /// envmond's; `journalSocket` from `--journal-socket`.
    package static func system(journalSocket: String? = nil) -> DaemonEnvironment {
        DaemonEnvironment(
            wallClock: SystemWallClock(), notifier: SystemdNotifier(), shutdownSignals: [.sigterm, .sigint],
            reloadSignals: [.sighup], alertJournal: .system(socket: journalSocket))
    }
}
