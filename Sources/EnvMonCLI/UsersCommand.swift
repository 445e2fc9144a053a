package import ArgumentParser
internal import EnvMonWeb

/// `envmon users`: the staff accounts of the web console. Anyone may read its pages; a staff
/// account is needed to acknowledge an alert there.
package struct UsersCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, remove or list the staff accounts of the web console (envmon serve).",
        discussion: """
            Accounts are lines of name:bcrypt-hash in the users file, written atomically with mode 0640
            (the owner and group of an existing file are kept). A running console sees changes at the
            next login. Passwords are never taken as arguments: use --password-file, --password-stdin,
            or type the password twice when asked.
            """,
        subcommands: [UsersAddCommand.self, UsersRemoveCommand.self, UsersListCommand.self],
        defaultSubcommand: UsersListCommand.self)

    package init() {}

    /// The library's message as a CLI error: exit 1 for a name that is not there, 2 otherwise.
    static func cliError(_ error: any Error) -> any Error {
        switch error {
        case let error as StaffAccountsError:
            if case .unknownName = error { return CLIError.nothingFound(error.description) }
            if case .nameExists = error { return CLIError("\(error); add --replace to set a new password") }
            return CLIError(error.description)
        default:
            return error
        }
    }
}
