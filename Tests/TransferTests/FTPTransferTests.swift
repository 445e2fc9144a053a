import Foundation
import TestSupport
import Testing
import Transfer

/// Uploads and downloads against a real pure-ftpd on loopback (plain FTP and explicit FTPS).
@Suite struct FTPTransferTests {
    func target(_ server: FTPServer, _ directory: String, password: String? = nil) -> TransferTarget {
        TransferTarget(
            url: server.url(directory), username: server.username, password: password ?? server.password,
            connectTimeout: .seconds(20), timeout: .seconds(30))
    }

    @Test func uploadLandsUnderItsFinalNameByteForByte() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("outbox")
        let target = target(server, "outbox")
        let contents = sampleFile()
        try await blocking { try upload(contents, named: "HP_CATHAI_PM10_20250101120000.txt", to: target) }
        #expect(contentsOnDisk(server.file("outbox/HP_CATHAI_PM10_20250101120000.txt")) == contents)
        // The temporary name is gone: the rename happened in the same session.
        #expect(directoryListing(server.file("outbox")) == ["HP_CATHAI_PM10_20250101120000.txt"])
    }

    @Test func uploadReplacesAnExistingFile() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("outbox")
        let target = target(server, "outbox")
        try await blocking { try upload(sampleFile(1), named: "a.txt", to: target) }
        try await blocking { try upload(sampleFile(2), named: "a.txt", to: target) }
        #expect(contentsOnDisk(server.file("outbox/a.txt")) == sampleFile(2))
        #expect(directoryListing(server.file("outbox")) == ["a.txt"])
    }

    @Test func emptyFileAndNameWithSpaces() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("out box")
        let target = target(server, "out%20box")
        try await blocking { try upload([], named: "empty file.txt", to: target) }
        #expect(contentsOnDisk(server.file("out box/empty file.txt")) == [])
        #expect(try await blocking { try download(named: "empty file.txt", from: target) } == [])
    }

    @Test func downloadReturnsTheBytesOrNilWhenTheFileDoesNotExist() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("outbox")
        let target = target(server, "outbox")
        try await blocking { try upload(sampleFile(), named: "present.txt", to: target) }
        #expect(try await blocking { try download(named: "present.txt", from: target) } == sampleFile())
        #expect(try await blocking { try download(named: "absent.txt", from: target) } == nil)
        // A missing directory is a configuration problem, not "file absent".
        let missing = self.target(server, "no-such-dir")
        let error = await transferError { try download(named: "absent.txt", from: missing) }
        #expect(error?.kind == .refusedPath)
    }

    @Test func explicitFTPSUploadsAndDownloads() async throws {
        let certificates = try await TestCertificates()
        let server = try await FTPServer(tls: certificates)
        try server.makeDirectory("outbox")
        var target = target(server, "outbox")
        target.requireTLS = true
        target.caFile = certificates.caFile
        let tlsTarget = target
        try await blocking { try upload(sampleFile(), named: "secure.txt", to: tlsTarget) }
        #expect(contentsOnDisk(server.file("outbox/secure.txt")) == sampleFile())
        #expect(try await blocking { try download(named: "secure.txt", from: tlsTarget) } == sampleFile())
    }

    @Test func ftpsWithAnUntrustedCertificateIsATLSError() async throws {
        let certificates = try await TestCertificates()
        let server = try await FTPServer(tls: certificates)
        try server.makeDirectory("outbox")
        var target = target(server, "outbox")
        target.requireTLS = true
        target.caFile = certificates.otherCAFile
        let untrusted = target
        let error = await transferError { try upload(sampleFile(), named: "x.txt", to: untrusted) }
        #expect(error?.kind == .tls, "\(String(describing: error))")
        #expect(directoryListing(server.file("outbox")).isEmpty)
    }

    @Test func requireTLSAgainstAPlainServerRefusesToSend() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("outbox")
        var target = target(server, "outbox")
        target.requireTLS = true
        let plainOnly = target
        let error = await transferError { try upload(sampleFile(), named: "x.txt", to: plainOnly) }
        #expect(error?.kind == .tls, "\(String(describing: error))")
        #expect(directoryListing(server.file("outbox")).isEmpty)
    }

    @Test func wrongPasswordIsAnAuthenticationErrorThatNamesTheTargetButNotThePassword() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("outbox")
        let target = target(server, "outbox", password: "wrong-Pa55word")
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: target) })
        #expect(error.kind == .authentication)
        #expect(error.description.contains("127.0.0.1:\(server.port)/outbox/"), "\(error)")
        #expect(!error.description.contains("wrong-Pa55word"))
        #expect(!error.description.contains(server.password))
    }

    @Test func passwordInTheURLIsRedacted() {
        let target = TransferTarget(url: "ftp://envmon:s3cret@ftp.example.vn:2121/in/")
        #expect(!target.redactedURL.contains("s3cret"))
        #expect(target.redactedURL.contains("envmon@ftp.example.vn:2121/in/"))
        #expect("\(target)" == target.redactedURL)
    }

    @Test func closedPortIsUnreachable() async throws {
        let port = try freeLoopbackPort()  // nothing listens there
        let target = TransferTarget(url: "ftp://127.0.0.1:\(port)/outbox/", username: "u", password: "p")
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: target) })
        #expect(error.kind == .unreachable)
        #expect(error.description.contains("127.0.0.1:\(port)"))
    }

    @Test func directoryWithoutWritePermissionIsARefusedPath() async throws {
        let server = try await FTPServer()
        try server.makeDirectory("readonly", writable: false)
        let target = target(server, "readonly")
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: target) })
        #expect(error.kind == .refusedPath, "\(error)")
        #expect(directoryListing(server.file("readonly")).isEmpty)
    }

    @Test func missingDirectoryIsRefusedUnlessAskedToCreateIt() async throws {
        let server = try await FTPServer()
        var target = target(server, "new/deeper")
        let refused = target
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: refused) })
        #expect(error.kind == .refusedPath, "\(error)")
        target.createMissingDirectories = true
        let creating = target
        try await blocking { try upload(sampleFile(), named: "x.txt", to: creating) }
        #expect(contentsOnDisk(server.file("new/deeper/x.txt")) == sampleFile())
    }

    @Test func fullRemoteDiskIsRemoteFull() async throws {
        try #require(TmpfsMount.isAvailable, "needs root to mount a tmpfs")
        let server = try await FTPServer()
        // Inside the FTP home: pure-ftpd chroots the user there.
        var mount: TmpfsMount? = try await TmpfsMount(at: server.file("full"), mebibytes: 1)
        try server.makeDirectory("full")  // the mount's root, now writable by the FTP user
        _ = try mount?.fill()
        // Unmounted before the server's directory is removed.
        defer { mount = nil }
        let target = target(server, "full")
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: target) })
        #expect(error.kind == .remoteFull, "\(error)")
    }

    @Test func badFileNamesAreRefusedBeforeConnecting() async throws {
        let target = TransferTarget(url: "ftp://127.0.0.1:1/outbox/", username: "u", password: "p")
        for name in ["", ".", "..", "a/b", "a\r\nDELE b", "quo\"te"] {
            let error = await transferError { try upload(sampleFile(), named: name, to: target) }
            #expect(error?.kind == .invalidRequest, "name \(name.debugDescription)")
        }
    }
}
