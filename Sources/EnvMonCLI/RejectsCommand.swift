package import ArgumentParser

/// `envmon rejects`: list what was refused (the default), or replay it after a config fix.
package struct RejectsCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "rejects", abstract: "Show rejected messages, or replay them after a config fix.",
        subcommands: [RejectsListCommand.self, RejectsReplayCommand.self], defaultSubcommand: RejectsListCommand.self)

    package init() {}
}
