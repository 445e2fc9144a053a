internal import EnvMonConfig
internal import Synchronization

/// Hands a reloaded configuration from the reload service to the ingest thread, which takes it
/// up between batches; a newer one offered before then replaces the older.
final class ConfigurationMailbox: Sendable {
    private let pending = Mutex<EnvMonConfiguration?>(nil)

    func offer(_ configuration: EnvMonConfiguration) { pending.withLock { $0 = configuration } }

    func take() -> EnvMonConfiguration? { pending.withLock { $0.take() } }
}
