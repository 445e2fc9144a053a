/// What `envmond` was started with; flags override the config file.
package struct DaemonOptions: Sendable {
    package var configPath: String
    package var brokerURL: String?
    package var databasePath: String?

    package init(configPath: String, brokerURL: String? = nil, databasePath: String? = nil) {
        self.configPath = configPath
        self.brokerURL = brokerURL
        self.databasePath = databasePath
    }
}
