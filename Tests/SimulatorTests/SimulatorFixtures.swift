import EnvMonConfig
import EnvMonCore
import Foundation

enum SimulatorFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var configPath: String { root.appendingPathComponent("Config/envmon.toml").path }

    static func configuration() throws -> EnvMonConfiguration {
        try EnvMonConfiguration.load(path: configPath)
    }

    static func time(_ text: String) -> Int64 { RFC3339.parse(text)!.milliseconds }
}
