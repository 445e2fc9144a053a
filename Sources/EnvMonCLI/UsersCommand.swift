public import ArgumentParser
internal import EnvMonWeb

/// `envmon users`: the staff accounts of the web console. Anyone may read its pages; a staff
/// account is needed to acknowledge an alert there.
public struct UsersCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
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

    public init() {}

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

/// `--users-file`, on every `envmon users` command.
public struct UsersFileOptions: ParsableArguments, Sendable {
    // `envmon serve` reads the same default, StaffAccounts.defaultPath.
    @Option(name: .customLong("users-file"), help: "The staff users file (default: /etc/envmon/web-users).")
    public var path: String = StaffAccounts.defaultPath

    public init() {}

    var accounts: StaffAccounts { StaffAccounts(path: path) }
}

/// `envmon users add NAME [--password-file FILE | --password-stdin] [--replace]`.
public struct UsersAddCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a staff account, or set a new password with --replace.")

    @OptionGroup public var file: UsersFileOptions
    @Argument(help: "The account name: 1 to 64 letters (any script), digits, '.', '_' or '-'.")
    public var name: String
    @Option(help: "Read the password from the first line of this file.") public var passwordFile: String?
    @Flag(help: "Read the password from standard input (one line).") public var passwordStdin = false
    @Flag(help: "Set a new password if the account exists.") public var replace = false
    // Hidden: only tests want a cost other than the default, to keep bcrypt fast.
    @Option(help: .hidden) public var cost: UInt8 = StaffAccounts.defaultCost

    public init() {}

    public func validate() throws {
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

    public func execute(into output: inout String) throws {
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

/// `envmon users list [--format table|json|csv]`.
public struct UsersListCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the staff accounts and the bcrypt cost of their passwords.")

    @OptionGroup public var file: UsersFileOptions
    @Option(help: "Output format: table, json or csv.") public var format: OutputFormat = .table

    public init() {}

    public func execute(into output: inout String) throws {
        let hashes: [String: String]
        do {
            hashes = try file.accounts.load()
        } catch {
            throw UsersCommand.cliError(error)
        }
        // The cost shows accounts hashed with a weaker setting than today's default.
        let accounts = hashes.sorted { $0.key < $1.key }.map { name, hash in
            (name: name, cost: StaffAccountRules.cost(ofHash: hash) ?? 0)
        }
        output += OutputTable(
            columns: ["NAME", "BCRYPT COST"],
            rows: accounts.map { [$0.name, String($0.cost)] },
            objects: accounts.map { ["name": .string($0.name), "bcrypt_cost": .integer(Int64($0.cost))] }
        ).render(format)
        if accounts.isEmpty, format == .table { output += "no staff accounts in \(file.path)\n" }
    }
}
