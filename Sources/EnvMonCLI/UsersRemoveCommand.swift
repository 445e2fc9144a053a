package import ArgumentParser
internal import EnvMonWeb

/// `envmon users remove NAME`.
package struct UsersRemoveCommand: OutputCommand {
    package static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a staff account.")

    @OptionGroup package var file: UsersFileOptions
    @Argument(help: "The account name.") package var name: String

    package init() {}

    package func execute(into output: inout String) throws {
        do {
            try file.accounts.remove(name: name)
        } catch {
            throw UsersCommand.cliError(error)
        }
        output += "removed \(name) from \(file.path)\n"
    }
}
