import Foundation
import TestSupport
import Testing
import Transfer

/// Uploads and downloads against a real OpenSSH sshd (internal-sftp) on loopback, public-key login.
@Suite struct SFTPTransferTests {
    func target(_ server: SFTPServer, _ directory: String) -> TransferTarget {
        TransferTarget(
            url: server.url(directory), username: server.username, privateKeyFile: server.clientKeyFile,
            publicKeyFile: server.clientPublicKeyFile, hostPublicKeySHA256: server.hostKeySHA256,
            connectTimeout: .seconds(20), timeout: .seconds(30))
    }

    @Test func uploadLandsUnderItsFinalNameByteForByteAndReplacesAnExistingFile() async throws {
        let server = try await SFTPServer()
        let outbox = try server.makeDirectory("outbox")
        let target = target(server, outbox)
        try await blocking { try upload(sampleFile(1), named: "HP_CATHAI_PM10.txt", to: target) }
        #expect(contentsOnDisk(outbox + "/HP_CATHAI_PM10.txt") == sampleFile(1))
        #expect(directoryListing(outbox) == ["HP_CATHAI_PM10.txt"])
        // OpenSSH refuses to rename onto an existing file: the upload removes it first.
        try await blocking { try upload(sampleFile(2), named: "HP_CATHAI_PM10.txt", to: target) }
        #expect(contentsOnDisk(outbox + "/HP_CATHAI_PM10.txt") == sampleFile(2))
        #expect(directoryListing(outbox) == ["HP_CATHAI_PM10.txt"])
    }

    @Test func downloadReturnsTheBytesOrNilWhenTheFileDoesNotExist() async throws {
        let server = try await SFTPServer()
        let outbox = try server.makeDirectory("outbox")
        let target = target(server, outbox)
        try await blocking { try upload(sampleFile(), named: "present.txt", to: target) }
        #expect(try await blocking { try download(named: "present.txt", from: target) } == sampleFile())
        #expect(try await blocking { try download(named: "absent.txt", from: target) } == nil)
    }

    @Test func knownHostsFileIsAnAlternativeToThePin() async throws {
        let server = try await SFTPServer()
        let outbox = try server.makeDirectory("outbox")
        var target = target(server, outbox)
        target.hostPublicKeySHA256 = nil
        target.knownHostsFile = server.knownHostsFile
        let viaKnownHosts = target
        try await blocking { try upload(sampleFile(), named: "k.txt", to: viaKnownHosts) }
        #expect(contentsOnDisk(outbox + "/k.txt") == sampleFile())
    }

    @Test func wrongHostKeyPinIsAHostKeyError() async throws {
        let server = try await SFTPServer()
        let outbox = try server.makeDirectory("outbox")
        var target = target(server, outbox)
        // A well-formed fingerprint of some other key.
        target.hostPublicKeySHA256 = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
        let pinned = target
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: pinned) })
        #expect(error.kind == .hostKey, "\(error)")
        #expect(error.description.contains("sftp://127.0.0.1:\(server.port)/"), "\(error)")
        #expect(directoryListing(outbox).isEmpty)
    }

    @Test func sftpWithoutAHostKeyCheckIsRefused() async throws {
        var target = TransferTarget(url: "sftp://127.0.0.1:1/tmp/", username: "u", privateKeyFile: "/dev/null")
        target.hostPublicKeySHA256 = nil
        let unchecked = target
        let error = await transferError { try upload(sampleFile(), named: "x.txt", to: unchecked) }
        #expect(error?.kind == .invalidRequest)
    }

    @Test func unauthorizedKeyIsAnAuthenticationError() async throws {
        let server = try await SFTPServer()
        let outbox = try server.makeDirectory("outbox")
        var target = target(server, outbox)
        target.privateKeyFile = server.strangerKeyFile
        target.publicKeyFile = server.strangerKeyFile + ".pub"
        let stranger = target
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: stranger) })
        #expect(error.kind == .authentication, "\(error)")
    }

    @Test func directoryWithoutWritePermissionIsARefusedPath() async throws {
        let server = try await SFTPServer()
        let readonly = try server.makeDirectory("readonly", writable: false)
        let target = target(server, readonly)
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: target) })
        #expect(error.kind == .refusedPath, "\(error)")
        #expect(directoryListing(readonly).isEmpty)
    }

    @Test func missingDirectoryIsRefusedUnlessAskedToCreateIt() async throws {
        let server = try await SFTPServer()
        var target = target(server, server.root + "/new/deeper")
        let refused = target
        let error = try #require(await transferError { try upload(sampleFile(), named: "x.txt", to: refused) })
        #expect(error.kind == .refusedPath, "\(error)")
        target.createMissingDirectories = true
        let creating = target
        try await blocking { try upload(sampleFile(), named: "x.txt", to: creating) }
        #expect(contentsOnDisk(server.root + "/new/deeper/x.txt") == sampleFile())
    }

    @Test func closedPortIsUnreachable() async throws {
        let port = try freeLoopbackPort()
        let target = TransferTarget(
            url: "sftp://127.0.0.1:\(port)/tmp/", username: "u", privateKeyFile: "/dev/null",
            hostPublicKeySHA256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
        let error = await transferError { try upload(sampleFile(), named: "x.txt", to: target) }
        #expect(error?.kind == .unreachable)
    }
}
