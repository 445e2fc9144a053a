public import ArgumentParser
internal import EnvMonWeb

/// `envmon users remove NAME`.
public struct UsersRemoveCommand: OutputCommand {
    public static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a staff account.")

    @OptionGroup public var file: UsersFileOptions
    @Argument(help: "The account name.") public var name: String

    public init() {}

    public func execute(into output: inout String) throws {
        do {
            try file.accounts.remove(name: name)
        } catch {
            throw UsersCommand.cliError(error)
        }
        output += "removed \(name) from \(file.path)\n"
    }
}
