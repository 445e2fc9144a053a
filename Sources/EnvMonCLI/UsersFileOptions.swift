public import ArgumentParser
internal import EnvMonWeb

/// `--users-file`, on every `envmon users` command.
public struct UsersFileOptions: ParsableArguments, Sendable {
    // `envmon serve` reads the same default, StaffAccounts.defaultPath.
    @Option(name: .customLong("users-file"), help: "The staff users file (default: /etc/envmon/web-users).")
    public var path: String = StaffAccounts.defaultPath

    public init() {}

    var accounts: StaffAccounts { StaffAccounts(path: path) }
}
