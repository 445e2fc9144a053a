internal import EnvMonCore
internal import EnvMonStore

/// This collector's share of the sensors whose alerts it evaluates, where several collectors
/// write into one PostgreSQL database (`AlertLeases`). Not used with SQLite: one collector
/// evaluates everything.
///
/// Which sensors it asks for: those it has received readings of, at once on the first one, and
/// the configured sensors (so that `no_data` watches a sensor whose collector died), but those
/// only after a lease's length of running, so that a collector that starts a little later and
/// receives a sensor's readings gets to hold it. Whoever holds a sensor, the others hand its
/// readings over, so every reading is judged once, by the holder.
final class AlertOwnership {
    /// How long a lease lasts unless renewed. A collector that stops without releasing (kill -9,
    /// power cut, network) has its sensors taken over at most this long after its last renewal,
    /// plus one renewal interval of the taker.
    static let leaseDuration: Duration = .seconds(15)
    /// How often held leases are renewed and others' expired ones tried.
    static let renewalInterval: Int64 = 5_000

    let collector: String
    private let leases: any AlertLeases
    private let startedAt: Timestamp
    private(set) var held: Set<String> = []
    /// Sensors asked for at the last claim that another collector held.
    private var heldElsewhere: Set<String> = []
    private var seen: Set<String> = []
    private var configured: Set<String>
    private var nextRenewal: Timestamp

    /// What a claim changed.
    struct Change: Equatable {
        var gained: Set<String> = []
        var lost: Set<String> = []
        var isEmpty: Bool { gained.isEmpty && lost.isEmpty }
    }

    init(leases: any AlertLeases, collector: String, configured: Set<String>, now: Timestamp) {
        self.leases = leases
        self.collector = collector
        self.configured = configured
        self.startedAt = now
        self.nextRenewal = now
    }

    func reconfigure(configured next: Set<String>) { configured = next }

    /// Whether this collector judges `sensor` (as of the last claim).
    func holds(_ sensor: String) -> Bool { held.contains(sensor) }

    /// Sensors never asked for yet among `sensors`: claims them now (one round trip, on a sensor's
    /// first reading only), so that a new sensor's first alert is not a renewal interval late.
    func claimNewcomers(_ sensors: Set<String>) throws -> Change {
        let newcomers = sensors.subtracting(seen)
        guard !newcomers.isEmpty else { return Change() }
        seen.formUnion(newcomers)
        let unknown = newcomers.subtracting(held).subtracting(heldElsewhere)
        guard !unknown.isEmpty else { return Change() }
        let taken = try leases.claim(unknown, for: collector, duration: Self.leaseDuration)
        heldElsewhere.formUnion(unknown.subtracting(taken))
        held.formUnion(taken)
        return Change(gained: taken)
    }

    /// Renews what is held and tries the rest, once per renewal interval.
    func renewIfDue(now: Timestamp) throws -> Change {
        guard now >= nextRenewal else { return Change() }
        nextRenewal = now.adding(milliseconds: Self.renewalInterval)
        var wanted = held.union(seen)
        if now >= startedAt.adding(Self.leaseDuration) { wanted.formUnion(configured) }
        let nowHeld = try leases.claim(wanted, for: collector, duration: Self.leaseDuration)
        let change = Change(gained: nowHeld.subtracting(held), lost: held.subtracting(nowHeld))
        held = nowHeld
        heldElsewhere = wanted.subtracting(nowHeld)
        return change
    }

    /// Leaves the readings of sensors held elsewhere for their holder.
    func handOff(_ readings: [HandedOffReading]) throws { try leases.handOff(readings) }

    /// What the other collectors left for the sensors held here.
    func takeHandedOff() throws -> [HandedOffReading] { try leases.takeHandedOff(for: held) }

    /// A clean stop: the others take the sensors on their next renewal instead of after the lease.
    func releaseAll() throws {
        try leases.release(held, for: collector)
        held = []
    }
}
