package import EnvMonCore

/// Which collector evaluates a sensor's alerts, where several collectors write into one database.
///
/// Alert state is a sensor's history (pending since, last seen, repeats): two engines judging the
/// same sensor would raise its alerts twice and fight over its saved state. So one collector at a
/// time holds a sensor's lease and evaluates it; the others store the sensor's readings and hand
/// them over (`handOff`) for the holder to judge. A lease not renewed in time (its collector
/// stopped, crashed or lost the database) may be taken by another collector, which then restores
/// the sensor's saved state and goes on. Lease times are the database server's clock, so
/// collectors on machines whose clocks differ agree on when a lease ends.
///
/// A SQLite store has one collector and no leases (`Store.alertLeases` is nil).
package protocol AlertLeases: Sendable {
    /// Takes or renews, for `duration` from now, the lease of each of `sensors` that nobody holds,
    /// whose lease ran out, or that `collector` holds already. Returns the sensors of `sensors` that
    /// `collector` holds afterwards.
    func claim(_ sensors: Set<String>, for collector: String, duration: Duration) throws -> Set<String>
    /// Gives leases up (a clean stop), so that another collector takes them on its next claim
    /// instead of waiting for them to run out.
    func release(_ sensors: Set<String>, for collector: String) throws
    /// Leaves readings of sensors another collector holds for that collector to judge.
    func handOff(_ readings: [HandedOffReading]) throws
    /// Takes (removes and returns, in the order they were left) what was handed over for `sensors`.
    func takeHandedOff(for sensors: Set<String>) throws -> [HandedOffReading]
}

/// A stored reading left by the collector that received it for the one that evaluates its sensor.
package struct HandedOffReading: Hashable, Sendable {
    package var reading: Reading
    package var site: String
    /// When the receiving collector got it (the engine's arrival time for `no_data`).
    package var arrivedAt: Timestamp

    package init(reading: Reading, site: String, arrivedAt: Timestamp) {
        self.reading = reading
        self.site = site
        self.arrivedAt = arrivedAt
    }
}
