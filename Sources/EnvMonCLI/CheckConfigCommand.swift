package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonJSON

/// `envmon check-config FILE`: validates a config file without touching anything.
package struct CheckConfigCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a config file; every problem is named by key and line.")

    @Argument(help: "The config file to check.") package var file: String
    @OptionGroup package var formatting: FormatOptions

    package init() {}

    package func execute(into output: inout String) throws {
        do {
            let configuration = try EnvMonConfiguration.load(path: file)
            let summary: [(String, String)] = [
                ("file", file), ("sites", "\(configuration.sites.count)"),
                ("sensors", "\(configuration.sensors.count)"),
                ("subscriptions", "\(configuration.subscriptions.count)"), ("broker", configuration.broker.url),
                ("database", configuration.daemon.database),
            ]
            output += OutputTable(
                columns: ["CHECK", "RESULT"], rows: [["status", "ok"]] + summary.map { [$0.0, $0.1] },
                objects: [["status": .string("ok")]] + summary.map { ["name": .string($0.0), "value": .string($0.1)] }
            ).render(formatting.format)
        } catch {
            let issues = error.issues
            if formatting.format == .json {
                output += OutputTable(
                    columns: [], rows: [],
                    objects: issues.map {
                        [
                            "key": .string($0.path), "message": .string($0.message),
                            "line": $0.line.map { .integer(Int64($0)) } ?? .null,
                        ]
                    }
                ).render(.json)
            }
            throw CLIError("\(file): \(issues.count) problem\(issues.count == 1 ? "" : "s"):\n\(error)")
        }
    }
}
