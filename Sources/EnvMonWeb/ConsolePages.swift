internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonReport
internal import EnvMonStore
internal import HTTPTypes
internal import Hummingbird

/// The pages: each reads what it shows (mostly the shared snapshot) and renders HTML.
extension WebConsole {
    static let sessionCookie = "envmon_session"
    static let languageCookie = "envmon_lang"
    static let loginTokenCookie = "envmon_login_csrf"

    func addPageRoutes(to router: Router<ConsoleRequestContext>) {
        router.get("/") { request, _ in
            await self.page(request) { frame in
                OverviewPage.render(try await self.snapshots.snapshot(), frame: frame)
            }
        }
        router.get("/sites/:id") { request, context in
            await self.page(request) { frame in
                let id = Self.pathParameter(context, "id")
                let snapshot = try await self.snapshots.snapshot()
                guard let status = snapshot.site(id) else {
                    throw ConsoleError.notFound("no site \"\(id.prefix(120))\"")
                }
                let now = frame.now
                let series = status.sensors.flatMap { sensor in
                    sensor.sensor.metrics.map { SeriesKey(sensor: sensor.sensor.id, metric: $0) }
                }
                // Hourly points: the hourly roll-up is keyed by series, so each sparkline is one
                // short keyed read; the minute tables are keyed by time and would be scanned for
                // every series of the day (40-95 ms for a five-sensor site in `make web-bench`).
                let sparklines = try await self.store.run { store in
                    var result: [SeriesKey: [RollupPoint]] = [:]
                    for key in series {
                        result[key] = try store.readings.rollups(
                            of: key, resolution: .hour, from: now.adding(milliseconds: -86_400_000),
                            to: now.adding(milliseconds: 1))
                    }
                    return result
                }
                return SitePage.render(
                    status, snapshot: snapshot, sparklines: sparklines, catalogue: self.configuration.catalogue,
                    frame: frame)
            }
        }
        router.get("/series/:sensor/:metric") { request, context in
            let sensor = Self.pathParameter(context, "sensor")
            var metric = Self.pathParameter(context, "metric")
            let csv = metric.hasSuffix(".csv")
            if csv { metric.removeLast(4) }
            if csv {
                do {
                    let language = self.frame(request).frame.language
                    let view = try await self.seriesView(request, sensor: sensor, metric: metric, language: language)
                    return ConsoleResponse.make(
                        SeriesPage.csv(view), type: "text/csv; charset=utf-8",
                        extra: [
                            (
                                .contentDisposition,
                                "attachment; filename=\"\(sensor)-\(metric)-\(view.range.rawValue).csv\""
                            )
                        ])
                } catch let error as ConsoleError {
                    return ConsoleResponse.make(
                        error.message + "\n", type: "text/plain; charset=utf-8", status: error.status)
                } catch {
                    return ConsoleResponse.make(
                        "\(error)\n", type: "text/plain; charset=utf-8", status: .internalServerError)
                }
            }
            return await self.page(request) { frame in
                SeriesPage.render(
                    try await self.seriesView(request, sensor: sensor, metric: metric, language: frame.language),
                    frame: frame)
            }
        }
        router.get("/alerts") { request, _ in
            await self.page(request) { frame in
                let query = FormFields(request.uri.query ?? "")
                let (active, recent) = try await self.store.run { store in
                    (
                        try store.alerts.alerts(activeOnly: true, since: nil, severity: nil, limit: 500),
                        try store.alerts.alerts(
                            activeOnly: false, since: frame.now.adding(milliseconds: -7 * 86_400_000), severity: nil,
                            limit: 200)
                    )
                }
                return AlertsPage.render(
                    active: active, recent: recent, outcome: query["ack"].flatMap(AlertsPage.Outcome.init(rawValue:)),
                    detail: query["detail"].map { String($0.prefix(300)) }, frame: frame)
            }
        }
        router.get("/alerts/:id") { request, context in
            await self.page(request) { frame in
                let id = Self.pathParameter(context, "id")
                let found = try await self.store.run { store -> (AlertRecord, [AlertLogEntry])? in
                    guard let alert = try store.alerts.alert(id: id) else { return nil }
                    return (alert, try store.alerts.history(of: id))
                }
                guard let (alert, entries) = found else {
                    throw ConsoleError.notFound("no alert \"\(id.prefix(120))\"")
                }
                return AlertsPage.history(alert, entries: entries, frame: frame)
            }
        }
        router.get("/air") { request, _ in
            await self.page(request) { frame in
                AirPage.render(try await self.airStations(site: nil, days: 7), frame: frame)
            }
        }
        router.get("/health") { request, _ in
            await self.page(request) { frame in
                let health = try await self.health()
                return HealthPage.render(
                    figures: health.figures, rejects: health.rejects, outbox: health.outbox, frame: frame)
            }
        }
    }

    /// The language, the logged-in user and the form token of a request.
    func frame(_ request: Request) -> (frame: PageFrame, setLanguage: ConsoleLanguage?) {
        let cookies = CookieHeader.parse(request.headers[.cookie] ?? "")
        let asked = FormFields(request.uri.query ?? "")["lang"].flatMap(ConsoleLanguage.init(rawValue:))
        let language = asked ?? cookies[Self.languageCookie].flatMap(ConsoleLanguage.init(rawValue:)) ?? .vi
        let session = cookies[Self.sessionCookie].flatMap { sessions.session(id: $0) }
        let frame = PageFrame(
            language: language, user: session?.user, csrfToken: session?.csrfToken, path: request.uri.path, now: now())
        return (frame, asked)
    }

    /// Renders a page, or the refusal as a short HTML page with its status.
    func page(_ request: Request, _ body: (PageFrame) async throws -> String) async -> Response {
        let (frame, setLanguage) = frame(request)
        var extra: [(HTTPField.Name, String)] = []
        if let setLanguage {
            extra.append(
                (
                    .setCookie,
                    CookieHeader.setCookie(
                        name: Self.languageCookie, value: setLanguage.rawValue, maxAge: .seconds(365 * 86400),
                        secure: configuration.web.secureCookie)
                ))
        }
        do {
            return ConsoleResponse.html(try await body(frame), extra: extra)
        } catch let error as ConsoleError {
            return errorPage(error, frame: frame, extra: extra)
        } catch {
            logger.error("page \(request.uri.path) failed: \(error)")
            return errorPage(
                ConsoleError(status: .internalServerError, message: "the store could not answer: \(error)"),
                frame: frame,
                extra: extra)
        }
    }

    func errorPage(_ error: ConsoleError, frame: PageFrame, extra: [(HTTPField.Name, String)] = []) -> Response {
        let body = "<h1>\(error.status.code)</h1><p class=\"error\">\(PageLayout.escape(error.message))</p>"
        return ConsoleResponse.html(
            PageLayout.render(frame, title: "\(error.status.code)", active: "", body: body), status: error.status,
            extra: extra)
    }

    func seriesView(
        _ request: Request, sensor: String, metric: String, language: ConsoleLanguage
    ) async throws
        -> SeriesView
    {
        let now = self.now()
        let query = try QueryReader(request, allowed: ["range"], now: now)
        let range = try query.choice("range", as: SeriesRange.self) ?? .day
        try await requireSensor(sensor)
        let series = SeriesKey(sensor: sensor, metric: metric)
        let configured = configuration.sensors.first { $0.id == sensor }
        if let configured, !configured.metrics.contains(metric) {
            throw ConsoleError.notFound(
                "sensor \(sensor) has no metric \"\(metric.prefix(60))\"; it has \(configured.metrics.joined(separator: ", "))"
            )
        }
        let site = configured.flatMap { configuration.site($0.site) }
        let to = now
        let from = now.adding(milliseconds: -range.milliseconds)
        let failedFrom = now.adding(milliseconds: -range.failedReadingsSpan)
        let (points, failed) = try await store.run { store in
            (
                try store.readings.rollups(of: series, resolution: range.resolution, from: from, to: to),
                try store.readings.failedReadings(of: series, from: failedFrom, to: to, limit: 2000)
            )
        }
        if configured == nil && points.isEmpty && failed.isEmpty {
            throw ConsoleError.notFound("no series \(sensor) \(metric.prefix(60))")
        }
        return SeriesView(
            series: series, site: site, unit: configuration.catalogue.definition(named: metric)?.unit ?? "",
            range: range,
            from: from, to: to, points: points, failed: failed, failedFrom: failedFrom,
            thresholds: SeriesPage.thresholds(
                configuration: configuration, series: series, site: site, now: now, words: language.words))
    }

    /// Hourly VN_AQI as envmond stored it, and daily VN_AQI of the last `days` local days
    /// computed from the hourly roll-ups as the report does.
    func airStations(site: String?, days: Int) async throws -> [AirStationView] {
        let configuration = self.configuration
        let now = self.now()
        let sensors = configuration.sensors.filter {
            ($0.metrics.contains("pm25") || $0.metrics.contains("pm10")) && (site == nil || $0.site == site)
        }
        guard !sensors.isEmpty else { return [] }
        let today = ReportPeriod.localDate(of: now)
        let to = ReportPeriod.localMidnight(year: today.year, month: today.month, day: today.day)
            .adding(milliseconds: 86_400_000)
        let from = to.adding(milliseconds: -Int64(days) * 86_400_000)
        return try await store.run { store in
            var hourly: [SeriesKey: [Int64: RollupPoint]] = [:]
            for sensor in sensors {
                for metric in sensor.metrics where VNAQI.Pollutant(rawValue: metric) != nil {
                    let key = SeriesKey(sensor: sensor.id, metric: metric)
                    var buckets: [Int64: RollupPoint] = [:]
                    for point in try store.readings.rollups(
                        of: key, resolution: .hour, from: from.adding(milliseconds: -8 * 3_600_000), to: to)
                    {
                        buckets[point.bucket.milliseconds] = point
                    }
                    hourly[key] = buckets
                }
            }
            var scoped = configuration
            scoped.sensors = sensors
            let builder = ReportBuilder(configuration: scoped, queries: store.readings, indicators: nil)
            let daily = builder.airQuality(
                period: .custom(from: from, to: to), dataUntil: min(to, now.adding(milliseconds: 1)), hourly: hourly)
            let stored = try store.storedAQI(since: now.adding(milliseconds: -48 * 3_600_000))
            return daily.map { station in
                AirStationView(
                    sensor: station.sensor, site: station.site, siteName: station.siteName,
                    hourly: (stored[station.sensor] ?? []).sorted { $0.hour > $1.hour }, daily: station.days)
            }
        }
    }
}
