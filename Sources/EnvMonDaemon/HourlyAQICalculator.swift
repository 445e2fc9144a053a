internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore

/// An air station's hourly VN_AQI (AQI^h, domain.md §1.4) from the store's roll-ups, never from
/// raw rows: PM2.5 and PM10 by NowCast over the last 12 hourly means, O3, NO2, SO2 and CO from
/// their 1-hour means. The one computation behind both the `aqi` alert rules and the hourly record.
struct HourlyAQICalculator {
    let readings: any ReadingQueries

    /// Which hour an index is for.
    enum Hour {
        /// The hour starting at `start`, closed: its hourly roll-up is c1, and the gases' hourly
        /// roll-ups give their 1-hour means. What is stored and published.
        case closed(start: Timestamp)
        /// The present, for the alert engine: the hour in progress at `now` is c1, and the gases
        /// take the mean of the 60 minutes before `now`, so an alert does not wait for the hour
        /// to close.
        case current(now: Timestamp)
    }

    /// A sensor configured with PM2.5 or PM10: VN_AQI needs at least one of them.
    static func isAirStation(_ sensor: SensorSettings) -> Bool {
        sensor.metrics.contains(VNAQI.Pollutant.pm25.rawValue) || sensor.metrics.contains(VNAQI.Pollutant.pm10.rawValue)
    }

    /// nil when the sensor measures neither PM or NowCast finds too few hours ("no data").
    /// Throws when the store cannot be read: an hour left out for that reason would be lost to
    /// the back-fill, and a database that is down would be asked again for every hour.
    func index(of sensor: SensorSettings, for hour: Hour) throws -> VNAQI.Index? {
        let hourWidth = RollupResolution.hour.milliseconds
        let newestHour =
            switch hour {
            case .closed(let start): start.floored(toMultipleOf: hourWidth)
            case .current(let now): now.floored(toMultipleOf: hourWidth)
            }
        func hourlyMeans(_ pollutant: VNAQI.Pollutant) throws -> [Double?] {
            guard sensor.metrics.contains(pollutant.rawValue) else { return [] }
            let points = try readings.rollups(
                of: SeriesKey(sensor: sensor.id, metric: pollutant.rawValue), resolution: .hour,
                from: newestHour.adding(milliseconds: -11 * hourWidth),
                to: newestHour.adding(milliseconds: hourWidth))
            var byBucket: [Int64: Double] = [:]
            for point in points { byBucket[point.bucket.milliseconds] = point.mean }
            // c1 is the most recent hour.
            return (0..<12).map { byBucket[newestHour.milliseconds - Int64($0) * hourWidth] }
        }
        func oneHourMean(_ pollutant: VNAQI.Pollutant) throws -> Double? {
            guard sensor.metrics.contains(pollutant.rawValue) else { return nil }
            let series = SeriesKey(sensor: sensor.id, metric: pollutant.rawValue)
            switch hour {
            case .closed:
                let points = try readings.rollups(
                    of: series, resolution: .hour, from: newestHour, to: newestHour.adding(milliseconds: hourWidth))
                return points.first?.mean
            case .current(let now):
                return readings.trailingMean(of: series, over: .seconds(3600), now: now)
            }
        }
        return VNAQI.hourly(
            o3: try oneHourMean(.o3), no2: try oneHourMean(.no2), so2: try oneHourMean(.so2), co: try oneHourMean(.co),
            pm25Hours: try hourlyMeans(.pm25), pm10Hours: try hourlyMeans(.pm10))
    }

}
