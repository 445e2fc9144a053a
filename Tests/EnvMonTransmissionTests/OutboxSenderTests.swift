import EnvMonConfig
import EnvMonCore
import EnvMonStore
import EnvMonTransmission
import Foundation
import TestSupport
import Testing

@Suite("the outbox against real FTP and SFTP servers: outage, order, crash between upload and record")
struct OutboxSenderTests {
    static func ftpTarget(_ ftp: FTPServer) -> String {
        """
        [[transmission.targets]]
        id = "so-tnmt"
        url = "\(ftp.url("inbox"))"
        username = "\(ftp.username)"
        password_file = "/unused"
        retry_min = "100ms"
        retry_max = "400ms"
        # Shorter than the tests' waits (30 s): a transfer that stalls under load (seen once in a
        # serial make test) is given up and retried within them, as a real sender would retry it.
        timeout = "10s"
        """
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    @Test("server down while files pile up, then back: each interval's file arrives once, byte-equal, in order")
    func outageThenBack() async throws {
        let ftp = try await FTPServer()
        try ftp.makeDirectory("inbox")
        let fixture = try TransmissionFixture(targets: Self.ftpTarget(ftp))
        try fixture.fill(minutes: 125)
        let station = fixture.configuration.transmission.stations[0]
        _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(0))

        ftp.stop()
        let sender = fixture.sender(password: ftp.password)
        sender.start()
        defer { sender.stop() }
        // Files keep being made during the outage: 24 intervals over two hours.
        for step in stride(from: 5, through: 120, by: 5) {
            _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(step))
            sender.wake()
        }
        try await waitUntil("the failure recorded", timeout: .seconds(20)) {
            (try? fixture.outbox.status().first?.lastError)??.contains("so-tnmt") == true
                || (try? fixture.outbox.status().first?.lastError)??.contains("127.0.0.1") == true
        }
        let during = try #require(try fixture.outbox.status().first)
        #expect(during.backlog == 24 && during.sent == 0, "\(during)")
        #expect(
            during.lastError?.contains("connect") == true || during.lastError?.contains("reach") == true, "\(during)")

        try await ftp.restart()
        sender.wake()
        try await waitUntil("backlog delivered", timeout: .seconds(60)) {
            (try? fixture.outbox.status().first?.backlog) == 0
        }
        let files = try fixture.outbox.dataFiles(
            from: TransmissionFixture.minutes(0), to: TransmissionFixture.minutes(200))
        #expect(files.count == 24)
        // In order: sent times never go back as the intervals go forward.
        let sentTimes = files.map { $0.sentAt?.milliseconds ?? .max }
        #expect(sentTimes == sentTimes.sorted(), "sent in interval order")
        let onServer = try FileManager.default.contentsOfDirectory(atPath: ftp.file("inbox")).sorted()
        #expect(onServer == files.map(\.name).sorted(), "every file once, no partial upload left: \(onServer)")
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: ftp.file("inbox/\(file.name)")))
            let preview = try #require(try fixture.builder.file(station: station, intervalEnd: file.intervalEnd!))
            #expect([UInt8](bytes) == preview.bytes, "\(file.name) byte-equal to preview")
        }
    }

    @Test("kill -9 after the server confirmed but before it was recorded: not sent again; never confirmed: sent")
    func crashBetweenUploadAndRecord() async throws {
        let ftp = try await FTPServer()
        try ftp.makeDirectory("inbox")
        let fixture = try TransmissionFixture(targets: Self.ftpTarget(ftp))
        try fixture.fill(minutes: 15)
        _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(0))
        _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(10))
        let pending = try fixture.outbox.dataFiles(
            from: TransmissionFixture.minutes(0), to: TransmissionFixture.minutes(20))
        #expect(pending.count == 2)
        // The first was on the server already when the process died; the second had only begun.
        let confirmed = pending[0]
        #expect(
            FileManager.default.createFile(atPath: ftp.file("inbox/\(confirmed.name)"), contents: Data(confirmed.body)))
        let before = try #require(Self.inode(ftp.file("inbox/\(confirmed.name)")))
        for entry in pending { try fixture.outbox.markUploadStarted(entry.id, at: TransmissionFixture.minutes(11)) }

        let sender = fixture.sender(password: ftp.password)
        sender.start()
        defer { sender.stop() }
        try await waitUntil("both recorded as sent", timeout: .seconds(30)) {
            (try? fixture.outbox.status().first?.backlog) == 0
        }
        #expect(Self.inode(ftp.file("inbox/\(confirmed.name)")) == before, "the confirmed file was not uploaded again")
        let second = try #require(FileManager.default.contents(atPath: ftp.file("inbox/\(pending[1].name)")))
        #expect([UInt8](second) == pending[1].body)
        #expect(try fixture.outbox.entry(id: confirmed.id)?.attempts == 1)
    }

    @Test("SFTP with a pinned host key: files land byte-equal")
    func sftp() async throws {
        let server = try await SFTPServer()
        let directory = try server.makeDirectory("inbox")
        let fixture = try TransmissionFixture(
            targets: """
                [[transmission.targets]]
                id = "so-sftp"
                url = "\(server.url(directory))"
                username = "\(server.username)"
                private_key = "\(server.clientKeyFile)"
                host_key_sha256 = "\(server.hostKeySHA256)"
                retry_min = "100ms"
                """)
        try fixture.fill(minutes: 15)
        _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(0))
        _ = try fixture.scheduler.makeDue(now: TransmissionFixture.minutes(15))
        let sender = fixture.sender(password: nil)
        sender.start()
        defer { sender.stop() }
        try await waitUntil("delivered", timeout: .seconds(30)) { (try? fixture.outbox.status().first?.backlog) == 0 }
        for entry in try fixture.outbox.dataFiles(
            from: TransmissionFixture.minutes(0), to: TransmissionFixture.minutes(20))
        {
            let bytes = try #require(FileManager.default.contents(atPath: directory + "/" + entry.name))
            #expect([UInt8](bytes) == entry.body)
        }
    }
}
