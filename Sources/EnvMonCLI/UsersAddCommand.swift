package import ArgumentParser
internal import EnvMonWeb

/// `envmon users add NAME [--password-file FILE | --password-stdin] [--replace]`.
package struct UsersAddCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a staff account, or set a new password with --replace.")

    @OptionGroup package var file: UsersFileOptions
    @Argument(help: "The account name: 1 to 64 letters (any script), digits, '.', '_' or '-'.")
    package var name: String
    @Option(help: "Read the password from the first line of this file.") package var passwordFile: String?
    @Flag(help: "Read the password from standard input (one line).") package var passwordStdin = false
    @Flag(help: "Set a new password if the account exists.") package var replace = false
    // Hidden: only tests want a cost other than the default, to keep bcrypt fast.
    @Option(help: .hidden) package var cost: UInt8 = StaffAccounts.defaultCost

    package init() {}

    package func validate() throws {
        if passwordFile != nil, passwordStdin {
            throw ValidationError("give --password-file or --password-stdin, not both")
        }
        do {
            try StaffAccountRules.validate(name: name)
        } catch {
            throw ValidationError(error.description)
        }
        guard (4...31).contains(cost) else { throw ValidationError("--cost must be between 4 and 31") }
    }

    package func execute(into output: inout String) throws {
        let accounts = file.accounts
        let existed: Bool
        do {
            existed = try accounts.load()[name] != nil
        } catch {
            throw UsersCommand.cliError(error)
        }
        if existed, !replace { throw UsersCommand.cliError(StaffAccountsError.nameExists(file: file.path, name: name)) }
        let password = try PasswordReader().password(
            file: passwordFile, fromStandardInput: passwordStdin, prompt: "Password for \(name): ")
        do {
            try accounts.add(name: name, password: password, cost: cost, replace: replace)
        } catch {
            throw UsersCommand.cliError(error)
        }
        output += existed ? "new password set for \(name) in \(file.path)\n" : "added \(name) to \(file.path)\n"
    }
}
