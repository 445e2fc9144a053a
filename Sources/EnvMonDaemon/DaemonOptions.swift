/// What `envmond` was started with; flags override the config file.
package struct DaemonOptions: Sendable {
    package var configPath: String
    package var brokerURL: String?
    package var databasePath: String?
    /// A datagram socket that takes the alert entries in journald's native protocol, instead of
    /// journald's own (a log shipper's, or a tool that measures alert latency).
    package var journalSocket: String?

    package init(
        configPath: String, brokerURL: String? = nil, databasePath: String? = nil, journalSocket: String? = nil
    ) {
        self.configPath = configPath
        self.journalSocket = journalSocket
        self.brokerURL = brokerURL
        self.databasePath = databasePath
    }
}
