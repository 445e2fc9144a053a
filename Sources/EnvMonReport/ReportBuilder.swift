package import EnvMonConfig
package import EnvMonCore
package import EnvMonStore

/// Computes a `ReportDocument` for a period from the store (roll-ups and one QC tally), the
/// network config, the indicators file and the alert log.
package struct ReportBuilder: Sendable {
    package var configuration: EnvMonConfiguration
    package var queries: any ReadingQueries
    package var indicators: IndicatorCatalogue?
    /// Nil until an alert log is wired: the report then says alerts are not available.
    package var alertSource: (any ReportAlertSource)?
    package var number: String?
    package var signer: String?
    /// Maintenance windows of the period: their time is not expected of the sensor.
    package var maintenanceWindows: [MaintenanceWindow] = []

    package init(
        configuration: EnvMonConfiguration, queries: any ReadingQueries, indicators: IndicatorCatalogue?,
        alertSource: (any ReportAlertSource)? = nil,
        number: String? = nil, signer: String? = nil
    ) {
        self.configuration = configuration
        self.queries = queries
        self.indicators = indicators
        self.alertSource = alertSource
        self.number = number
        self.signer = signer
    }

    static let hour = RollupResolution.hour.milliseconds
    static let day: Int64 = 86_400_000
    /// The same as strides (Int64's stride type is Int).
    static let hourStep = Int(hour)
    static let dayStep = Int(day)
    static let airMetrics: Set<String> = Set(VNAQI.Pollutant.allCases.map(\.rawValue))

    package func build(period: ReportPeriod, now: Timestamp) throws -> ReportDocument {
        let dataUntil = min(period.to, max(period.from, now))
        let catalogue = configuration.catalogue

        // Series the environment sections read hour by hour: anything with a QCVN reference at its
        // site, and the AQI pollutants of air stations. Everything else is only counted.
        var environmental: Set<SeriesKey> = []
        var counted: [SeriesKey] = []
        for sensor in configuration.sensors {
            let kind = configuration.site(sensor.site)?.kind ?? .island
            for metric in sensor.metrics {
                let key = SeriesKey(sensor: sensor.id, metric: metric)
                counted.append(key)
                if !QCVNReferences.references(metric: metric, siteKind: kind).isEmpty
                    || Self.airMetrics.contains(metric)
                {
                    environmental.insert(key)
                }
            }
        }
        // Eight hours before the start, for the first day's 8-h ozone means.
        let data = try queries.periodData(
            series: environmental.sorted(), countedSeries: counted, resolution: .hour,
            from: period.from.adding(milliseconds: -8 * Self.hour), to: period.to)
        let hourly = data.rollups.mapValues { points in
            Dictionary(points.map { ($0.bucket.milliseconds, $0) }, uniquingKeysWith: { first, _ in first })
        }
        // Counts over the period itself (the query began 8 h early for ozone).
        var rollupCounts: [SeriesKey: Int] = [:]
        for key in counted {
            if let points = data.rollups[key] {
                rollupCounts[key] = points.filter { period.contains($0.bucket) }.reduce(0) { $0 + $1.count }
            }
        }
        let earlyCounts = try queries.periodData(
            series: [], countedSeries: counted.filter { !environmental.contains($0) }, resolution: .hour,
            from: period.from, to: period.to, qualityCounts: false)
        rollupCounts.merge(earlyCounts.rollupCounts) { first, _ in first }
        let quality = try queries.periodData(
            series: [], countedSeries: [], resolution: .hour, from: period.from, to: period.to
        ).qualityCounts

        let delivery = try queries.sensorDelivery(from: period.from, to: period.to)
        let network = networkFigures(
            period: period, dataUntil: dataUntil, counts: rollupCounts, quality: quality, delivery: delivery)
        let exceedances = exceedanceFigures(period: period, dataUntil: dataUntil, hourly: hourly, catalogue: catalogue)
        let air = airQuality(period: period, dataUntil: dataUntil, hourly: hourly)
        let alerts = try alertSource.map { try alertFigures(period: period, source: $0) }
        let charts = seriesCharts(period: period, dataUntil: dataUntil, hourly: hourly, catalogue: catalogue)
        let statuses = indicators?.statuses(for: period) ?? []
        var document = ReportDocument(
            period: period, generatedAt: now, dataUntil: dataUntil, number: number, signer: signer, network: network,
            exceedances: exceedances, airQuality: air, alerts: alerts, charts: charts,
            indicatorGroups: indicators?.groups ?? [], indicators: statuses, indicatorSource: indicators?.source,
            findings: [])
        document.findings = Self.findings(document)
        return document
    }

    // MARK: - Network

    func networkFigures(
        period: ReportPeriod, dataUntil: Timestamp, counts: [SeriesKey: Int], quality: [SeriesKey: [QualityFlag: Int]],
        delivery: [String: SensorDelivery] = [:]
    ) -> ReportDocument.Network {
        let span = dataUntil.milliseconds - period.from.milliseconds
        var tallyBySensor: [String: ReportDocument.QualityTally] = [:]
        var overall = ReportDocument.QualityTally()
        for (key, flags) in quality {
            for (flag, count) in flags {
                tallyBySensor[key.sensor, default: .init()].add(flag, count)
                overall.add(flag, count)
            }
        }
        var sensors: [ReportDocument.SensorFigures] = []
        var silent: [String] = []
        for sensor in configuration.sensors {
            let interval = max(1, sensor.interval.wholeMilliseconds)
            let perSeries = Int(max(0, span) / interval)
            var received = 0
            var any = (tallyBySensor[sensor.id]?.total ?? 0) > 0
            for metric in sensor.metrics {
                let count = counts[SeriesKey(sensor: sensor.id, metric: metric)] ?? 0
                if count > 0 { any = true }
                received += min(count, perSeries)
            }
            let figures = delivery[sensor.id]
            let catchUp = Int(figures?.catchUpReadings ?? 0)
            if catchUp > 0 { any = true }
            if !any { silent.append(sensor.id) }
            let maintenance = min(
                perSeries * sensor.metrics.count,
                maintenanceReadings(sensor, interval: interval, from: period.from, to: dataUntil))
            let expected = perSeries * sensor.metrics.count - maintenance
            received = min(received, expected)
            var sensorFigures = ReportDocument.SensorFigures(
                sensor: sensor.id, site: sensor.site, metrics: sensor.metrics,
                intervalSeconds: Double(interval) / 1000, expected: expected,
                received: min(received + catchUp, expected), quality: tallyBySensor[sensor.id] ?? .init())
            sensorFigures.sequenceMissing = Int(max(0, figures?.missing ?? 0))
            sensorFigures.sequenceDuplicates = Int(figures?.duplicates ?? 0)
            sensorFigures.catchUpReadings = catchUp
            sensorFigures.maintenance = maintenance
            sensors.append(sensorFigures)
        }
        let configuredIDs = Set(configuration.sensors.map(\.id))
        let unconfigured = Set(quality.keys.map(\.sensor)).subtracting(configuredIDs).sorted()
        let sites = configuration.sites.compactMap { site -> ReportDocument.SiteFigures? in
            let members = sensors.filter { $0.site == site.id }
            guard !members.isEmpty else { return nil }
            return ReportDocument.SiteFigures(
                site: site.id, name: site.name, kind: site.kind, sensors: members.map(\.sensor),
                expected: members.reduce(0) { $0 + $1.expected }, received: members.reduce(0) { $0 + $1.received })
        }
        return ReportDocument.Network(
            sensorsConfigured: configuration.sensors.count,
            sensorsReporting: configuration.sensors.count - silent.count,
            silentSensors: silent, unconfiguredSensors: unconfigured, sensors: sensors, sites: sites,
            expected: sensors.reduce(0) { $0 + $1.expected }, received: sensors.reduce(0) { $0 + $1.received },
            quality: overall)
    }

    /// The readings a sensor's interval promises within its maintenance windows over [from, to),
    /// per metric the window covers.
    func maintenanceReadings(_ sensor: SensorSettings, interval: Int64, from: Timestamp, to: Timestamp) -> Int {
        var total = 0
        for window in maintenanceWindows where window.sensor == sensor.id {
            let start = max(window.start.milliseconds, from.milliseconds)
            let end = min(window.end?.milliseconds ?? to.milliseconds, to.milliseconds)
            guard end > start else { continue }
            let metrics = window.metric.map { sensor.metrics.contains($0) ? 1 : 0 } ?? sensor.metrics.count
            total += Int((end - start) / interval) * metrics
        }
        return total
    }

    // MARK: - Exceedances

    /// The sensors of a site that measure a metric, with their hourly buckets.
    func siteSeries(_ site: String, metric: String, hourly: [SeriesKey: [Int64: RollupPoint]]) -> [[Int64: RollupPoint]]
    {
        configuration.sensors.filter { $0.site == site && $0.metrics.contains(metric) }.compactMap {
            hourly[SeriesKey(sensor: $0.id, metric: metric)]
        }
    }

    /// Mean of the hourly means of a local day, when enough hours have data.
    static func dailyMean(_ buckets: [Int64: RollupPoint], day: Int64) -> Double? {
        var total = 0.0
        var hours = 0
        for hour in stride(from: day, to: day + Self.day, by: Self.hourStep) {
            if let point = buckets[hour] {
                total += point.mean
                hours += 1
            }
        }
        return hours >= ReportThresholds.minimumHoursPerDay ? total / Double(hours) : nil
    }

    static func dailyMaxHourly(_ buckets: [Int64: RollupPoint], day: Int64) -> Double? {
        var result: Double?
        var hours = 0
        for hour in stride(from: day, to: day + Self.day, by: Self.hourStep) {
            if let point = buckets[hour] {
                result = max(result ?? -.infinity, point.mean)
                hours += 1
            }
        }
        return hours >= ReportThresholds.minimumHoursPerDay ? result : nil
    }

    func exceedanceFigures(
        period: ReportPeriod, dataUntil: Timestamp, hourly: [SeriesKey: [Int64: RollupPoint]],
        catalogue: MetricCatalogue
    ) -> [ReportDocument.Exceedance] {
        var result: [ReportDocument.Exceedance] = []
        for site in configuration.sites {
            let metrics = Self.orderedMetrics(configuration.sensors.filter { $0.site == site.id }.flatMap(\.metrics))
            for metric in metrics {
                let series = siteSeries(site.id, metric: metric, hourly: hourly)
                guard !series.isEmpty else { continue }
                for reference in QCVNReferences.references(metric: metric, siteKind: site.kind) {
                    var exceeded = 0
                    var evaluated = 0
                    var worst: Double?
                    let step = reference.averaging == .hour ? Self.hourStep : Self.dayStep
                    for start in stride(from: period.from.milliseconds, to: dataUntil.milliseconds, by: step) {
                        guard reference.applies(at: Timestamp(milliseconds: start)) else { continue }
                        let means: [Double] =
                            reference.averaging == .hour
                            ? series.compactMap { $0[start]?.mean }
                            : series.compactMap { Self.dailyMean($0, day: start) }
                        guard !means.isEmpty else { continue }
                        evaluated += 1
                        if means.contains(where: reference.bound.isExceeded) { exceeded += 1 }
                        for mean in means { worst = worst.map { reference.bound.worse($0, mean) } ?? mean }
                    }
                    guard evaluated > 0 || reference.applies(at: period.from) else { continue }
                    result.append(
                        ReportDocument.Exceedance(
                            site: site.id, siteName: site.name, siteKind: site.kind, metric: metric,
                            unit: catalogue.definition(named: metric)?.unit ?? "", reference: reference,
                            exceeded: exceeded, evaluated: evaluated, worst: worst))
                }
            }
        }
        return result
    }

    /// Water parameters first in the order of the QCVN table, then air.
    static let metricOrder = ["do", "ph", "tss", "nh4", "po4", "pm25", "pm10", "no2", "o3", "so2", "co"]

    static func orderedMetrics(_ metrics: [String]) -> [String] {
        let unique = Set(metrics)
        return metricOrder.filter(unique.contains)
    }

    // MARK: - Air quality

    package func airQuality(
        period: ReportPeriod, dataUntil: Timestamp, hourly: [SeriesKey: [Int64: RollupPoint]]
    ) -> [ReportDocument.StationAQI] {
        configuration.sensors.filter { $0.metrics.contains("pm25") || $0.metrics.contains("pm10") }.map { sensor in
            func buckets(_ pollutant: VNAQI.Pollutant) -> [Int64: RollupPoint]? {
                sensor.metrics.contains(pollutant.rawValue)
                    ? hourly[SeriesKey(sensor: sensor.id, metric: pollutant.rawValue)] ?? [:] : nil
            }
            var days: [ReportDocument.DailyAQI] = []
            for day in stride(from: period.from.milliseconds, to: dataUntil.milliseconds, by: Self.dayStep) {
                var input = ReportDocument.DailyConcentrations()
                input.pm25Mean24h = buckets(.pm25).flatMap { Self.dailyMean($0, day: day) }
                input.pm10Mean24h = buckets(.pm10).flatMap { Self.dailyMean($0, day: day) }
                input.no2Max1h = buckets(.no2).flatMap { Self.dailyMaxHourly($0, day: day) }
                input.so2Max1h = buckets(.so2).flatMap { Self.dailyMaxHourly($0, day: day) }
                input.coMax1h = buckets(.co).flatMap { Self.dailyMaxHourly($0, day: day) }
                if let ozone = buckets(.o3) {
                    input.o3Max1h = Self.dailyMaxHourly(ozone, day: day)
                    input.o3Max8h = Self.maxEightHourMean(ozone, day: day)
                }
                days.append(
                    ReportDocument.DailyAQI(
                        day: Timestamp(milliseconds: day), concentrations: input, aqi: input.index))
            }
            let site = configuration.site(sensor.site)
            return ReportDocument.StationAQI(
                sensor: sensor.id, site: sensor.site, siteName: site?.name ?? sensor.site, days: days)
        }
    }

    /// The highest 8-h rolling mean of hourly means among the windows ending in the day's hours.
    static func maxEightHourMean(_ buckets: [Int64: RollupPoint], day: Int64) -> Double? {
        var result: Double?
        for end in stride(from: day, to: day + Self.day, by: Self.hourStep) {
            var total = 0.0
            var hours = 0
            for hour in stride(from: end - 7 * Self.hour, through: end, by: Self.hourStep) {
                if let point = buckets[hour] {
                    total += point.mean
                    hours += 1
                }
            }
            if hours >= ReportThresholds.minimumHoursPerEightHours {
                result = max(result ?? -.infinity, total / Double(hours))
            }
        }
        return result
    }

    // MARK: - Alerts

    func alertFigures(period: ReportPeriod, source: any ReportAlertSource) throws -> ReportDocument.AlertFigures {
        let records = try source.alerts(from: period.from, to: period.to)
        let raised = records.filter { period.contains($0.raisedAt) }
        var bySeverity: [String: Int] = [:]
        var bySite: [String: Int] = [:]
        for record in raised {
            bySeverity[record.severity, default: 0] += 1
            bySite[record.site ?? "-", default: 0] += 1
        }
        let open = records.filter { $0.raisedAt < period.to && ($0.resolvedAt.map { $0 >= period.to } ?? true) }
        return ReportDocument.AlertFigures(
            raised: raised.count,
            acknowledged: records.filter { $0.acknowledgedAt.map(period.contains) ?? false }.count,
            resolved: records.filter { $0.resolvedAt.map(period.contains) ?? false }.count,
            openAtEnd: open.count,
            unacknowledgedAtEnd: open.filter { $0.acknowledgedAt.map { $0 >= period.to } ?? true }.count,
            raisedBySeverity: bySeverity, raisedBySite: bySite,
            medianSecondsToAcknowledge: Self.median(
                raised.compactMap { record in
                    record.acknowledgedAt.map { ($0.milliseconds - record.raisedAt.milliseconds) }
                }),
            medianSecondsToResolve: Self.median(
                raised.compactMap { record in record.resolvedAt.map { ($0.milliseconds - record.raisedAt.milliseconds) }
                }))
    }

    /// The median of durations in milliseconds, in seconds (mean of the middle two for an even count).
    static func median(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let milliseconds =
            sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
        return milliseconds / 1000
    }

    // MARK: - Charts

    func seriesCharts(
        period: ReportPeriod, dataUntil: Timestamp, hourly: [SeriesKey: [Int64: RollupPoint]],
        catalogue: MetricCatalogue
    ) -> [ReportDocument.SeriesChart] {
        let byHour = period.durationMilliseconds <= Int64(ReportThresholds.hourlyChartMaximumDays) * Self.day
        var charts: [ReportDocument.SeriesChart] = []
        for site in configuration.sites {
            let metrics = Self.orderedMetrics(configuration.sensors.filter { $0.site == site.id }.flatMap(\.metrics))
            for metric in metrics {
                let references = QCVNReferences.references(metric: metric, siteKind: site.kind).filter {
                    ($0.validFrom.map { $0 < period.to } ?? true) && ($0.validUntil.map { $0 > period.from } ?? true)
                }
                guard !references.isEmpty else { continue }
                let series = siteSeries(site.id, metric: metric, hourly: hourly)
                var points: [(time: Timestamp, value: Double)] = []
                let statistic: ReportDocument.SeriesChart.Statistic =
                    byHour
                    ? .hourlyMean
                    : references.allSatisfy { $0.averaging == .hour }
                        && Self.airMetrics.contains(metric) ? .dailyMaxHourly : .dailyMean
                let step = byHour ? Self.hourStep : Self.dayStep
                for start in stride(from: period.from.milliseconds, to: dataUntil.milliseconds, by: step) {
                    // Pooled over the site's sensors: the sum of sums over the sum of counts.
                    switch statistic {
                    case .hourlyMean:
                        let cells = series.compactMap { $0[start] }
                        let count = cells.reduce(0) { $0 + $1.count }
                        if count > 0 {
                            points.append(
                                (Timestamp(milliseconds: start), cells.reduce(0) { $0 + $1.sum } / Double(count)))
                        }
                    case .dailyMean:
                        var total = 0.0
                        var count = 0
                        for buckets in series {
                            for hour in stride(from: start, to: start + Self.day, by: Self.hourStep) {
                                if let cell = buckets[hour] {
                                    total += cell.sum
                                    count += cell.count
                                }
                            }
                        }
                        if count > 0 { points.append((Timestamp(milliseconds: start), total / Double(count))) }
                    case .dailyMaxHourly:
                        let values = series.compactMap { buckets in
                            stride(from: start, to: start + Self.day, by: Self.hourStep).compactMap {
                                buckets[$0]?.mean
                            }.max()
                        }
                        if let value = values.max() { points.append((Timestamp(milliseconds: start), value)) }
                    }
                }
                guard !points.isEmpty else { continue }
                charts.append(
                    ReportDocument.SeriesChart(
                        site: site.id, siteName: site.name, metric: metric,
                        unit: catalogue.definition(named: metric)?.unit ?? "", statistic: statistic, points: points,
                        references: references))
            }
        }
        return charts
    }

    // MARK: - Findings

    static func findings(_ document: ReportDocument) -> [ReportDocument.Finding] {
        var result: [ReportDocument.Finding] = []
        let network = document.network
        for sensor in network.silentSensors {
            result.append(
                .silentSensor(sensor: sensor, site: network.sensors.first { $0.sensor == sensor }?.site ?? ""))
        }
        for sensor in network.sensors where !network.silentSensors.contains(sensor.sensor) {
            if let completeness = sensor.completeness, completeness < ReportThresholds.poorCompleteness {
                result.append(.poorCompleteness(sensor: sensor.sensor, site: sensor.site, completeness: completeness))
            }
        }
        for sensor in network.sensors {
            if let share = sensor.quality.share(.fail), share > ReportThresholds.highFailShare {
                result.append(.highQCFailure(sensor: sensor.sensor, failShare: share))
            }
        }
        if !network.unconfiguredSensors.isEmpty {
            result.append(.unconfiguredSensors(sensors: network.unconfiguredSensors))
        }
        for exceedance in document.exceedances {
            if exceedance.exceeded > 0, let share = exceedance.share, share >= ReportThresholds.frequentExceedanceShare
            {
                result.append(
                    .frequentExceedance(
                        site: exceedance.site, metric: exceedance.metric, exceeded: exceedance.exceeded,
                        evaluated: exceedance.evaluated, averaging: exceedance.reference.averaging))
            }
        }
        for station in document.airQuality {
            let poorDays = station.days.filter { ($0.aqi?.value ?? 0) > 100 }
            if !poorDays.isEmpty, let worst = station.maximum?.aqi?.value {
                result.append(
                    .poorAirQualityDays(sensor: station.sensor, site: station.site, days: poorDays.count, worst: worst))
            }
        }
        if let alerts = document.alerts {
            if let median = alerts.medianSecondsToAcknowledge, median > ReportThresholds.slowAcknowledgementSeconds {
                result.append(.slowAcknowledgement(medianSeconds: median))
            }
            if alerts.unacknowledgedAtEnd > 0 {
                result.append(.unacknowledgedAlerts(count: alerts.unacknowledgedAtEnd))
            }
        }
        for status in document.indicators where status.status == .notMet {
            result.append(.indicatorNotMet(id: status.current.id))
        }
        return result
    }
}
