internal import Synchronization

/// Something that happens once (the inbox journal replayed), awaited by another service: `wait`
/// returns true once it happened, false if it never will (it failed, or the waiter was cancelled).
final class OneTimeSignal: Sendable {
    private enum State {
        case waiting([UInt64: CheckedContinuation<Bool, Never>])
        case settled(Bool)
    }

    private let state = Mutex<(State, nextID: UInt64)>((.waiting([:]), 0))

    func succeed() { settle(true) }

    func fail() { settle(false) }

    func wait() async -> Bool {
        let id = state.withLock { value in
            value.nextID += 1
            return value.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let settled: Bool? = state.withLock { value in
                    switch value.0 {
                    case .settled(let outcome): return outcome
                    case .waiting(var waiters):
                        if Task.isCancelled { return false }
                        waiters[id] = continuation
                        value.0 = .waiting(waiters)
                        return nil
                    }
                }
                if let settled { continuation.resume(returning: settled) }
            }
        } onCancel: {
            let cancelled: CheckedContinuation<Bool, Never>? = state.withLock { value in
                guard case .waiting(var waiters) = value.0 else { return nil }
                let continuation = waiters.removeValue(forKey: id)
                value.0 = .waiting(waiters)
                return continuation
            }
            cancelled?.resume(returning: false)
        }
    }

    private func settle(_ outcome: Bool) {
        let waiters: [CheckedContinuation<Bool, Never>] = state.withLock { value in
            guard case .waiting(let waiters) = value.0 else { return [] }
            value.0 = .settled(outcome)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }
}
