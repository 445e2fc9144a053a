import EnvMonWeb
import Foundation
import TestSupport
import Testing

@Suite("StaffAccounts: the users file, on real files in a temporary directory")
struct StaffAccountsTests {
    let directory: TemporaryDirectory
    let path: String
    let accounts: StaffAccounts

    init() throws {
        directory = try TemporaryDirectory(prefix: "envmon-web-users")
        path = directory.file("web-users")
        accounts = StaffAccounts(path: path)
    }

    func fileStatus() -> stat {
        var status = stat()
        _ = stat(path, &status)
        return status
    }

    func contents() throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func addedAccountVerifiesOnlyWithItsPassword() throws {
        try accounts.add(name: "an", password: "mật khẩu đúng", cost: 4)
        #expect(try accounts.verify(name: "an", password: "mật khẩu đúng"))
        #expect(try !accounts.verify(name: "an", password: "mật khẩu sai!"))
        #expect(try !accounts.verify(name: "bình", password: "mật khẩu đúng"))
        let line = try contents()
        #expect(line.hasPrefix("an:$2b$04$") && line.hasSuffix("\n") && line.utf8.count == "an:".utf8.count + 61)
    }

    @Test func removeAndListNames() throws {
        for name in ["chi", "an", "Nguyễn.Văn_Bình-2"] {
            try accounts.add(name: name, password: "password-\(name)", cost: 4)
        }
        #expect(try accounts.names() == ["Nguyễn.Văn_Bình-2", "an", "chi"].sorted())
        try accounts.remove(name: "an")
        #expect(try accounts.names() == ["Nguyễn.Văn_Bình-2", "chi"].sorted())
        #expect(try !accounts.verify(name: "an", password: "password-an"))
        #expect(try accounts.verify(name: "chi", password: "password-chi"))
        #expect(throws: StaffAccountsError.unknownName(file: path, name: "an")) { try accounts.remove(name: "an") }
    }

    @Test func missingFileHoldsNoAccountsAndAddCreatesIt() throws {
        #expect(try accounts.load().isEmpty)
        #expect(try accounts.names().isEmpty)
        #expect(try !accounts.verify(name: "an", password: "whatever-it-is"))
        #expect(throws: StaffAccountsError.unknownName(file: path, name: "an")) { try accounts.remove(name: "an") }
        #expect(!FileManager.default.fileExists(atPath: path))
        try accounts.add(name: "an", password: "first-password", cost: 4)
        #expect(try accounts.load().keys.sorted() == ["an"])
        #expect(fileStatus().st_mode & 0o7777 == 0o640)
    }

    @Test func malformedLinesAreNamedWithFileAndLineNumber() throws {
        let hash = try hashOf("valid-password")
        let cases: [(String, Int, String)] = [
            ("# staff\n\nan:\(hash)\nno colon here\n", 4, "no ':'"),
            ("an:\(hash)\nbình:not-a-hash\n", 2, "not a bcrypt hash"),
            ("an:\(hash)\nhas space:\(hash)\n", 2, "\" \" is not allowed"),
            ("an:\(hash)\n:\(hash)\n", 2, "empty"),
        ]
        for (text, line, reason) in cases {
            try directory.write("web-users", text)
            let error = #expect(throws: StaffAccountsError.self) { try accounts.load() }
            guard case .malformedLine(let file, let number, _) = error else {
                Issue.record("expected a malformed line, got \(String(describing: error))")
                continue
            }
            #expect(file == path && number == line)
            #expect(error?.description.hasPrefix("\(path):\(line): ") == true)
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
            // verify() must not treat a broken file as "no such user".
            #expect(throws: StaffAccountsError.self) { try accounts.verify(name: "an", password: "valid-password") }
        }
    }

    @Test func duplicateNameInTheFileNamesBothLines() throws {
        let hash = try hashOf("valid-password")
        try directory.write("web-users", "an:\(hash)\n# again:\nan:\(hash)\n")
        #expect(throws: StaffAccountsError.duplicateName(file: path, line: 3, name: "an", firstLine: 1)) {
            try accounts.load()
        }
    }

    @Test func commentsBlankLinesAndWindowsLineEndsAreKeptAndRead() throws {
        let hash = try hashOf("valid-password")
        try directory.write("web-users", "# Cát Hải staff\r\n\r\nan:\(hash)\r\n  # indented comment\n")
        #expect(try accounts.verify(name: "an", password: "valid-password"))
        try accounts.add(name: "bình", password: "another-password", cost: 4)
        // Split on bytes: for Swift "\r\n" is one character, not "\r" then "\n".
        let lines = try contents().utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        #expect(lines[0] == "# Cát Hải staff\r" && lines[1] == "\r" && lines[3] == "  # indented comment")
        #expect(lines[2] == "an:\(hash)" && lines[4].hasPrefix("bình:$2b$04$") && lines[5] == "")
    }

    @Test func htpasswdStyleHashesVerify() throws {
        // htpasswd -B writes $2y$, the same algorithm as $2b$.
        let hash = try hashOf("valid-password")
        try directory.write("web-users", "an:$2y$" + hash.dropFirst(4) + "\n")
        #expect(try accounts.verify(name: "an", password: "valid-password"))
        #expect(try !accounts.verify(name: "an", password: "wrong-password"))
    }

    @Test func rewriteIsAtomicAndTheFileKeepsMode0640() throws {
        try directory.write("web-users", "# staff accounts\n")
        chmod(path, 0o644)
        let before = fileStatus()
        try accounts.add(name: "an", password: "first-password", cost: 4)
        let after = fileStatus()
        // Renamed over, not rewritten in place: a reader sees the old file or the new one.
        #expect(after.st_ino != before.st_ino)
        #expect(after.st_mode & 0o7777 == 0o640)
        try accounts.remove(name: "an")
        #expect(fileStatus().st_mode & 0o7777 == 0o640)
        #expect(try contents() == "# staff accounts\n")
        // No temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["web-users"])
    }

    @Test(.enabled(if: getuid() == 0, "changing a file's owner needs root"))
    func rewriteKeepsTheOwnerAndGroup() throws {
        try accounts.add(name: "an", password: "first-password", cost: 4)
        chown(path, 4242, 4343)
        try accounts.add(name: "bình", password: "second-password", cost: 4)
        #expect(fileStatus().st_uid == 4242 && fileStatus().st_gid == 4343)
    }

    @Test func unusableLocationIsAnErrorNamingIt() throws {
        try accounts.add(name: "an", password: "first-password", cost: 4)
        let before = try contents()
        let misplaced = StaffAccounts(path: directory.file("web-users/inner"))
        let error = #expect(throws: StaffAccountsError.self) {
            try misplaced.add(name: "bình", password: "second-password", cost: 4)
        }
        #expect(error == .fileSystem(file: path, action: "open the directory", errno: ENOTDIR))
        #expect(error?.description == "cannot open the directory \(path): Not a directory")
        #expect(try contents() == before)
    }

    @Test func existingNameIsRefusedUnlessReplaced() throws {
        try accounts.add(name: "an", password: "first-password", cost: 4)
        try accounts.add(name: "bình", password: "second-password", cost: 4)
        #expect(throws: StaffAccountsError.nameExists(file: path, name: "an")) {
            try accounts.add(name: "an", password: "another-password", cost: 4)
        }
        #expect(try accounts.verify(name: "an", password: "first-password"))
        try accounts.add(name: "an", password: "another-password", cost: 4, replace: true)
        #expect(try accounts.verify(name: "an", password: "another-password"))
        #expect(try !accounts.verify(name: "an", password: "first-password"))
        // Replaced where it stood.
        #expect(try contents().hasPrefix("an:"))
        // A Vietnamese name typed decomposed is the same name.
        let decomposed = "bi\u{300}nh"
        #expect(throws: StaffAccountsError.nameExists(file: path, name: decomposed)) {
            try accounts.add(name: decomposed, password: "third-password", cost: 4)
        }
        #expect(try accounts.verify(name: decomposed, password: "second-password"))
    }

    @Test func passwordsOutsideTheRulesAreRefusedWithAClearMessage() throws {
        #expect(throws: StaffAccountsError.passwordTooShort(minimumCharacters: 10)) {
            try accounts.add(name: "an", password: "123456789", cost: 4)
        }
        // 24 Vietnamese letters of 3 bytes each: few characters, too many bytes for bcrypt.
        let long = String(repeating: "ễ", count: 25)
        let error = #expect(throws: StaffAccountsError.self) { try accounts.add(name: "an", password: long, cost: 4) }
        #expect(error == .passwordTooLong(maximumBytes: 72, bytes: 75))
        #expect(error?.description.contains("at most 72 bytes") == true)
        #expect(throws: StaffAccountsError.passwordHasControlCharacters) {
            try accounts.add(name: "an", password: "line one\nline two", cost: 4)
        }
        #expect(throws: StaffAccountsError.costOutOfRange(3)) {
            try accounts.add(name: "an", password: "long-enough", cost: 3)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        try accounts.add(name: "an", password: "1234567890", cost: 4)
        try accounts.add(name: "bình", password: String(repeating: "x", count: 72), cost: 4)
        #expect(try accounts.names().count == 2)
    }

    @Test func namesOutsideTheRulesAreRefused() throws {
        for name in ["", "a:b", "with space", "#comment", "tab\tname", String(repeating: "a", count: 65), "emoji🙂"] {
            #expect(throws: StaffAccountsError.self, "\(name.debugDescription)") {
                try accounts.add(name: name, password: "long-enough", cost: 4)
            }
        }
        try accounts.add(name: String(repeating: "ệ", count: 64), password: "long-enough", cost: 4)
        #expect(try accounts.names().count == 1)
    }

    @Test func passwordsBcryptWouldTruncateNeverVerify() throws {
        let exactly72 = String(repeating: "p", count: 72)
        try accounts.add(name: "an", password: exactly72, cost: 4)
        try accounts.add(name: "bình", password: "abcdefghij", cost: 4)
        #expect(try accounts.verify(name: "an", password: exactly72))
        // bcrypt alone reads only 72 bytes, and C strings end at a NUL: both would "match".
        #expect(try !accounts.verify(name: "an", password: exactly72 + "anything"))
        #expect(try !accounts.verify(name: "bình", password: "abcdefghij\u{0}whatever"))
    }

    @Test func concurrentAddsAreNotLost() async throws {
        let accounts = self.accounts
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                // Cost 6: hashing between the read and the write long enough for adds to overlap.
                group.addTask { try accounts.add(name: "staff\(index)", password: "password-\(index)", cost: 6) }
            }
            try await group.waitForAll()
        }
        #expect(try accounts.names() == (0..<8).map { "staff\($0)" })
    }

    /// A cost-4 hash of `password`, made through a scratch file.
    func hashOf(_ password: String) throws -> String {
        let scratch = StaffAccounts(path: directory.file("scratch"))
        try scratch.add(name: "scratch", password: password, cost: 4)
        defer { try? FileManager.default.removeItem(atPath: directory.file("scratch")) }
        return try #require(try scratch.load()["scratch"])
    }
}
