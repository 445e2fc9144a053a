/// The alert state machine: one state per (rule, sensor), advanced by observations and by a timer.
///
/// Pure and synchronous; every time is an argument, so tests drive it with an invented clock and
/// the daemon with the wall clock. Feed it:
/// - `observe(_:site:)` with every reading after QC (any flag): it updates `no_data` arrival
///   times and `qc_fault` runs, and judges `latest` value rules on pass/suspect readings only;
/// - `observe(rule:sensor:site:value:at:)` with values the caller computed for one rule: rolling
///   means from the roll-ups (`aggregation = .rollingMean`), the station AQI for `aqi` rules;
/// - `observeQuality(sensor:site:metric:quality:at:)` with QC flags that arrive on their own;
/// - `tick(now:)` on a timer (at the latest at `nextDeadline()`), so `for` durations, `no_data`,
///   repeat intervals and flap quiet periods act on time when nothing arrives.
/// Each call returns the transitions it caused, in order. `exportState()` and `restore(_:)` carry
/// the state across a restart.
package struct AlertEngine: Sendable {
    package private(set) var rules: [AlertRule]
    /// When this engine started: `no_data` counts from here for sensors never heard from.
    package private(set) var startedAt: Timestamp
    /// The latest time seen in any call.
    package private(set) var clock: Timestamp

    private var ruleIndex: [String: Int]
    private var sensors: [String: MonitoredSensor]
    private var siteKinds: [String: SiteKind]
    private var entries: [EntryKey: AlertStateRecord] = [:]
    private var changed: Set<EntryKey> = []
    private var matchCache: [MatchKey: [Int]] = [:]
    /// Sensors (or some metrics of them) in a maintenance window, by sensor.
    private var suspensions: [String: Suspension] = [:]

    private struct Suspension {
        var wholeSensor = false
        var metrics: Set<String> = []
    }

    /// A `rate` rule keeps at most this many values of its window per sensor.
    package static let maximumRateSamples = 4096
    private static let maximumMatchCacheEntries = 100_000

    struct EntryKey: Hashable, Comparable {
        var rule: String
        var sensor: String
        static func < (lhs: EntryKey, rhs: EntryKey) -> Bool { (lhs.rule, lhs.sensor) < (rhs.rule, rhs.sensor) }
    }

    private struct MatchKey: Hashable {
        var sensor: String
        var site: String
        var metric: String
    }

    /// - Parameters:
    ///   - rules: valid rules (see `AlertRule.problems`); of two rules with one id the first wins.
    ///   - sensors: the configured sensors, so `no_data` rules watch them from the start.
    ///   - siteKinds: kinds of sites by id, for sensors not in `sensors`.
    ///   - startedAt: the engine's start, from which silent sensors count as never reported.
    package init(
        rules: [AlertRule], sensors: [MonitoredSensor] = [], siteKinds: [String: SiteKind] = [:],
        startedAt: Timestamp
    ) {
        var unique: [AlertRule] = []
        var index: [String: Int] = [:]
        for rule in rules where index[rule.id] == nil {
            index[rule.id] = unique.count
            unique.append(rule)
        }
        self.rules = unique
        self.ruleIndex = index
        self.startedAt = startedAt
        self.clock = startedAt
        var kinds = siteKinds
        var registry: [String: MonitoredSensor] = [:]
        for sensor in sensors {
            registry[sensor.id] = sensor
            if let kind = sensor.siteKind, kinds[sensor.site] == nil { kinds[sensor.site] = kind }
        }
        self.sensors = registry
        self.siteKinds = kinds
        for sensor in sensors.sorted(by: { $0.id < $1.id }) {
            for rule in unique {
                guard case .noData = rule.condition else { continue }
                // A sensor with no metric list is watched for whatever the rule names.
                let metric =
                    sensor.metrics.isEmpty ? rule.metric.pattern : sensor.metrics.first { rule.metric.matches($0) }
                guard let metric,
                    rule.applies(
                        sensor: sensor.id, site: sensor.site, siteKind: siteKind(of: sensor.id, site: sensor.site),
                        metric: metric)
                else { continue }
                let key = EntryKey(rule: rule.id, sensor: sensor.id)
                entries[key] = Self.newRecord(rule, sensor: sensor.id, site: sensor.site)
                changed.insert(key)
            }
        }
    }

    // MARK: Looking things up

    package func rule(id: String) -> AlertRule? { ruleIndex[id].map { rules[$0] } }

    /// The rules that watch this series at this site (for the caller to know which means to
    /// compute: those with `aggregation != .latest`).
    package func rules(sensor: String, site: String, metric: String) -> [AlertRule] {
        let kind = siteKind(of: sensor, site: site)
        return rules.filter { $0.applies(sensor: sensor, site: site, siteKind: kind, metric: metric) }
    }

    /// The state of one (rule, sensor) pair, if the engine has seen it.
    package func record(rule: String, sensor: String) -> AlertStateRecord? {
        entries[EntryKey(rule: rule, sensor: sensor)]
    }

    /// Firing and flapping alerts, ordered by rule then sensor.
    package func activeAlerts() -> [AlertStateRecord] {
        entries.keys.sorted().compactMap { entries[$0] }.filter { $0.state.isActive }
    }

    /// The earliest time at which `tick` could change something (a `for` duration elapsing, a
    /// sensor becoming stale, a repeat falling due, a flap quiet period ending); nil when nothing
    /// is scheduled. It may lie in the past: tick at once then.
    package func nextDeadline() -> Timestamp? {
        var earliest: Timestamp?
        func consider(_ time: Timestamp?) {
            guard let time else { return }
            if earliest.map({ time < $0 }) ?? true { earliest = time }
        }
        for (key, record) in entries {
            guard let rule = rule(id: key.rule), !isSuspended(rule, sensor: key.sensor) else { continue }
            if record.condition == .pending, let since = record.pendingSince {
                consider(since.adding(rule.forDuration))
            }
            if case .noData(let after) = rule.condition {
                let base = record.lastSeenAt ?? startedAt
                if record.condition == .inactive { consider(base.adding(after)) }
                if record.condition == .firing, !record.escalated, case .noData(let later)? = rule.escalation?.condition
                {
                    consider(base.adding(later))
                }
            }
            if record.isFlapping {
                consider((record.lastEdgeAt ?? clock).adding(rule.flapSuppression?.quiet ?? .zero))
            } else if record.condition == .firing, !record.isAcknowledged, let interval = rule.repeatInterval,
                let last = record.lastNotifiedAt
            {
                consider(last.adding(interval))
            }
        }
        return earliest
    }

    // MARK: Inputs

    /// One reading after QC, of any quality. Updates `no_data` rules (any quality counts as
    /// arrival), `qc_fault` rules (fail extends a run, pass/suspect ends it) and judges the value
    /// for `latest` rules when the flag is pass or suspect.
    ///
    /// `arrivedAt` is when the reading reached us (the daemon's receive time). `no_data` counts
    /// arrivals: a logger back-filling hours of old readings after a link outage is reporting
    /// again, not silent. Without it the reading's own time is used.
    ///
    /// A reading whose time gives only its order (`TimeSource.catchUp`) counts as an arrival, and
    /// its value is judged as the latest value at its receive time; but no rate and no run of QC
    /// failures is judged over it, since the burst's millisecond spacing would make those false.
    /// The caller passes only the newest reading of a series from a burst (`AlertService`): the
    /// older ones are history whose times are unknown.
    package mutating func observe(_ reading: Reading, site: String, arrivedAt: Timestamp? = nil) -> [AlertTransition] {
        advanceClock(to: max(reading.timestamp, arrivedAt ?? reading.timestamp))
        let arrival = arrivedAt ?? reading.timestamp
        let sensor = reading.series.sensor
        let metric = reading.series.metric
        var transitions: [AlertTransition] = []
        // A local copy of the array (one retain): a rule taken from `self.rules` while `self` is
        // mutated below would be copied field by field for every rule of every reading.
        let rules = self.rules
        for index in matchingRules(sensor: sensor, site: site, metric: metric) {
            let rule = rules[index]
            if isSuspended(rule, sensor: sensor) { continue }
            switch rule.condition {
            case .noData:
                transitions += self.arrival(rule, sensor: sensor, site: site, at: arrival)
            case _ where reading.timeSource.isOrderOnly && [.rate, .qcFault].contains(rule.condition.kind):
                continue
            case .qcFault:
                transitions += quality(
                    rule, sensor: sensor, site: site, metric: metric, flag: reading.quality, at: reading.timestamp)
            default:
                guard rule.aggregation == .latest, Self.isUsable(reading) else { continue }
                transitions += judge(rule, sensor: sensor, site: site, value: reading.value, at: reading.timestamp)
            }
        }
        return transitions
    }

    /// A value for one rule: a rolling mean for `rollingMean` rules, the AQI for `aqi` rules (or a
    /// latest value the caller chose to pass itself). Ignored for `no_data`/`qc_fault` rules, for
    /// unknown rule ids, non-finite values and sensors or sites the rule does not cover.
    package mutating func observe(
        rule ruleID: String, sensor: String, site: String, value: Double, at time: Timestamp
    ) -> [AlertTransition] {
        guard let rule = rule(id: ruleID), rule.condition.isValueCondition, value.isFinite,
            rule.sensors.matches(sensor), rule.sites.matches(site),
            rule.siteKinds.isEmpty || siteKind(of: sensor, site: site).map(rule.siteKinds.contains) == true,
            !isSuspended(rule, sensor: sensor)
        else { return [] }
        advanceClock(to: time)
        return judge(rule, sensor: sensor, site: site, value: value, at: time)
    }

    /// A QC flag on its own (e.g. a revised flag), for `qc_fault` rules. Observations older than
    /// the latest one of that metric are ignored.
    package mutating func observeQuality(
        sensor: String, site: String, metric: String, quality flag: QualityFlag, at time: Timestamp
    ) -> [AlertTransition] {
        advanceClock(to: time)
        var transitions: [AlertTransition] = []
        for index in matchingRules(sensor: sensor, site: site, metric: metric) {
            guard case .qcFault = rules[index].condition, !isSuspended(rules[index], sensor: sensor) else { continue }
            transitions += quality(rules[index], sensor: sensor, site: site, metric: metric, flag: flag, at: time)
        }
        return transitions
    }

    /// Timer evaluation: `for` durations, `no_data` staleness (and never-reported sensors),
    /// repeat intervals and flap quiet periods, judged at `now` with no new data.
    package mutating func tick(now: Timestamp) -> [AlertTransition] {
        advanceClock(to: now)
        var transitions: [AlertTransition] = []
        for key in entries.keys.sorted() {
            guard var record = entries[key], let rule = rule(id: key.rule), !isSuspended(rule, sensor: key.sensor)
            else { continue }
            let before = record
            var out: [AlertTransition] = []
            if case .noData = rule.condition {
                judgeStaleness(rule, &record, at: now, into: &out)
            } else if record.condition == .pending, let since = record.pendingSince,
                now >= since.adding(rule.forDuration)
            {
                raise(rule, &record, at: now, into: &out)
            }
            housekeeping(rule, &record, at: now, into: &out)
            if record != before {
                entries[key] = record
                changed.insert(key)
            }
            transitions += out
        }
        return transitions
    }

    /// Marks an active alert acknowledged: no repeat notices until it resolves or escalates.
    /// nil when no firing or flapping alert has this id, or it is already acknowledged.
    package mutating func acknowledge(
        alertID: String, by person: String, note: String? = nil, at time: Timestamp
    ) -> AlertTransition? {
        guard let key = entries.first(where: { $0.value.alertID == alertID && $0.value.state.isActive })?.key,
            var record = entries[key], record.acknowledgedAt == nil, let rule = rule(id: key.rule)
        else { return nil }
        advanceClock(to: time)
        record.acknowledgedBy = person
        record.acknowledgedAt = time
        record.acknowledgementNote = note
        entries[key] = record
        changed.insert(key)
        return transition(rule, record, .acknowledged, from: record.state, to: record.state, at: time)
    }

    // MARK: Maintenance

    /// A maintenance window opened on `sensor` (`metric` nil: all of it): from now its rules
    /// neither raise nor resolve, `no_data` stays quiet, repeats stop; an alert already firing is
    /// held as it is. The caller passes none of the window's readings to `observe`.
    package mutating func suspend(sensor: String, metric: String?) {
        var suspension = suspensions[sensor] ?? Suspension()
        if let metric { suspension.metrics.insert(metric) } else { suspension.wholeSensor = true }
        suspensions[sensor] = suspension
    }

    /// The window ended at `time`: the sensor's rules are judged again from here. Silence counts
    /// from the window's end (a probe back from calibration is not stale at once), a pending
    /// condition starts its `for` anew, and a firing alert is re-judged by the next reading.
    package mutating func resume(sensor: String, metric: String?, at time: Timestamp) {
        guard var suspension = suspensions[sensor] else { return }
        if let metric { suspension.metrics.remove(metric) } else { suspension = Suspension() }
        suspensions[sensor] = suspension.wholeSensor || !suspension.metrics.isEmpty ? suspension : nil
        advanceClock(to: time)
        for (key, record) in entries where key.sensor == sensor {
            guard let rule = rule(id: key.rule), !isSuspended(rule, sensor: sensor),
                metric.map({ rule.metric.matches($0) }) ?? true
            else { continue }
            var updated = record
            if case .noData = rule.condition, updated.condition != .firing {
                updated.lastSeenAt = max(updated.lastSeenAt ?? time, time)
            }
            if updated.condition == .pending { updated.pendingSince = time }
            if updated != record {
                entries[key] = updated
                changed.insert(key)
            }
        }
    }

    /// Whether `rule` is held for `sensor` by a maintenance window.
    package func isSuspended(sensor: String, metric: String) -> Bool {
        guard !suspensions.isEmpty, let suspension = suspensions[sensor] else { return false }
        return suspension.wholeSensor || suspension.metrics.contains(metric)
    }

    private func isSuspended(_ rule: AlertRule, sensor: String) -> Bool {
        // Asked for every matching rule of every reading: no hashing while no window is open.
        guard !suspensions.isEmpty, let suspension = suspensions[sensor] else { return false }
        return suspension.wholeSensor || suspension.metrics.contains { rule.metric.matches($0) }
    }

    /// Whether a reading may be judged by value rules: pass or suspect, finite (DESIGN.md).
    package static func isUsable(_ reading: Reading) -> Bool {
        reading.quality.isUsableForAlerts && reading.value.isFinite
    }

    // MARK: Persistence

    /// Every (rule, sensor) state, ordered by rule then sensor.
    package func exportState() -> [AlertStateRecord] {
        entries.keys.sorted().compactMap { entries[$0] }
    }

    /// The records changed since the last call (or since `init`/`restore`), ordered; for
    /// incremental persistence. Arrivals change `no_data` records on every reading, so persist
    /// these on a transition and otherwise every few seconds.
    package mutating func takeChangedRecords() -> [AlertStateRecord] {
        let keys = changed.sorted()
        changed = []
        return keys.compactMap { entries[$0] }
    }

    /// Puts back the records of an earlier run (call right after `init`). A firing alert stays
    /// firing without a new notice, a pending one keeps its start, `no_data` keeps last arrival
    /// times. Returns the records whose rule no longer exists; they are dropped (the caller may
    /// close their alerts in its log).
    @discardableResult
    package mutating func restore(_ records: [AlertStateRecord]) -> [AlertStateRecord] {
        var discarded: [AlertStateRecord] = []
        for var record in records {
            guard rule(id: record.ruleID) != nil else {
                discarded.append(record)
                continue
            }
            if record.condition != .pending && record.condition != .firing { record.condition = .inactive }
            let key = EntryKey(rule: record.ruleID, sensor: record.sensor)
            entries[key] = record
            changed.insert(key)
            if let time = record.lastSeenAt ?? record.lastValueAt, time > clock { clock = time }
        }
        return discarded
    }

    /// The daemon's wall clock was stepped (NTP correcting a clock that booted wrong, an
    /// operator) by `milliseconds`. Arrival times are the daemon's own receive times, so they
    /// move with it: otherwise a forward step makes every sensor look silent at once (a burst of
    /// false `no_data` alerts) and a backward step hides a real silence for as long as the step.
    /// Readings' own times are the sensors' clocks and stay as they are.
    package mutating func systemClockStepped(by milliseconds: Int64) {
        startedAt = startedAt.adding(milliseconds: milliseconds)
        clock = clock.adding(milliseconds: milliseconds)
        for (key, record) in entries {
            guard let seen = record.lastSeenAt else { continue }
            entries[key]?.lastSeenAt = seen.adding(milliseconds: milliseconds)
            changed.insert(key)
        }
    }

    // MARK: Judging

    private mutating func judge(
        _ rule: AlertRule, sensor: String, site: String, value: Double, at time: Timestamp
    ) -> [AlertTransition] {
        let key = EntryKey(rule: rule.id, sensor: sensor)
        if let last = entries[key]?.lastValueAt, time < last { return [] }  // a late replay: judged past it
        // Taken out of the dictionary so the window array below is mutated in place, not copied.
        var record = entries.removeValue(forKey: key) ?? Self.newRecord(rule, sensor: sensor, site: site)
        record.site = site
        var measure = value
        if case .rate(_, let window, let direction, _) = rule.condition {
            let cutoff = time.adding(milliseconds: -window.wholeMilliseconds)
            record.recentValues.removeAll { $0.at < cutoff }
            measure = Self.change(to: value, from: record.recentValues, direction: direction)
            record.recentValues.append(TimedValue(at: time, value: value))
            if record.recentValues.count > Self.maximumRateSamples {
                record.recentValues.removeFirst(record.recentValues.count - Self.maximumRateSamples)
            }
        }
        record.lastValue = measure
        record.lastValueAt = time
        if let escalation = rule.escalation {
            record.escalated = Self.holds(escalation.condition, measure: measure, active: record.escalated)
        }
        let holds = Self.holds(rule.condition, measure: measure, active: record.condition == .firing)
        return settle(rule, record, key, holds: holds, at: time)
    }

    private mutating func arrival(
        _ rule: AlertRule, sensor: String, site: String, at time: Timestamp
    )
        -> [AlertTransition]
    {
        let key = EntryKey(rule: rule.id, sensor: sensor)
        // Fast path, taken by nearly every reading (`refreshQuietArrival`), in place through the
        // entry's index: copying the record out would copy the whole struct and retain every
        // string and array in it, for each reading.
        if case .noData(let after) = rule.condition, let index = entries.index(forKey: key) {
            switch Self.refreshQuietArrival(&entries.values[index], site: site, at: time, clock: clock, after: after) {
            case .unchanged: return []
            case .moved:
                changed.insert(key)
                return []
            case .notQuiet: break
            }
        }
        var record = entries[key] ?? Self.newRecord(rule, sensor: sensor, site: site)
        record.site = site
        if record.lastSeenAt.map({ time > $0 }) ?? true { record.lastSeenAt = time }
        var out: [AlertTransition] = []
        // Judged at the engine clock, not the reading's time: a replayed old reading must not
        // make a silent sensor look fresh.
        judgeStaleness(rule, &record, at: clock, into: &out)
        housekeeping(rule, &record, at: clock, into: &out)
        entries[key] = record
        changed.insert(key)
        return out
    }

    private mutating func quality(
        _ rule: AlertRule, sensor: String, site: String, metric: String, flag: QualityFlag, at time: Timestamp
    ) -> [AlertTransition] {
        guard case .qcFault = rule.condition else { return [] }
        let key = EntryKey(rule: rule.id, sensor: sensor)
        if flag == .pass || flag == .suspect, let index = entries.index(forKey: key),
            Self.extendQuietRun(&entries.values[index], rule, site: site, metric: metric, at: time)
        {
            changed.insert(key)
            return []
        }
        var record = entries[key] ?? Self.newRecord(rule, sensor: sensor, site: site)
        record.site = site
        let position = record.faultRuns.firstIndex { $0.metric == metric }
        var run =
            position.map { record.faultRuns[$0] }
            ?? QCFaultRun(metric: metric, consecutive: 0, since: nil, lastAt: time)
        if position != nil, time < run.lastAt { return [] }
        switch flag {
        case .fail:
            run.consecutive += 1
            if run.since == nil { run.since = time }
        case .pass, .suspect:
            run.consecutive = 0
            run.since = nil
        case .notEvaluated, .missing:
            return []  // says nothing about a fault
        }
        run.lastAt = time
        if let position { record.faultRuns[position] = run } else { record.faultRuns.append(run) }

        let faulty = record.faultRuns.filter { Self.isFaulty($0, rule.condition) }
        let holds = !faulty.isEmpty
        if let escalation = rule.escalation {
            record.escalated = record.faultRuns.contains { Self.isFaulty($0, escalation.condition) }
        }
        record.lastValue = Double(record.faultRuns.map(\.consecutive).max() ?? 0)
        record.lastValueAt = time
        if holds, record.condition != .firing, let worst = faulty.max(by: { $0.consecutive < $1.consecutive }) {
            record.metric = worst.metric
        }
        return settle(rule, record, key, holds: holds, at: time)
    }

    enum QuietArrival {
        /// The slow path must judge the arrival.
        case notQuiet
        /// Fresh already, nothing to change.
        case unchanged
        /// Only its last-seen time moved.
        case moved
    }

    /// The fast path of `arrival`, taken by nearly every reading: a quiet sensor that keeps
    /// reporting only moves its last-seen time, updated in place. Only when the slow path would
    /// find the sensor fresh (a replayed old reading may not).
    private static func refreshQuietArrival(
        _ record: inout AlertStateRecord, site: String, at time: Timestamp, clock: Timestamp, after: Duration
    ) -> QuietArrival {
        guard record.condition == .inactive, !record.isFlapping, !record.escalated, record.site == site else {
            return .notQuiet
        }
        let lastSeen = max(record.lastSeenAt ?? time, time)
        guard clock.milliseconds - lastSeen.milliseconds < after.wholeMilliseconds else { return .notQuiet }
        if record.lastSeenAt == lastSeen { return .unchanged }
        record.lastSeenAt = lastSeen
        return .moved
    }

    /// The fast path of `quality`, taken by nearly every reading: a pass or suspect flag of
    /// `metric` at `time` that leaves everything of `record` but times as it is (the record is
    /// inactive, not flapping, at `site`; the metric's run is at zero and not newer; no run makes
    /// the condition or the escalation hold) only moves the run's time, updated in place instead
    /// of copying the record through the state machine, which would change nothing else. False
    /// (and `record` untouched) when the slow path must judge it.
    private static func extendQuietRun(
        _ record: inout AlertStateRecord, _ rule: AlertRule, site: String, metric: String, at time: Timestamp
    ) -> Bool {
        guard record.condition == .inactive, !record.isFlapping, record.site == site,
            let position = record.faultRuns.firstIndex(where: { $0.metric == metric }),
            record.faultRuns[position].consecutive == 0, record.faultRuns[position].since == nil,
            time >= record.faultRuns[position].lastAt,
            !record.faultRuns.contains(where: { isFaulty($0, rule.condition) })
        else { return false }
        if let escalation = rule.escalation,
            record.escalated != record.faultRuns.contains(where: { isFaulty($0, escalation.condition) })
        {
            return false
        }
        record.faultRuns[position].lastAt = time
        var longest = 0
        for run in record.faultRuns { longest = max(longest, run.consecutive) }
        record.lastValue = Double(longest)
        record.lastValueAt = time
        return true
    }

    /// The end of every observation: the state machine moved on whether the condition holds (at
    /// the observation's time, or the record's latest if a late reading arrived), then kept.
    private mutating func settle(
        _ rule: AlertRule, _ record: AlertStateRecord, _ key: EntryKey, holds: Bool, at time: Timestamp
    ) -> [AlertTransition] {
        var record = record
        let when = max(time, Self.latestTime(of: record))
        var out: [AlertTransition] = []
        advance(rule, &record, holds: holds, at: when, into: &out)
        housekeeping(rule, &record, at: when, into: &out)
        entries[key] = record
        changed.insert(key)
        return out
    }

    private func judgeStaleness(
        _ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp, into out: inout [AlertTransition]
    ) {
        guard case .noData(let after) = rule.condition else { return }
        let base = record.lastSeenAt ?? startedAt
        let age = time.milliseconds - base.milliseconds
        if case .noData(let later)? = rule.escalation?.condition {
            record.escalated = age >= later.wholeMilliseconds
        }
        advance(rule, &record, holds: age >= after.wholeMilliseconds, at: time, into: &out)
    }

    // MARK: The state machine

    /// Moves inactive → pending → firing → inactive (resolved) on whether the condition holds.
    private func advance(
        _ rule: AlertRule, _ record: inout AlertStateRecord, holds: Bool, at time: Timestamp,
        into out: inout [AlertTransition]
    ) {
        switch record.condition {
        case .pending:
            if !holds {
                let from = record.state
                record.condition = .inactive
                record.pendingSince = nil
                if !record.isFlapping {
                    out.append(transition(rule, record, .cancelled, from: from, to: .inactive, at: time))
                    record.alertID = nil
                }
            } else if let since = record.pendingSince, time >= since.adding(rule.forDuration) {
                raise(rule, &record, at: time, into: &out)
            }
        case .firing:
            if !holds {
                resolve(rule, &record, at: time, into: &out)
            } else {
                updateSeverity(rule, &record, at: time, into: &out)
            }
        default:
            guard holds else { return }
            record.condition = .inactive
            record.pendingSince = time
            if !record.isFlapping || record.alertID == nil { record.alertID = Self.alertID(rule, record.sensor, time) }
            if rule.forDuration > .zero {
                let from = record.state
                record.condition = .pending
                if !record.isFlapping {
                    out.append(transition(rule, record, .pending, from: from, to: .pending, at: time))
                }
            } else {
                raise(rule, &record, at: time, into: &out)
            }
        }
    }

    private func raise(
        _ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp, into out: inout [AlertTransition]
    ) {
        let from = record.state
        let wasFlapping = record.isFlapping
        record.condition = .firing
        if record.alertID == nil { record.alertID = Self.alertID(rule, record.sensor, record.pendingSince ?? time) }
        if record.raisedAt == nil { record.raisedAt = time }
        record.severity = rule.severity(escalated: record.escalated)
        let startsFlapping = edge(rule, &record, at: time)
        if wasFlapping { return }
        if startsFlapping {
            out.append(transition(rule, record, .flapping, from: from, to: .flapping, at: time))
        } else {
            record.lastNotifiedAt = time
            out.append(transition(rule, record, .raised, from: from, to: .firing, at: time))
        }
    }

    private func resolve(
        _ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp, into out: inout [AlertTransition]
    ) {
        let from = record.state
        let wasFlapping = record.isFlapping
        record.condition = .inactive
        record.pendingSince = nil
        let startsFlapping = edge(rule, &record, at: time)
        if wasFlapping { return }
        if startsFlapping {
            out.append(transition(rule, record, .flapping, from: from, to: .flapping, at: time))
        } else {
            out.append(transition(rule, record, .resolved, from: from, to: .resolved, at: time))
            close(rule, &record)
        }
    }

    /// Ends an occurrence: the pair is inactive with no alert.
    private func close(_ rule: AlertRule, _ record: inout AlertStateRecord) {
        record.alertID = nil
        record.raisedAt = nil
        record.lastNotifiedAt = nil
        record.acknowledgedBy = nil
        record.acknowledgedAt = nil
        record.acknowledgementNote = nil
        record.severity = rule.severity
    }

    /// Records a raise/resolve edge; true when it starts flap suppression.
    private func edge(_ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp) -> Bool {
        record.lastEdgeAt = time
        guard let flap = rule.flapSuppression, !record.isFlapping else { return false }
        let cutoff = time.adding(milliseconds: -flap.window.wholeMilliseconds)
        record.flapHistory.removeAll { $0 <= cutoff }
        record.flapHistory.append(time)
        if record.flapHistory.count >= flap.transitions {
            record.isFlapping = true
            return true
        }
        return false
    }

    private func updateSeverity(
        _ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp, into out: inout [AlertTransition]
    ) {
        let wanted = rule.severity(escalated: record.escalated)
        guard wanted != record.severity else { return }
        let up = wanted > record.severity
        record.severity = wanted
        guard !record.isFlapping else { return }
        if up {
            // A worse situation needs a fresh acknowledgement; repeats resume until then.
            record.acknowledgedBy = nil
            record.acknowledgedAt = nil
            record.acknowledgementNote = nil
        }
        record.lastNotifiedAt = time
        out.append(transition(rule, record, up ? .escalated : .deescalated, from: .firing, to: .firing, at: time))
    }

    /// Flap quiet period and repeat interval, after the condition was judged.
    private func housekeeping(
        _ rule: AlertRule, _ record: inout AlertStateRecord, at time: Timestamp, into out: inout [AlertTransition]
    ) {
        if record.isFlapping {
            let quiet = rule.flapSuppression?.quiet ?? .zero
            let last = record.lastEdgeAt ?? time
            guard time >= last.adding(quiet) else { return }
            record.isFlapping = false
            record.flapHistory = []
            if record.condition == .firing {
                record.severity = rule.severity(escalated: record.escalated)
                record.lastNotifiedAt = time
                out.append(transition(rule, record, .flappingEnded, from: .flapping, to: .firing, at: time))
            } else {
                out.append(transition(rule, record, .flappingEnded, from: .flapping, to: .resolved, at: time))
                close(rule, &record)
                if record.condition == .pending, let since = record.pendingSince {
                    record.alertID = Self.alertID(rule, record.sensor, since)
                }
            }
            return
        }
        guard record.condition == .firing, record.acknowledgedAt == nil, let interval = rule.repeatInterval,
            let last = record.lastNotifiedAt, time >= last.adding(interval)
        else { return }
        record.lastNotifiedAt = time
        out.append(transition(rule, record, .repeated, from: .firing, to: .firing, at: time))
    }

    private func transition(
        _ rule: AlertRule, _ record: AlertStateRecord, _ notice: AlertNotice, from: AlertState, to: AlertState,
        at time: Timestamp
    ) -> AlertTransition {
        let condition =
            record.escalated && notice != .resolved && notice != .cancelled
            ? (rule.escalation?.condition ?? rule.condition) : rule.condition
        var value = record.lastValue
        if case .noData = rule.condition, let seen = record.lastSeenAt {
            value = Double(time.milliseconds - seen.milliseconds) / 1000
        }
        return AlertTransition(
            alertID: record.alertID ?? Self.alertID(rule, record.sensor, record.pendingSince ?? time),
            ruleID: rule.id, kind: rule.kind, sensor: record.sensor, site: record.site, metric: record.metric,
            from: from, to: to, notice: notice, severity: record.severity, value: value,
            threshold: condition.threshold(near: record.lastValue), basis: rule.basis, at: time,
            raisedAt: record.raisedAt, lastSeenAt: record.lastSeenAt, acknowledgedBy: record.acknowledgedBy,
            acknowledgedAt: record.acknowledgedAt, acknowledgementNote: record.acknowledgementNote)
    }

    // MARK: Conditions

    /// Whether the condition holds for `measure`; `active` applies the clear level (hysteresis).
    static func holds(_ condition: AlertCondition, measure v: Double, active: Bool) -> Bool {
        switch condition {
        case .above(let threshold, let clear, let inclusive):
            let level = active ? (clear ?? threshold) : threshold
            return inclusive ? v >= level : v > level
        case .below(let threshold, let clear, let inclusive):
            let level = active ? (clear ?? threshold) : threshold
            return inclusive ? v <= level : v < level
        case .outside(let low, let high, let clearLow, let clearHigh):
            if active { return v < (clearLow ?? low) || v > (clearHigh ?? high) }
            return v < low || v > high
        case .rate(let change, _, _, let clear):
            return v > (active ? (clear ?? change) : change)
        case .aqi(let level, let clear):
            return active ? v > (clear ?? Double(level.lowerBound - 1)) : v >= Double(level.lowerBound)
        case .noData, .qcFault:
            return false
        }
    }

    /// The largest change from any earlier value of the window to `value`, in `direction`.
    static func change(to value: Double, from earlier: [TimedValue], direction: RateDirection) -> Double {
        var largest = 0.0
        for sample in earlier {
            let delta = value - sample.value
            let change: Double =
                switch direction {
                case .rise: delta
                case .fall: -delta
                case .either: abs(delta)
                }
            largest = max(largest, change)
        }
        return largest
    }

    static func isFaulty(_ run: QCFaultRun, _ condition: AlertCondition) -> Bool {
        guard case .qcFault(let consecutive, let lasting) = condition, run.consecutive > 0 else { return false }
        if let consecutive, run.consecutive >= consecutive { return true }
        if let lasting, let since = run.since, run.lastAt >= since.adding(lasting) { return true }
        return false
    }

    // MARK: Helpers

    static func alertID(_ rule: AlertRule, _ sensor: String, _ time: Timestamp) -> String {
        "\(rule.id):\(sensor):\(time.milliseconds)"
    }

    private static func newRecord(_ rule: AlertRule, sensor: String, site: String) -> AlertStateRecord {
        AlertStateRecord(
            ruleID: rule.id, sensor: sensor, site: site, metric: rule.metric.pattern, severity: rule.severity)
    }

    /// The latest time the record changed state, so a late reading never dates a transition
    /// before the one it follows.
    private static func latestTime(of record: AlertStateRecord) -> Timestamp {
        [record.pendingSince, record.raisedAt, record.lastNotifiedAt, record.lastEdgeAt, record.acknowledgedAt]
            .compactMap { $0 }.max() ?? Timestamp(milliseconds: .min)
    }

    private mutating func advanceClock(to time: Timestamp) {
        if time > clock { clock = time }
    }

    private func siteKind(of sensor: String, site: String) -> SiteKind? {
        if let registered = sensors[sensor], registered.site == site, let kind = registered.siteKind { return kind }
        return siteKinds[site]
    }

    private mutating func matchingRules(sensor: String, site: String, metric: String) -> [Int] {
        let key = MatchKey(sensor: sensor, site: site, metric: metric)
        if let cached = matchCache[key] { return cached }
        let kind = siteKind(of: sensor, site: site)
        let found = rules.indices.filter {
            rules[$0].applies(sensor: sensor, site: site, siteKind: kind, metric: metric)
        }
        if matchCache.count >= Self.maximumMatchCacheEntries { matchCache.removeAll(keepingCapacity: true) }
        matchCache[key] = found
        return found
    }
}

/// A sensor the engine should expect, so `no_data` rules can say "never reported" about sensors
/// that stay silent from the start.
package struct MonitoredSensor: Hashable, Sendable {
    package var id: String
    package var site: String
    package var siteKind: SiteKind?
    /// Metric ids the sensor is configured to send.
    package var metrics: [String]

    package init(id: String, site: String, siteKind: SiteKind?, metrics: [String]) {
        self.id = id
        self.site = site
        self.siteKind = siteKind
        self.metrics = metrics
    }
}
