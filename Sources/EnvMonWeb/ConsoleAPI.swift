internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import Hummingbird

/// `/api/v1`: the same records as the CLI's `--format json`, with the same field names
/// (EnvMonJSON builds both), described by `/api/v1/openapi.json`.
extension WebConsole {
    /// At most this many points or readings in one series answer.
    static let maximumSeriesRows = 10_000

    func addAPIRoutes(to router: Router<ConsoleRequestContext>) {
        let api = router.group("/api/v1")
        api.get("/openapi.json") { _, _ in
            ConsoleResponse.make(OpenAPIDocument.json, type: "application/json; charset=utf-8", cache: "max-age=300")
        }
        api.get("/sites") { request, _ in
            await self.api {
                _ = try QueryReader(request, allowed: [], now: self.now())
                return .array(try await self.snapshots.snapshot().sites.map(Self.siteJSON))
            }
        }
        api.get("/sensors") { request, _ in
            await self.api {
                _ = try QueryReader(request, allowed: [], now: self.now())
                let configured = self.configuration.sensors
                let entries = try await self.store.run { store in
                    SensorListing.entries(
                        configured: configured, stored: try store.readings.sensors(),
                        delivery: try store.readings.sensorDelivery())
                }
                return .array(entries.map { .object(RecordJSON.sensor($0)) })
            }
        }
        api.get("/latest") { request, _ in
            await self.api {
                let query = try QueryReader(request, allowed: ["site", "sensor"], now: self.now())
                let site = query.string("site")
                let sensor = query.string("sensor")
                if let site { try self.requireSite(site) }
                if let sensor { try await self.requireSensor(sensor) }
                let catalogue = self.configuration.catalogue
                let values = try await self.store.run { try $0.readings.latest(site: site, sensor: sensor) }
                return .array(
                    values.map {
                        .object(RecordJSON.latest($0, unit: catalogue.definition(named: $0.series.metric)?.unit))
                    })
            }
        }
        api.get("/series") { request, _ in
            await self.api { try await self.seriesJSON(request) }
        }
        api.get("/alerts") { request, _ in
            await self.api {
                let query = try QueryReader(
                    request, allowed: ["active", "since", "severity", "limit"], now: self.now())
                let active = try query.bool("active", default: false)
                let since = try query.optionalTime("since")
                let severity = try query.choice("severity", as: AlertSeverity.self)
                let limit = try query.integer("limit", default: 200, in: 1...1000)
                let catalogue = self.configuration.catalogue
                let alerts = try await self.store.run {
                    try $0.alerts.alerts(activeOnly: active, since: since, severity: severity, limit: limit)
                }
                return .array(
                    alerts.map { .object(RecordJSON.alert($0, unit: RecordJSON.alertUnit($0, catalogue: catalogue))) })
            }
        }
        api.get("/alerts/:id") { request, context in
            await self.api {
                _ = try QueryReader(request, allowed: [], now: self.now())
                let id = Self.pathParameter(context, "id")
                let catalogue = self.configuration.catalogue
                let found = try await self.store.run { store -> (AlertRecord, [AlertLogEntry])? in
                    guard let alert = try store.alerts.alert(id: id) else { return nil }
                    return (alert, try store.alerts.history(of: id))
                }
                guard let (alert, history) = found else {
                    throw ConsoleError.notFound("no alert \"\(id.prefix(120))\"")
                }
                var fields = RecordJSON.alert(alert, unit: RecordJSON.alertUnit(alert, catalogue: catalogue))
                fields["history"] = .array(history.map { .object(RecordJSON.alertLogEntry($0)) })
                return .object(fields)
            }
        }
        api.get("/aqi") { request, _ in
            await self.api {
                let query = try QueryReader(request, allowed: ["site", "days"], now: self.now())
                let site = query.string("site")
                if let site { try self.requireSite(site) }
                let days = try query.integer("days", default: 7, in: 1...31)
                let stations = try await self.airStations(site: site, days: days)
                return .array(stations.map(Self.stationJSON))
            }
        }
        api.get("/rejects") { request, _ in
            await self.api {
                let query = try QueryReader(request, allowed: ["since", "reason", "limit"], now: self.now())
                let since = try query.time("since", default: self.now().adding(milliseconds: -86_400_000))
                let reason = try query.choice("reason", as: RejectReason.self)
                let limit = try query.integer("limit", default: 100, in: 1...1000)
                let rejects = try await self.store.run {
                    try $0.readings.rejects(since: since, reason: reason, limit: limit)
                }
                return .array(rejects.map { .object(RecordJSON.reject($0)) })
            }
        }
        api.get("/stats") { request, _ in
            await self.api {
                _ = try QueryReader(request, allowed: [], now: self.now())
                let health = try await self.health()
                return .object([
                    "figures": .array(health.figures.map { .object(StoreFigures.json($0)) }),
                    "rejects_last_day": .object(
                        Dictionary(
                            uniqueKeysWithValues: health.rejects.map { ($0.key.rawValue, .integer(Int64($0.value))) })),
                    "transmission": .array(health.outbox.map { .object(RecordJSON.outboxStatus($0, now: self.now())) }),
                ])
            }
        }
        api.get("/live") { request, _ in
            await self.api {
                _ = try QueryReader(request, allowed: ["site"], now: self.now())
                return Self.liveJSON(try await self.snapshots.snapshot(), catalogue: self.configuration.catalogue)
            }
        }
        // Anything else under /api/v1 is a JSON 404, not the HTML one.
        api.get("/**") { request, _ in
            ConsoleResponse.json(
                ConsoleError.notFound("no endpoint \(request.uri.path); see /api/v1/openapi.json").json,
                status: .notFound)
        }
    }

    func requireSite(_ id: String) throws(ConsoleError) {
        guard configuration.site(id) != nil else {
            throw .notFound(
                "no site \"\(id.prefix(120))\"; sites: \(configuration.sites.map(\.id).joined(separator: ", "))")
        }
    }

    func requireSensor(_ id: String) async throws {
        if configuration.sensors.contains(where: { $0.id == id }) { return }
        let seen = try await store.run { try $0.readings.sensors().contains { $0.sensor == id } }
        if !seen { throw ConsoleError.notFound("no sensor \"\(id.prefix(120))\" configured or seen") }
    }

    /// `/api/v1/series`: buckets from the roll-up the span calls for (at most 10,000), or raw
    /// readings with `every=raw` (at most 10,000, then `truncated`).
    func seriesJSON(_ request: Request) async throws -> JSONField {
        let now = self.now()
        let query = try QueryReader(
            request, allowed: ["sensor", "metric", "from", "to", "every", "agg", "limit"], now: now)
        let sensor = try query.required("sensor")
        let metric = try query.required("metric")
        let to = try query.time("to", default: now)
        let from = try query.time("from", default: to.adding(milliseconds: -86_400_000))
        guard from < to else {
            throw ConsoleError.badParameter(
                "from", "from (\(RFC3339.format(from))) must be before to (\(RFC3339.format(to)))")
        }
        let everyText = query.string("every")
        let aggregate = try query.choice("agg", as: RollupAggregate.self) ?? .avg
        let limit = try query.integer("limit", default: Self.maximumSeriesRows, in: 1...Self.maximumSeriesRows)
        try await requireSensor(sensor)
        let series = SeriesKey(sensor: sensor, metric: metric)
        let unit = configuration.catalogue.definition(named: metric)?.unit ?? ""
        let span = to.milliseconds - from.milliseconds
        var fields: [String: JSONField] = [
            "sensor": .string(sensor), "metric": .string(metric), "unit": .string(unit), "from": .time(from),
            "to": .time(to),
        ]
        if everyText == "raw" {
            let readings = try await store.run {
                try $0.readings.readings(of: series, from: from, to: to, limit: limit + 1)
            }
            fields["every"] = .string("raw")
            fields["truncated"] = .bool(readings.count > limit)
            fields["points"] = .array(readings.prefix(limit).map { .object(RecordJSON.reading($0)) })
            return .object(fields)
        }
        let resolution: RollupResolution
        if let everyText {
            guard let chosen = RollupResolution(rawValue: everyText) else {
                throw ConsoleError.badParameter(
                    "every", "every=\"\(everyText.prefix(30))\" must be one of raw, 1m, 1h, 1d")
            }
            let buckets = span / chosen.milliseconds
            guard buckets <= Int64(Self.maximumSeriesRows) else {
                throw ConsoleError.badParameter(
                    "every",
                    "every=\(everyText) over this range would be \(buckets) points (at most \(Self.maximumSeriesRows)): use a coarser every or a shorter range"
                )
            }
            resolution = chosen
        } else {
            resolution =
                RollupResolution.allCases.first { span / $0.milliseconds <= Int64(Self.maximumSeriesRows) / 2 } ?? .day
        }
        let points = try await store.run {
            try $0.readings.rollups(of: series, resolution: resolution, from: from, to: to)
        }
        fields["every"] = .string(resolution.rawValue)
        fields["agg"] = .string(aggregate.rawValue)
        fields["truncated"] = .bool(points.count > limit)
        fields["points"] = .array(points.prefix(limit).map { .object(RecordJSON.bucket($0, aggregate: aggregate)) })
        return .object(fields)
    }

    struct Health: Sendable {
        var figures: [StoreFigures.Figure]
        var rejects: [RejectReason: Int]
        var outbox: [OutboxTargetStatus]
    }

    func health() async throws -> Health {
        let since = now().adding(milliseconds: -86_400_000)
        let targets = configuration.transmission.targets.map(\.id) + configuration.webhooks.map(\.id)
        return try await store.run { store in
            var statuses = Dictionary(uniqueKeysWithValues: try store.outbox.status().map { ($0.target, $0) })
            for target in targets where statuses[target] == nil {
                statuses[target] = OutboxTargetStatus(target: target, sent: 0, backlog: 0, abandoned: 0)
            }
            return Health(
                figures: StoreFigures.figures(
                    try store.readings.statistics(), delivery: try store.readings.sensorDelivery()),
                rejects: try store.readings.rejectCounts(since: since),
                outbox: statuses.values.sorted { $0.target < $1.target })
        }
    }

    static func siteJSON(_ status: ConsoleSnapshot.SiteStatus) -> JSONField {
        .object([
            "id": .string(status.site.id), "name": .string(status.site.name),
            "kind": .string(status.site.kind.rawValue),
            "latitude": .optional(status.site.latitude), "longitude": .optional(status.site.longitude),
            "commune": .optional(status.site.commune), "state": .string(status.state.name),
            "sensors": .array(status.sensors.map { .string($0.sensor.id) }),
            "active_alerts": .integer(Int64(status.activeAlerts.count)),
        ])
    }

    static func stationJSON(_ station: AirStationView) -> JSONField {
        func index(_ value: Int, dominant: String?) -> [String: JSONField] {
            let category = VNAQI.Category(aqi: value)
            return [
                "aqi": .integer(Int64(value)), "category": .string(category.id),
                "colour": .string(category.colour.hex),
                "dominant": .optional(dominant),
            ]
        }
        return .object([
            "sensor": .string(station.sensor), "site": .string(station.site),
            "hourly": .array(
                station.hourly.map { hour in
                    var fields = index(hour.value, dominant: hour.dominant)
                    fields["hour"] = .time(hour.hour)
                    return .object(fields)
                }),
            "daily": .array(
                station.daily.compactMap { day in
                    guard let aqi = day.aqi else { return nil }
                    var fields = index(aqi.value, dominant: aqi.dominant.rawValue)
                    fields["day"] = .time(day.day)
                    return .object(fields)
                }),
        ])
    }

    /// What the live script polls: every site's state, every latest value, the active alerts.
    static func liveJSON(_ snapshot: ConsoleSnapshot, catalogue: MetricCatalogue) -> JSONField {
        .object([
            "taken_at": .time(snapshot.takenAt),
            "taken_at_ms": .integer(snapshot.takenAt.milliseconds),
            "taken_at_local": .string(DisplayText.time(snapshot.takenAt)),
            "sites": .array(
                snapshot.sites.map { .object(["id": .string($0.site.id), "state": .string($0.state.name)]) }),
            "latest": .array(
                snapshot.latest.map { value in
                    var fields = RecordJSON.latest(value, unit: catalogue.definition(named: value.series.metric)?.unit)
                    fields["age"] = .string(
                        DisplayText.age(milliseconds: snapshot.takenAt.milliseconds - value.timestamp.milliseconds))
                    fields["value_text"] = .string(DisplayText.value(value.value))
                    return .object(fields)
                }),
            "alerts": .array(
                snapshot.activeAlerts.map { alert in
                    var fields = RecordJSON.alert(alert, unit: RecordJSON.alertUnit(alert, catalogue: catalogue))
                    fields["raised_at_local"] = .string(alert.raisedAt.map { DisplayText.time($0) } ?? "–")
                    return .object(fields)
                }),
        ])
    }
}
