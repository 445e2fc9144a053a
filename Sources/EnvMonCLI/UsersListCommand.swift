package import ArgumentParser
internal import EnvMonWeb

/// `envmon users list [--format table|json|csv]`.
package struct UsersListCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the staff accounts and the bcrypt cost of their passwords.")

    @OptionGroup package var file: UsersFileOptions
    @OptionGroup package var formatting: FormatOptions

    package init() {}

    package func execute(into output: inout String) throws {
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
        ).render(formatting.format)
        if accounts.isEmpty, formatting.format == .table { output += "no staff accounts in \(file.path)\n" }
    }
}
