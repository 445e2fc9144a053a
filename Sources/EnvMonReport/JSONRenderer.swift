package import EnvMonCore

/// JSON edition: every figure of the report for other systems (the city IOC, dashboards), in
/// the shape of `docs/report.schema.json`. Language-neutral: names come in both languages.
/// Instants are RFC 3339 UTC; days are local (UTC+7) dates.
package enum JSONRenderer {
    package static let schemaID = "https://envmon.cathai.example/report.schema.json"
    package static let formatVersion = 1

    package static func render(_ document: ReportDocument, catalogue: MetricCatalogue = .standard) -> String {
        value(document, catalogue: catalogue).encoded() + "\n"
    }

    package static func value(_ document: ReportDocument, catalogue: MetricCatalogue = .standard) -> JSONValue {
        object([
            ("format_version", .number(Double(formatVersion))),
            ("period", period(document)),
            ("generated_at", time(document.generatedAt)),
            ("number", optional(document.number)),
            ("signer", optional(document.signer)),
            ("network", network(document.network)),
            ("exceedances", .array(document.exceedances.map(exceedance))),
            ("air_quality", .array(document.airQuality.map(station))),
            ("alerts", document.alerts.map(alerts) ?? .null),
            ("indicators", indicators(document)),
            ("charts", .array(document.charts.map(chart))),
            ("findings", .array(document.findings.map(finding))),
        ])
    }

    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { JSONMember($0.0, $0.1) })
    }

    static func time(_ time: Timestamp) -> JSONValue { .string(RFC3339.format(time)) }
    static func date(_ time: Timestamp) -> JSONValue {
        let (year, month, day) = ReportPeriod.localDate(of: time)
        return .string("\(year)-\(ReportFormatter.two(month))-\(ReportFormatter.two(day))")
    }
    static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    static func optional(_ number: Double?) -> JSONValue { number.map { .number($0) } ?? .null }
    static func integer(_ value: Int) -> JSONValue { .number(Double(value)) }

    static func period(_ document: ReportDocument) -> JSONValue {
        object([
            ("label", .string(document.period.label)), ("kind", .string(document.period.kind.rawValue)),
            ("from", time(document.period.from)), ("to", time(document.period.to)),
            ("data_until", time(document.dataUntil)),
        ])
    }

    static func quality(_ tally: ReportDocument.QualityTally) -> JSONValue {
        object([
            ("total", integer(tally.total)), ("pass", integer(tally.pass)),
            ("not_evaluated", integer(tally.notEvaluated)), ("suspect", integer(tally.suspect)),
            ("fail", integer(tally.fail)), ("missing", integer(tally.missing)),
            ("pass_share", optional(tally.share(.pass))), ("suspect_share", optional(tally.share(.suspect))),
            ("fail_share", optional(tally.share(.fail))), ("not_evaluated_share", optional(tally.share(.notEvaluated))),
        ])
    }

    static func network(_ network: ReportDocument.Network) -> JSONValue {
        object([
            ("sensors_configured", integer(network.sensorsConfigured)),
            ("sensors_reporting", integer(network.sensorsReporting)),
            ("silent_sensors", .array(network.silentSensors.map { .string($0) })),
            ("unconfigured_sensors", .array(network.unconfiguredSensors.map { .string($0) })),
            ("expected", integer(network.expected)), ("received", integer(network.received)),
            ("completeness", optional(network.completeness)), ("quality", quality(network.quality)),
            (
                "sites",
                .array(
                    network.sites.map { site in
                        object([
                            ("site", .string(site.site)), ("name", .string(site.name)),
                            ("kind", .string(site.kind.rawValue)),
                            ("sensors", .array(site.sensors.map { .string($0) })), ("expected", integer(site.expected)),
                            ("received", integer(site.received)), ("completeness", optional(site.completeness)),
                        ])
                    })
            ),
            (
                "sensors",
                .array(
                    network.sensors.map { sensor in
                        object([
                            ("sensor", .string(sensor.sensor)), ("site", .string(sensor.site)),
                            ("metrics", .array(sensor.metrics.map { .string($0) })),
                            ("interval_seconds", .number(sensor.intervalSeconds)),
                            ("expected", integer(sensor.expected)),
                            ("received", integer(sensor.received)), ("completeness", optional(sensor.completeness)),
                            ("quality", quality(sensor.quality)), ("seq_missing", integer(sensor.sequenceMissing)),
                            ("seq_duplicates", integer(sensor.sequenceDuplicates)),
                            ("catch_up_readings", integer(sensor.catchUpReadings)),
                            ("maintenance", integer(sensor.maintenance)),
                        ])
                    })
            ),
        ])
    }

    static func bound(_ bound: QCVNReference.Bound) -> JSONValue {
        switch bound {
        case .minimum(let limit): object([("type", .string("minimum")), ("limit", .number(limit))])
        case .maximum(let limit): object([("type", .string("maximum")), ("limit", .number(limit))])
        case .band(let low, let high):
            object([("type", .string("band")), ("low", .number(low)), ("high", .number(high))])
        }
    }

    static func reference(_ reference: QCVNReference) -> JSONValue {
        object([
            ("regulation", .string(reference.regulation)), ("column", .string(reference.column)),
            ("averaging", .string(reference.averaging.rawValue)), ("bound", bound(reference.bound)),
            ("valid_from", reference.validFrom.map(date) ?? .null),
            ("valid_until", reference.validUntil.map(date) ?? .null),
        ])
    }

    static func exceedance(_ exceedance: ReportDocument.Exceedance) -> JSONValue {
        object([
            ("site", .string(exceedance.site)), ("site_name", .string(exceedance.siteName)),
            ("site_kind", .string(exceedance.siteKind.rawValue)), ("metric", .string(exceedance.metric)),
            ("unit", .string(exceedance.unit)), ("reference", reference(exceedance.reference)),
            ("count_unit", .string(exceedance.reference.averaging == .hour ? "hours" : "days")),
            ("exceeded", integer(exceedance.exceeded)), ("evaluated", integer(exceedance.evaluated)),
            ("share", optional(exceedance.share)), ("worst", optional(exceedance.worst)),
            ("indicative", .bool(true)),
        ])
    }

    static func aqi(_ result: VNAQI.Index) -> [(String, JSONValue)] {
        [
            ("aqi", integer(result.value)), ("category", .string(result.category.id)),
            ("colour", .string(result.category.colour.hex)), ("dominant", .string(result.dominant.rawValue)),
            ("sub_indices", object(result.subIndices.map { ($0.parameter.rawValue, integer($0.rounded)) })),
        ]
    }

    static func station(_ station: ReportDocument.StationAQI) -> JSONValue {
        let counts = station.daysPerCategory
        return object([
            ("sensor", .string(station.sensor)), ("site", .string(station.site)),
            ("site_name", .string(station.siteName)),
            ("days_per_category", object(VNAQI.Category.allCases.map { ($0.id, integer(counts[$0] ?? 0)) })),
            ("days_without_index", integer(station.daysWithoutIndex)),
            ("maximum", station.maximum.map { day in object([("date", date(day.day))] + aqi(day.aqi!)) } ?? .null),
            (
                "days",
                .array(
                    station.days.map { day in
                        let input = day.concentrations
                        let concentrations = object([
                            ("pm25_24h", optional(input.pm25Mean24h)), ("pm10_24h", optional(input.pm10Mean24h)),
                            ("o3_max_1h", optional(input.o3Max1h)), ("o3_max_8h", optional(input.o3Max8h)),
                            ("no2_max_1h", optional(input.no2Max1h)), ("so2_max_1h", optional(input.so2Max1h)),
                            ("co_max_1h", optional(input.coMax1h)),
                        ])
                        guard let result = day.aqi else {
                            return object([
                                ("date", date(day.day)), ("aqi", .null), ("category", .null), ("colour", .null),
                                ("dominant", .null), ("sub_indices", object([])), ("concentrations", concentrations),
                            ])
                        }
                        return object([("date", date(day.day))] + aqi(result) + [("concentrations", concentrations)])
                    })
            ),
        ])
    }

    static func alerts(_ alerts: ReportDocument.AlertFigures) -> JSONValue {
        object([
            ("raised", integer(alerts.raised)), ("acknowledged", integer(alerts.acknowledged)),
            ("resolved", integer(alerts.resolved)), ("open_at_end", integer(alerts.openAtEnd)),
            ("unacknowledged_at_end", integer(alerts.unacknowledgedAtEnd)),
            (
                "raised_by_severity",
                object(alerts.raisedBySeverity.sorted { $0.key < $1.key }.map { ($0.key, integer($0.value)) })
            ),
            (
                "raised_by_site",
                object(alerts.raisedBySite.sorted { $0.key < $1.key }.map { ($0.key, integer($0.value)) })
            ),
            ("median_seconds_to_acknowledge", optional(alerts.medianSecondsToAcknowledge)),
            ("median_seconds_to_resolve", optional(alerts.medianSecondsToResolve)),
        ])
    }

    static func indicators(_ document: ReportDocument) -> JSONValue {
        func count(_ status: IndicatorStatus.Status) -> JSONValue {
            integer(document.indicators.filter { $0.status == status }.count)
        }
        return object([
            ("source", optional(document.indicatorSource)),
            (
                "groups",
                .array(
                    document.indicatorGroups.map {
                        object([
                            ("id", .string($0.id)), ("name_vi", .string($0.nameVietnamese)),
                            ("name_en", .string($0.nameEnglish)),
                        ])
                    })
            ),
            ("summary", object([("met", count(.met)), ("not_met", count(.notMet)), ("no_target", count(.noTarget))])),
            (
                "items",
                .array(
                    document.indicators.map { status in
                        let entry = status.current
                        return object([
                            ("id", .string(entry.id)), ("group", .string(entry.group)),
                            ("name_vi", .string(entry.nameVietnamese)), ("name_en", .string(entry.nameEnglish)),
                            ("unit", .string(entry.unit)), ("unit_en", .string(entry.unitEnglish)),
                            ("period", .string(entry.period.label)), ("value", .number(entry.value)),
                            ("qualifier", .string(entry.qualifier.rawValue)), ("target", optional(entry.target)),
                            (
                                "target_comparison",
                                entry.target == nil ? .null : .string(entry.targetComparison.rawValue)
                            ),
                            ("target_basis", optional(entry.targetBasis)), ("status", .string(status.status.rawValue)),
                            ("section", .string(entry.section)), ("change", optional(status.change)),
                            (
                                "previous",
                                status.previous.map { previous in
                                    object([
                                        ("period", .string(previous.period.label)), ("value", .number(previous.value)),
                                        ("qualifier", .string(previous.qualifier.rawValue)),
                                    ])
                                } ?? .null
                            ),
                        ])
                    })
            ),
        ])
    }

    static func chart(_ chart: ReportDocument.SeriesChart) -> JSONValue {
        object([
            ("site", .string(chart.site)), ("metric", .string(chart.metric)), ("unit", .string(chart.unit)),
            ("statistic", .string(chart.statistic.rawValue)),
            ("references", .array(chart.references.map(reference))),
            ("times", .array(chart.points.map { time($0.time) })),
            ("values", .array(chart.points.map { .number($0.value) })),
        ])
    }

    static func finding(_ finding: ReportDocument.Finding) -> JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(finding.code))]
        switch finding {
        case .silentSensor(let sensor, let site):
            members += [("sensor", .string(sensor)), ("site", .string(site))]
        case .poorCompleteness(let sensor, let site, let completeness):
            members += [("sensor", .string(sensor)), ("site", .string(site)), ("completeness", .number(completeness))]
        case .highQCFailure(let sensor, let share):
            members += [("sensor", .string(sensor)), ("fail_share", .number(share))]
        case .frequentExceedance(let site, let metric, let exceeded, let evaluated, let averaging):
            members += [
                ("site", .string(site)), ("metric", .string(metric)), ("exceeded", integer(exceeded)),
                ("evaluated", integer(evaluated)), ("averaging", .string(averaging.rawValue)),
            ]
        case .poorAirQualityDays(let sensor, let site, let days, let worst):
            members += [
                ("sensor", .string(sensor)), ("site", .string(site)), ("days", integer(days)),
                ("worst", integer(worst)),
            ]
        case .slowAcknowledgement(let median):
            members += [("median_seconds", .number(median))]
        case .unacknowledgedAlerts(let count):
            members += [("count", integer(count))]
        case .indicatorNotMet(let id):
            members += [("indicator", .string(id))]
        case .unconfiguredSensors(let sensors):
            members += [("sensors", .array(sensors.map { .string($0) }))]
        }
        return object(members)
    }
}
