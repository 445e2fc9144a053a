import EnvMonConfig
import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

@testable import EnvMonDaemon

@Suite("InboxJournal")
struct InboxJournalTests {
    /// One appended message and where the journal said it ended.
    struct Appended {
        var topic: String
        var payload: [UInt8]
        var qos: UInt8
        var receivedAt: Timestamp
        var position: InboxPosition
    }

    static let start = Timestamp(milliseconds: 1_751_328_000_000)  // 2025-07-01T00:00:00Z

    /// Appends `count` messages whose records are each 61 bytes (8 header + 11 fixed + 3 extension + 19 topic + 20 payload).
    static func appendNumbered(_ count: Int, to journal: InboxJournal, from first: Int = 0) throws -> [Appended] {
        try (first..<first + count).map { index in
            let topic = "envmon/catba/buoy-1"
            let payload = Array(String(format: "{\"seq\":%012d}", index).utf8)
            let receivedAt = start.adding(milliseconds: Int64(index) * 1_000)
            let position = try #require(
                try journal.append(topic: topic, payload: payload, qos: 1, receivedAt: receivedAt).position)
            return Appended(topic: topic, payload: payload, qos: 1, receivedAt: receivedAt, position: position)
        }
    }

    static func replay(
        _ journal: InboxJournal, after position: InboxPosition? = nil
    ) throws
        -> (messages: [InboxMessage], report: InboxJournal.ReplayReport)
    {
        var messages: [InboxMessage] = []
        let report = try journal.replay(after: position) { messages.append($0) }
        return (messages, report)
    }

    static func expectSame(
        _ messages: [InboxMessage], _ appended: [Appended], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(messages.count == appended.count, sourceLocation: sourceLocation)
        for (message, expected) in zip(messages, appended) {
            #expect(message.topic == expected.topic, sourceLocation: sourceLocation)
            #expect(message.payload == expected.payload, sourceLocation: sourceLocation)
            #expect(message.qos == expected.qos, sourceLocation: sourceLocation)
            #expect(message.receivedAt == expected.receivedAt, sourceLocation: sourceLocation)
            #expect(message.position == expected.position, sourceLocation: sourceLocation)
        }
    }

    static func journal(_ directory: TemporaryDirectory, segmentBytes: Int = 1 << 20) throws -> InboxJournal {
        try InboxJournal(directory: directory.file("inbox"), sync: .never, segmentBytes: segmentBytes)
    }

    static func segmentFiles(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.file("inbox")).sorted()
    }

    @Test("Appended messages replay with topic, payload, QoS, receive time and increasing positions")
    func appendReplayRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let messages: [(String, [UInt8], UInt8, Timestamp)] = [
            ("envmon/catba/buoy-1", Array("{\"temp\":28.5}".utf8), 1, Self.start),
            ("envmon/hạ-long/trạm-2", [], 2, Self.start.adding(milliseconds: 1)),
            ("envmon/binary", (0...255).map { UInt8($0) }, 1, Timestamp(milliseconds: -86_400_000)),
            ("", Array("empty topic".utf8), 0, Timestamp(milliseconds: Int64.max)),
        ]
        var appended: [Appended] = []
        do {
            let journal = try Self.journal(directory, segmentBytes: 1 << 20)
            for (topic, payload, qos, receivedAt) in messages {
                let position = try #require(
                    try journal.append(topic: topic, payload: payload, qos: qos, receivedAt: receivedAt).position)
                appended.append(
                    Appended(topic: topic, payload: payload, qos: qos, receivedAt: receivedAt, position: position))
            }
            try journal.flush()
            #expect(journal.diskBytes() == appended.last?.position.offset)
        }
        let positions = appended.map(\.position)
        #expect(positions == positions.sorted())
        #expect(Set(positions).count == positions.count)
        #expect(positions.allSatisfy { $0.segment == 1 })
        let expectedEnd = messages.reduce(0) { total, message in
            total + InboxJournal.headerBytes + InboxJournal.bodyFixedBytes + InboxJournal.extensionBytes
                + message.0.utf8.count + message.1.count
        }
        #expect(positions.last?.offset == Int64(expectedEnd))

        let (replayed, report) = try Self.replay(try Self.journal(directory))
        Self.expectSame(replayed, appended)
        #expect(report.replayed == 4)
        #expect(report.damaged.isEmpty)
    }

    @Test("replay(after:) skips the records already consumed")
    func replayAfterPosition() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let appended = try Self.appendNumbered(5, to: try Self.journal(directory))
        let journal = try Self.journal(directory)

        let (afterThird, report) = try Self.replay(journal, after: appended[2].position)
        Self.expectSame(afterThird, Array(appended[3...]))
        #expect(report.replayed == 2)
        #expect(try Self.replay(journal, after: appended[4].position).messages.isEmpty)
        Self.expectSame(try Self.replay(journal, after: nil).messages, appended)
        // A position at the start of the segment replays all of it.
        Self.expectSame(try Self.replay(journal, after: InboxPosition(segment: 1, offset: 0)).messages, appended)
    }

    @Test("Segments rotate at segmentBytes; discard(before:) deletes only wholly older segments")
    func rotationAndDiscard() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        // 61-byte records and a 100-byte limit: two records per segment.
        let writer = try Self.journal(directory, segmentBytes: 100)
        let appended = try Self.appendNumbered(10, to: writer)
        #expect(appended.map(\.position.segment) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(appended.map(\.position.offset) == [61, 122, 61, 122, 61, 122, 61, 122, 61, 122])
        #expect(try Self.segmentFiles(directory).count == 5)

        // Consumed up to and including record 6 (the end of segment 3): segments 1 and 2 go.
        writer.discard(before: appended[5].position)
        #expect(
            try Self.segmentFiles(directory) == [
                "inbox-000000000003.log", "inbox-000000000004.log", "inbox-000000000005.log",
            ])
        // Discarding is idempotent.
        writer.discard(before: appended[5].position)
        #expect(try Self.segmentFiles(directory).count == 3)

        let reader = try Self.journal(directory, segmentBytes: 100)
        Self.expectSame(try Self.replay(reader, after: appended[5].position).messages, Array(appended[6...]))
        Self.expectSame(try Self.replay(reader, after: nil).messages, Array(appended[4...]))
    }

    @Test("discard(before:) never deletes the segment being written, nor the one before it")
    func discardKeepsCurrentSegment() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let journal = try Self.journal(directory, segmentBytes: 100)
        let appended = try Self.appendNumbered(5, to: journal)
        #expect(appended.last?.position.segment == 3)
        journal.discard(before: InboxPosition(segment: 1_000, offset: 0))
        // The one before holds the latest deliveries a restart must recognise when resent.
        #expect(try Self.segmentFiles(directory) == ["inbox-000000000002.log", "inbox-000000000003.log"])
        // Appending continues in the same file.
        let next = try Self.appendNumbered(1, to: journal, from: 5)
        #expect(next[0].position == InboxPosition(segment: 3, offset: 122))
    }

    @Test(
        "A torn last record: the intact prefix replays and the damage is reported",
        arguments: [3, 61 - 5])
    func truncatedTail(cut: Int) throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let writer = try Self.journal(directory)
        let appended = try Self.appendNumbered(5, to: writer)
        let path = writer.path(of: 1)
        let size = try #require(appended.last?.position.offset)
        #expect(truncate(path, off_t(size) - off_t(cut)) == 0)

        let (replayed, report) = try Self.replay(try Self.journal(directory))
        Self.expectSame(replayed, Array(appended.prefix(4)))
        #expect(report.replayed == 4)
        #expect(report.damaged.count == 1)
        #expect(report.damaged.first?.segment == 1)
        #expect(report.damaged.first?.offset == appended[3].position.offset)
        let reason = try #require(report.damaged.first?.reason)
        #expect(reason.hasPrefix(cut > 61 - 19 ? "truncated record header" : "truncated record body"), "\(reason)")
    }

    @Test("A flipped byte fails the checksum: only that record is lost, the records after it are replayed")
    func flippedByte() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        // 61-byte records and a 150-byte limit: three records per segment.
        let writer = try Self.journal(directory, segmentBytes: 150)
        let appended = try Self.appendNumbered(6, to: writer)
        #expect(appended.map(\.position.segment) == [1, 1, 1, 2, 2, 2])

        // One bit of the second record's payload.
        let path = writer.path(of: 1)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let index = Int(appended[0].position.offset) + 8 + 11 + 3 + 19 + 7
        bytes[index] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let (replayed, report) = try Self.replay(try Self.journal(directory, segmentBytes: 150))
        Self.expectSame(replayed, [appended[0]] + Array(appended[2...]))
        #expect(report.replayed == 5)
        #expect(report.damaged.count == 1)
        #expect(report.damaged.first?.segment == 1)
        #expect(report.damaged.first?.offset == appended[0].position.offset)
        #expect(report.damaged.first?.reason == "checksum mismatch")
        #expect(report.damaged.first?.skipped == appended[1].position.offset - appended[0].position.offset)
    }

    @Test("A journal opened on an existing directory writes a new segment and replays the old ones")
    func reopenStartsNewSegment() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let first = try Self.appendNumbered(2, to: try Self.journal(directory))
        #expect(first.map(\.position.segment) == [1, 1])

        let second = try Self.journal(directory)
        // Its own segment is being written and is not replayed.
        Self.expectSame(try Self.replay(second).messages, first)
        let more = try Self.appendNumbered(2, to: second, from: 2)
        #expect(
            more.map(\.position) == [InboxPosition(segment: 2, offset: 61), InboxPosition(segment: 2, offset: 122)])

        // A journal that writes nothing still starts (and later replays) an empty segment.
        _ = try Self.journal(directory)
        let fourth = try Self.journal(directory)
        let (replayed, report) = try Self.replay(fourth)
        Self.expectSame(replayed, first + more)
        #expect(report.damaged.isEmpty)
        #expect(try Self.appendNumbered(1, to: fourth, from: 4).first?.position.segment == 4)
        #expect(try Self.segmentFiles(directory).count == 4)
    }

    // MARK: - Redeliveries

    static func deliver(
        _ journal: InboxJournal, id: UInt16, _ payload: String, topic: String = "cathai/lan_ha/lh-wq-01/do"
    ) throws -> InboxJournal.AppendOutcome {
        try journal.append(
            topic: topic, payload: Array(payload.utf8), qos: 1, messageID: id, receivedAt: start)
    }

    @Test("After a restart, the broker's resend of the last messages of a resumed session is recognised, once")
    func redeliveryAfterRestartIsRecognised() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        do {
            let first = try Self.journal(directory)
            first.beginConnection(sessionResumed: false)
            for id in 1...5 { #expect(try Self.deliver(first, id: UInt16(id), "6.\(id)").position != nil) }
        }
        // A new process: the journal reads its latest deliveries back from disk.
        let second = try Self.journal(directory)
        second.beginConnection(sessionResumed: true)
        #expect(try Self.deliver(second, id: 4, "6.4") == .redelivery)
        #expect(try Self.deliver(second, id: 5, "6.5") == .redelivery)
        // The first new message ends the resent prefix: the same identifier and payload later
        // (identifiers are reused) is a new message.
        #expect(try Self.deliver(second, id: 6, "6.6").position != nil)
        #expect(try Self.deliver(second, id: 3, "6.3").position != nil)
        #expect(second.redeliveriesRecognised == 2)
        // Only the journaled ones replay.
        let replayed = try Self.replay(try Self.journal(directory)).messages
        #expect(replayed.map { String(decoding: $0.payload, as: UTF8.self) } == (1...6).map { "6.\($0)" } + ["6.3"])
        #expect(replayed.map(\.messageID) == [1, 2, 3, 4, 5, 6, 3])
    }

    @Test("A new session, another payload or another topic under a known identifier is a new message")
    func lookalikesAreNewMessages() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let journal = try Self.journal(directory)
        journal.beginConnection(sessionResumed: false)
        for id in 1...3 { _ = try Self.deliver(journal, id: UInt16(id), "24.8") }
        // A broker that lost our session starts again at identifier 1.
        journal.beginConnection(sessionResumed: false)
        #expect(try Self.deliver(journal, id: 3, "24.8").position != nil)
        journal.beginConnection(sessionResumed: true)
        #expect(try Self.deliver(journal, id: 3, "24.9").position != nil)
        journal.beginConnection(sessionResumed: true)
        #expect(try Self.deliver(journal, id: 3, "24.8", topic: "cathai/lan_ha/lh-wq-02/do").position != nil)
        journal.beginConnection(sessionResumed: true)
        #expect(try Self.deliver(journal, id: 3, "24.8") == .redelivery)
        #expect(journal.redeliveriesRecognised == 1)
    }

    @Test("A record written before packet identifiers were kept still replays")
    func firstFormatRecordReplays() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        try FileManager.default.createDirectory(atPath: directory.file("inbox"), withIntermediateDirectories: true)
        let topic = Array("cathai/lan_ha/lh-wq-01/do".utf8)
        let payload = Array("6.2".utf8)
        var body: [UInt8] = []
        withUnsafeBytes(of: Self.start.milliseconds.littleEndian) { body += $0 }
        body.append(1)
        withUnsafeBytes(of: UInt16(topic.count).littleEndian) { body += $0 }
        body += topic + payload
        var record: [UInt8] = []
        withUnsafeBytes(of: UInt32(body.count).littleEndian) { record += $0 }
        withUnsafeBytes(of: CRC32.checksum(body).littleEndian) { record += $0 }
        record += body
        try Data(record).write(to: URL(fileURLWithPath: directory.file("inbox/inbox-000000000001.log")))

        let messages = try Self.replay(try Self.journal(directory)).messages
        #expect(messages.count == 1)
        #expect(messages.first?.topic == "cathai/lan_ha/lh-wq-01/do")
        #expect(messages.first?.payload == payload)
        #expect(messages.first?.qos == 1)
        #expect(messages.first?.messageID == 0)
        #expect(messages.first?.inCatchUp == false)
    }

    @Test("The catch-up mark and the packet identifier survive the journal")
    func catchUpMarkRoundTrips() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-inbox")
        let journal = try Self.journal(directory)
        _ = try journal.append(
            topic: "cathai/x/y/do", payload: Array("1".utf8), qos: 1, messageID: 77, receivedAt: Self.start,
            inCatchUp: true)
        _ = try journal.append(
            topic: "cathai/x/y/do", payload: Array("2".utf8), qos: 2, messageID: 78, receivedAt: Self.start)
        let messages = try Self.replay(try Self.journal(directory)).messages
        #expect(messages.map(\.inCatchUp) == [true, false])
        #expect(messages.map(\.messageID) == [77, 78])
        #expect(messages.map(\.qos) == [1, 2])
    }
}
