package import EnvMonConfig
package import EnvMonCore
package import EnvMonStore
internal import Foundation
package import Logging
internal import Synchronization
internal import Transfer

/// Sends one target's outbox entries on a thread of its own (libcurl calls block), oldest first:
/// an entry that fails is retried with a growing backoff and nothing newer goes before it, so a
/// backlog arrives in order. An entry is marked sent only after the server confirmed it; one whose
/// upload began but was never marked (a kill -9 between the two) is first looked for on the server
/// and marked sent without a second upload when the server has it byte for byte.
package final class OutboxSender: Sendable {
    package enum Delivery: Sendable {
        /// FTP, FTPS, SFTP: the body is a file uploaded under the entry's name.
        case upload
        /// HTTP(S) POST of the body; given up after a number of attempts or an age.
        case post(contentType: String, headers: [String: String], maximumAttempts: Int, maximumAge: Duration)
    }

    package let settings: TargetSettings
    private let transfer: TransferTarget
    private let delivery: Delivery
    private let outbox: any OutboxStore
    private let logger: Logger
    private let now: @Sendable () -> Timestamp
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The connection left open by the last transfer, for the next (only the sending thread uses it).
    private let connections = ConnectionCache()
    private let state = Mutex(State())

    private struct State {
        var running = false
        var stopped = false
        var failing = false
    }

    /// - password: read by the caller from the target's password file.
    package init(
        settings: TargetSettings, password: String?, delivery: Delivery, outbox: any OutboxStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.settings = settings
        self.transfer = TransferTarget(
            url: settings.url, username: settings.username, password: password, requireTLS: settings.requireTLS,
            caFile: settings.caFile, privateKeyFile: settings.privateKey, publicKeyFile: settings.publicKey,
            hostPublicKeySHA256: settings.hostKeySHA256, knownHostsFile: settings.knownHosts,
            connectTimeout: min(settings.timeout, .seconds(20)), timeout: settings.timeout)
        self.delivery = delivery
        self.outbox = outbox
        self.logger = logger
        self.now = now
    }

    /// Starts the sending thread.
    package func start() {
        guard
            state.withLock({ state in
                defer { state.running = true }
                return !state.running
            })
        else { return }
        let thread = Thread { [self] in loop() }
        thread.name = "envmon-outbox"
        thread.start()
    }

    /// Asks the thread to stop after the transfer under way (if any).
    package func stop() {
        state.withLock { $0.stopped = true }
        wakeUp.signal()
    }

    /// Something new is in the outbox.
    package func wake() { wakeUp.signal() }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func loop() {
        while !isStopped {
            let pause: Duration
            do {
                pause = try sendNext()
            } catch {
                logger.error("outbox of \(settings.id): cannot read or update the outbox: \(error)")
                pause = .seconds(5)
            }
            if pause > .zero { _ = wakeUp.wait(timeout: .now() + .milliseconds(Int(pause.wholeMilliseconds))) }
        }
    }

    /// Sends the oldest entry if it is due; returns how long to wait before looking again.
    private func sendNext() throws -> Duration {
        guard let entry = try outbox.next(target: settings.id) else { return .seconds(5) }
        let current = now()
        if entry.nextAttemptAt > current {
            return .milliseconds(min(entry.nextAttemptAt.milliseconds - current.milliseconds, 5000))
        }
        if case .post(_, _, let attempts, let age) = delivery,
            entry.attempts >= attempts || current.milliseconds - entry.createdAt.milliseconds > age.wholeMilliseconds
        {
            try outbox.markAbandoned(entry.id, error: entry.lastError ?? "too old", at: current)
            logger.error(
                "webhook \(settings.id): gave up on \(entry.name) after \(entry.attempts) attempts: \(entry.lastError ?? "")"
            )
            return .zero
        }
        try outbox.markUploadStarted(entry.id, at: current)
        do {
            // An upload begun and never recorded (a kill -9 in between): ask the server first; if it
            // cannot say, try again later rather than risk sending the file twice.
            if entry.uploadStartedAt != nil, case .upload = delivery,
                try download(named: entry.name, from: transfer, connections: connections) == entry.body
            {
                try outbox.markSent(entry.id, at: now())
                logger.info("outbox \(settings.id): \(entry.name) was received before the restart; not sent again")
                return .zero
            }
            switch delivery {
            case .upload:
                try upload(entry.body, named: entry.name, to: transfer, connections: connections)
            case .post(let contentType, let headers, _, _):
                try post(entry.body, to: transfer, contentType: contentType, headers: headers, connections: connections)
            }
        } catch {
            let backoff = Self.backoff(attempts: entry.attempts, settings: settings)
            try outbox.markFailed(entry.id, error: "\(error)", retryAt: now().adding(backoff), at: now())
            let firstFailure = state.withLock { state in
                defer { state.failing = true }
                return !state.failing
            }
            let message =
                "outbox \(settings.id): \(entry.name) not delivered (attempt \(entry.attempts + 1)): \(error); "
                + "retrying in \(backoff.wholeMilliseconds / 1000) s, the backlog is kept"
            if firstFailure { logger.warning("\(message)") } else { logger.debug("\(message)") }
            return .zero
        }
        try outbox.markSent(entry.id, at: now())
        let recovered = state.withLock { state in
            defer { state.failing = false }
            return state.failing
        }
        if recovered { logger.notice("outbox \(settings.id): delivering again, from \(entry.name)") }
        logger.debug("outbox \(settings.id): sent \(entry.name)")
        return .zero
    }

    /// 1, 2, 4 ... times the minimum, capped at the maximum.
    static func backoff(attempts: Int, settings: TargetSettings) -> Duration {
        let minimum = settings.retryMinimum.wholeMilliseconds
        let factor = Int64(1) << Int64(min(attempts, 20))
        return .milliseconds(min(minimum * factor, settings.retryMaximum.wholeMilliseconds))
    }
}
