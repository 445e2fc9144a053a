internal import EnvMonConfig
internal import EnvMonStore

extension RejectBudget {
    /// The rejects table's bounds from `[retention]`.
    init(_ configuration: EnvMonConfiguration) {
        self.init(
            maximumRows: configuration.retention.rejectRows,
            maximumBytes: Int64(configuration.retention.rejectMebibytes) << 20)
    }
}
