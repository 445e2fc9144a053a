internal import HummingbirdBcrypt

/// The staff users file: one account per line, `name:bcrypt-hash`, as htpasswd writes them
/// (its `$2y$` hashes are accepted), with `#` comments and blank lines. Staff accounts can
/// acknowledge alerts in the web console; reading pages needs none.
///
/// Every call reads the file afresh, so `envmon users` changes take effect in a running
/// `envmon serve` at the next login. bcrypt is slow by design (about a quarter of a second at
/// cost 12): call `add` and `verify` off the server's event loops.
package struct StaffAccounts: Sendable {
    package let path: String

    /// Where `envmon serve` and `envmon users` look for the file unless told otherwise, so that
    /// accounts added without `--users-file` are the ones the console checks.
    package static let defaultPath = "/etc/envmon/web-users"

    /// The mode the file is always written with: the owner writes, the server's group reads.
    package static let fileMode: UInt32 = 0o640
    package static let defaultCost: UInt8 = 12

    package init(path: String) {
        self.path = path
    }

    /// Name → bcrypt hash. A missing file holds no accounts.
    package func load() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try read().accounts.map { ($0.name, $0.hash) })
    }

    /// The account names, sorted.
    package func names() throws -> [String] {
        try read().accounts.map(\.name).sorted()
    }

    /// Adds an account, creating the file if needed. An existing name is refused unless
    /// `replace` is true, which sets its new password (and adds it if absent).
    /// - Parameter cost: bcrypt's log2 rounds, 4...31; tests use 4 to stay fast.
    package func add(name: String, password: String, cost: UInt8 = defaultCost, replace: Bool = false) throws {
        try StaffAccountRules.validate(name: name)
        try StaffAccountRules.validate(password: password)
        guard (4...31).contains(cost) else { throw StaffAccountsError.costOutOfRange(cost) }
        try AtomicFile.withDirectoryLock(of: path) { () throws(StaffAccountsError) in
            var file = try read()
            if !replace, file.hash(of: name) != nil { throw .nameExists(file: path, name: name) }
            file.set(name, hash: Bcrypt.hash(password, cost: cost))
            try AtomicFile.replace(path, with: file.bytes, mode: Self.fileMode)
        }
    }

    package func remove(name: String) throws {
        try AtomicFile.withDirectoryLock(of: path) { () throws(StaffAccountsError) in
            var file = try read()
            guard file.remove(name) else { throw .unknownName(file: path, name: name) }
            try AtomicFile.replace(path, with: file.bytes, mode: Self.fileMode)
        }
    }

    /// Whether `password` is the password of `name`. An unknown name (or a missing file) costs
    /// one bcrypt check against a dummy hash all the same, so the time taken does not reveal
    /// which names exist. Throws only when the file cannot be read or is malformed.
    package func verify(name: String, password: String) throws -> Bool {
        let file = try read()
        let stored = file.hash(of: name)
        // The dummy at the cost the real accounts use, so both take equally long.
        let cost = file.accounts.first.flatMap { StaffAccountRules.cost(ofHash: $0.hash) } ?? Self.defaultCost
        let hash = stored ?? BcryptDummyHash.hash(cost: cost)
        let matches = Bcrypt.verify(password, hash: Self.verifiableForm(of: hash))
        return matches && stored != nil && StaffAccountRules.isVerifiable(password)
    }

    /// htpasswd writes `$2y$`, the same algorithm as `$2b$`, which is all the bcrypt library reads.
    private static func verifiableForm(of hash: String) -> String {
        hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
    }

    private func read() throws(StaffAccountsError) -> StaffAccountsFile {
        guard let bytes = try AtomicFile.read(path) else { return StaffAccountsFile() }
        return try StaffAccountsFile(bytes: bytes, path: path)
    }
}
