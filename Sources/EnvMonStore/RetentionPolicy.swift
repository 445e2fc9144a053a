/// How long each level is kept. Nil keeps it for ever.
public struct RetentionPolicy: Hashable, Sendable {
    public var rawDays: Int?
    public var minuteDays: Int?
    public var hourDays: Int?
    public var dayDays: Int?
    public var rejectDays: Int?

    public init(
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
public struct RetentionOutcome: Hashable, Sendable {
    public var droppedPartitions: [String]
    public var deletedRollupRows: Int
    /// Hourly VN_AQI rows, trimmed with the hourly roll-ups (`hourDays`).
    public var deletedAQIRows: Int
    public var deletedRejects: Int
}
