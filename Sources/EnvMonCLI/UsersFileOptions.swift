package import ArgumentParser
internal import EnvMonWeb

/// `--users-file`, on every `envmon users` command.
package struct UsersFileOptions: ParsableArguments, Sendable {
    // `envmon serve` reads the same default, StaffAccounts.defaultPath.
    @Option(name: .customLong("users-file"), help: "The staff users file (default: /etc/envmon/web-users).")
    package var path: String = StaffAccounts.defaultPath

    package init() {}

    var accounts: StaffAccounts { StaffAccounts(path: path) }
}
