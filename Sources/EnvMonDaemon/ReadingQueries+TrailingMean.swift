internal import EnvMonCore
internal import EnvMonStore

extension ReadingQueries {
    /// The mean over `window` before `now`, from the minute roll-ups weighted by their counts (a
    /// year of raw rows is never scanned): the rolling-mean rules and the gases of the hourly
    /// VN_AQI in progress. nil when nothing was stored in the window.
    func trailingMean(of series: SeriesKey, over window: Duration, now: Timestamp) -> Double? {
        let from = now.adding(milliseconds: -window.wholeMilliseconds)
        guard
            let points = try? rollups(of: series, resolution: .minute, from: from, to: now.adding(milliseconds: 1)),
            !points.isEmpty
        else { return nil }
        let count = points.reduce(0) { $0 + $1.count }
        return count == 0 ? nil : points.reduce(0) { $0 + $1.sum } / Double(count)
    }
}
