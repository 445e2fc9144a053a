/// What `envmond` was started with; flags override the config file.
public struct DaemonOptions: Sendable {
    public var configPath: String
    public var brokerURL: String?
    public var databasePath: String?

    public init(configPath: String, brokerURL: String? = nil, databasePath: String? = nil) {
        self.configPath = configPath
        self.brokerURL = brokerURL
        self.databasePath = databasePath
    }
}
