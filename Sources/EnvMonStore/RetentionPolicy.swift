/// How long each level is kept. Nil keeps it for ever.
package struct RetentionPolicy: Hashable, Sendable {
    package var rawDays: Int?
    package var minuteDays: Int?
    package var hourDays: Int?
    package var dayDays: Int?
    package var rejectDays: Int?

    package init(
        rawDays: Int? = 400, minuteDays: Int? = 800, hourDays: Int? = 3650, dayDays: Int? = nil,
        rejectDays: Int? = 90
    ) {
        self.rawDays = rawDays
        self.minuteDays = minuteDays
        self.hourDays = hourDays
        self.dayDays = dayDays
        self.rejectDays = rejectDays
    }
}

/// What a retention pass removed.
package struct RetentionOutcome: Hashable, Sendable {
    package var droppedPartitions: [String]
    package var deletedRollupRows: Int
    /// Hourly VN_AQI rows, trimmed with the hourly roll-ups (`hourDays`).
    package var deletedAQIRows: Int
    package var deletedRejects: Int
}
