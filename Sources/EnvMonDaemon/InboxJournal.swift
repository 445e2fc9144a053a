package import EnvMonConfig
package import EnvMonCore
package import EnvMonStore
internal import Foundation
internal import Synchronization
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// The append-only file where every QoS ≥ 1 message is made durable before libmosquitto sends
/// its PUBACK (DESIGN.md, Delivery). Segments `inbox-<n>.log` hold length-prefixed, checksummed
/// records; the ingest records in SQLite how far it has consumed, and consumed segments are
/// deleted. On start, records past that point are replayed.
///
/// Record: `[u32 body length][u32 crc32 of body][body]`, body =
/// `[i64 received-at ms][u8 qos | 0x80][u16 topic length][u16 packet id][u8 flags][topic][payload]`,
/// little-endian; flags bit 0: received while catching up after a reconnect. Its checksum is the
/// CRC-32 of the 14 bytes before the topic, seeded with the CRC-32 of topic and payload (the
/// message's identity for the redelivery check). Records without the 0x80 bit (written before
/// packet ids were kept) lack the two middle fields, have the CRC-32 of the whole body, and
/// still replay.
///
/// The journal also decides, before anything is written, whether a message is the broker's
/// redelivery of one it already holds (`RedeliveryWindow`): such a message is acknowledged
/// without being journaled again, so replay and redelivery resolve to one stored reading.
package final class InboxJournal: Sendable {
    package struct ReplayReport: Sendable {
        package var replayed = 0
        /// Where a segment had a torn or corrupt record, why, and how many bytes were skipped
        /// until the next intact record (or the end of the segment).
        package var damaged: [(segment: Int64, offset: Int64, reason: String, skipped: Int64)] = []
    }

    struct WriterState {
        var descriptor: Int32 = -1
        var segment: Int64 = 0
        var size: Int64 = 0
        var buffer: [UInt8] = []
        var lastSync: ContinuousClock.Instant
        var unsynced = false
        var redeliveries = RedeliveryWindow()
        /// Segments below this were deleted already: the directory is listed again only when the
        /// bound moves (it moves once per segment, not once per batch).
        var discardedBelow: Int64 = 0
    }

    /// What `append` did with a message.
    package enum AppendOutcome: Sendable, Equatable {
        /// Written; the position just past the record.
        case journaled(InboxPosition)
        /// The broker sent again a message the journal already holds: acknowledge, store nothing.
        case redelivery

        /// Where the record ends, when one was written.
        package var position: InboxPosition? {
            if case .journaled(let position) = self { position } else { nil }
        }
    }

    static let headerBytes = 8
    static let bodyFixedBytes = 11
    static let extensionBytes = 3
    static let extendedRecordBit: UInt8 = 0x80
    static let catchUpFlag: UInt8 = 0x01

    package let directory: String
    let syncPolicy: InboxSyncPolicy
    let segmentBytes: Int64
    private let state: Mutex<WriterState>

    /// Opens the journal in `directory` (created if needed). Writing always starts a new segment,
    /// so a torn tail left by a crash is never appended to.
    package init(directory: String, sync: InboxSyncPolicy, segmentBytes: Int) throws {
        self.directory = directory
        self.syncPolicy = sync
        self.segmentBytes = Int64(segmentBytes)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let next = (try Self.segments(in: directory).last ?? 0) + 1
        var initial = WriterState(lastSync: .now)
        initial.buffer.reserveCapacity(4096)
        // The previous run's last deliveries: their PUBACKs may not have left before it ended.
        for key in Self.latestDeliveries(in: directory, limit: initial.redeliveries.capacity) {
            initial.redeliveries.remember(key)
        }
        self.state = Mutex(initial)
        try state.withLock { state in try open(segment: next, into: &state) }
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// A connection was accepted (called on the MQTT network thread, before its first message).
    package func beginConnection(sessionResumed: Bool) {
        state.withLock { $0.redeliveries.beginConnection(sessionResumed: sessionResumed) }
    }

    /// Redeliveries recognised since the start.
    package var redeliveriesRecognised: Int { state.withLock { $0.redeliveries.redeliveries } }

    /// Appends one message with a single write(2), unless it is a redelivery of one already here.
    /// Called on the MQTT network thread.
    package func append(
        topic: String, payload: [UInt8], qos: UInt8, messageID: UInt16 = 0, receivedAt: Timestamp,
        inCatchUp: Bool = false
    ) throws -> AppendOutcome {
        let key = RedeliveryWindow.key(messageID: messageID, topic: topic, payload: payload)
        return try state.withLock { state in
            if state.redeliveries.isRedelivery(key) { return .redelivery }
            if state.size >= segmentBytes { try open(segment: state.segment + 1, into: &state) }
            var topicBytes = topic
            let topicLength = min(topicBytes.utf8.count, Int(UInt16.max))
            let bodyLength = Self.bodyFixedBytes + Self.extensionBytes + topicLength + payload.count
            state.buffer.removeAll(keepingCapacity: true)
            Self.appendInteger(UInt32(bodyLength), to: &state.buffer)
            Self.appendInteger(UInt32(0), to: &state.buffer)  // checksum, filled below
            Self.appendInteger(UInt64(bitPattern: receivedAt.milliseconds), to: &state.buffer)
            state.buffer.append(qos | Self.extendedRecordBit)
            Self.appendInteger(UInt16(topicLength), to: &state.buffer)
            Self.appendInteger(messageID, to: &state.buffer)
            state.buffer.append(inCatchUp ? Self.catchUpFlag : 0)
            topicBytes.withUTF8 { state.buffer.append(contentsOf: $0.prefix(topicLength)) }
            state.buffer.append(contentsOf: payload)
            // The checksum of topic and payload, already taken for the redelivery check, seeds the
            // record's: one pass over the payload on this thread, not two.
            let checksum = state.buffer.withUnsafeBytes {
                CRC32.checksum(
                    UnsafeRawBufferPointer(rebasing: $0[8..<8 + Self.bodyFixedBytes + Self.extensionBytes]),
                    seed: key.checksum)
            }
            withUnsafeBytes(of: checksum.littleEndian) { bytes in
                for index in 0..<4 { state.buffer[4 + index] = bytes[index] }
            }
            do {
                try state.buffer.withUnsafeBytes { try Self.writeAll(state.descriptor, $0) }
                state.unsynced = true
                try syncIfDue(&state)
            } catch {
                // A partial record (disk full mid-write) or one that may not be on disk must not
                // stay: the caller retries the same message, and replay stops at a torn record.
                _ = ftruncate(state.descriptor, off_t(state.size))
                throw error
            }
            state.size += Int64(state.buffer.count)
            return .journaled(InboxPosition(segment: state.segment, offset: state.size))
        }
    }

    /// Forces written records to disk (used at shutdown and for the once-a-second policy when
    /// no new message arrives to trigger it).
    package func flush() throws {
        try state.withLock { state in
            guard state.unsynced, syncPolicy != .never else { return }
            try Self.check(fdatasync(state.descriptor), "fdatasync inbox segment")
            state.unsynced = false
            state.lastSync = .now
        }
    }

    /// Bytes held in the journal's segments.
    package func diskBytes() -> Int64 {
        ((try? Self.segments(in: directory)) ?? []).reduce(0) { total, segment in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: segment))
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// Deletes segments wholly before `position` (they are consumed and committed). The segment
    /// before the current one stays too: a restart reads the latest deliveries back from it when
    /// the current one is young (`RedeliveryWindow`).
    package func discard(before position: InboxPosition) {
        let bound: Int64? = state.withLock { state in
            let bound = min(position.segment, state.segment - 1)
            guard bound > state.discardedBelow else { return nil }
            state.discardedBelow = bound
            return bound
        }
        guard let bound else { return }
        for segment in (try? Self.segments(in: directory)) ?? [] where segment < bound {
            unlink(path(of: segment))
        }
    }

    /// Calls `body` for every intact record after `position` (all of them when nil), oldest first.
    /// A torn or corrupt record ends its segment: it and whatever follows in that segment are
    /// reported, not replayed, and the next segment is read.
    package func replay(after position: InboxPosition?, _ body: (InboxMessage) throws -> Void) throws -> ReplayReport {
        var report = ReplayReport()
        let current = state.withLock { $0.segment }
        for segment in try Self.segments(in: directory) where segment < current {
            if let position, segment < position.segment { continue }
            guard let data = FileManager.default.contents(atPath: path(of: segment)) else { continue }
            let skipUntil = position.map { $0.segment == segment ? $0.offset : 0 } ?? 0
            let bytes = [UInt8](data)
            var offset = 0
            while offset < bytes.count {
                switch Self.decodeRecord(bytes, at: offset) {
                case .record(let message, let end, _):
                    if Int64(end) > skipUntil {
                        var message = message
                        message.position = InboxPosition(segment: segment, offset: Int64(end))
                        try body(message)
                        report.replayed += 1
                    }
                    offset = end
                case .damaged(let reason):
                    // Look for the next intact record: a flipped byte or a bad sector loses the
                    // records it hit, not everything after it. A false match needs a length that
                    // fits and a CRC32 over it that agrees by chance (about 1 in 4 billion).
                    let resumed = Self.nextIntactRecord(in: bytes, after: offset)
                    report.damaged.append(
                        (segment, Int64(offset), reason, skipped: Int64((resumed ?? bytes.count) - offset)))
                    offset = resumed ?? bytes.count
                }
            }
        }
        return report
    }

    /// The offset of the first intact record after a damaged one at `offset`, if any.
    static func nextIntactRecord(in bytes: [UInt8], after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + headerBytes + bodyFixedBytes <= bytes.count {
            if case .record = decodeRecord(bytes, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    enum DecodedRecord {
        /// `identity`: the CRC-32 of topic and payload (nil for a first-format record).
        case record(InboxMessage, end: Int, identity: UInt32?)
        case damaged(String)
    }

    static func decodeRecord(_ bytes: [UInt8], at offset: Int) -> DecodedRecord {
        guard offset + headerBytes + bodyFixedBytes <= bytes.count else {
            return .damaged("truncated record header (\(bytes.count - offset) bytes left)")
        }
        let bodyLength = Int(readInteger(bytes, at: offset, as: UInt32.self))
        let checksum = readInteger(bytes, at: offset + 4, as: UInt32.self)
        let bodyStart = offset + headerBytes
        guard bodyLength >= bodyFixedBytes, bodyStart + bodyLength <= bytes.count else {
            return .damaged("truncated record body (needs \(bodyLength) bytes, \(bytes.count - bodyStart) left)")
        }
        let bodyEnd = bodyStart + bodyLength
        let qosByte = bytes[bodyStart + 8]
        let extended = qosByte & extendedRecordBit != 0
        let fixedEnd = bodyStart + bodyFixedBytes + (extended ? extensionBytes : 0)
        guard fixedEnd <= bodyEnd else { return .damaged("record extension missing") }
        var identity: UInt32?
        let actual = bytes.withUnsafeBytes { raw in
            guard extended else { return CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<bodyEnd])) }
            let seed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[fixedEnd..<bodyEnd]))
            identity = seed
            return CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<fixedEnd]), seed: seed)
        }
        guard actual == checksum else { return .damaged("checksum mismatch") }
        let receivedAt = Int64(bitPattern: readInteger(bytes, at: bodyStart, as: UInt64.self))
        let topicLength = Int(readInteger(bytes, at: bodyStart + 9, as: UInt16.self))
        let topicStart = fixedEnd
        var messageID: UInt16 = 0
        var flags: UInt8 = 0
        if extended {
            messageID = readInteger(bytes, at: bodyStart + bodyFixedBytes, as: UInt16.self)
            flags = bytes[bodyStart + bodyFixedBytes + 2]
        }
        guard topicStart + topicLength <= bodyEnd else { return .damaged("topic longer than record") }
        let topic = String(decoding: bytes[topicStart..<topicStart + topicLength], as: UTF8.self)
        let payload = Array(bytes[(topicStart + topicLength)..<(bodyStart + bodyLength)])
        return .record(
            InboxMessage(
                topic: topic, payload: payload, qos: qosByte & ~extendedRecordBit,
                receivedAt: Timestamp(milliseconds: receivedAt), messageID: messageID,
                inCatchUp: flags & catchUpFlag != 0),
            end: bodyEnd, identity: identity)
    }

    /// The identities of the newest `limit` intact records across the segments on disk, oldest first.
    static func latestDeliveries(in directory: String, limit: Int) -> [RedeliveryWindow.Key] {
        var keys: [RedeliveryWindow.Key] = []
        for segment in ((try? segments(in: directory)) ?? []).reversed() {
            let path = "\(directory)/\(segmentName(segment))"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data)
            var inSegment: [RedeliveryWindow.Key] = []
            var offset = 0
            while offset < bytes.count {
                switch decodeRecord(bytes, at: offset) {
                case .record(let message, let end, let identity):
                    if message.messageID != 0, let identity {
                        inSegment.append(
                            RedeliveryWindow.Key(
                                messageID: message.messageID, checksum: identity,
                                length: message.topic.utf8.count + message.payload.count))
                    }
                    offset = end
                case .damaged:
                    offset = nextIntactRecord(in: bytes, after: offset) ?? bytes.count
                }
            }
            keys = inSegment.suffix(limit - keys.count) + keys
            if keys.count >= limit { break }
        }
        return keys
    }

    // MARK: - Files

    func path(of segment: Int64) -> String { "\(directory)/\(Self.segmentName(segment))" }

    static func segmentName(_ segment: Int64) -> String {
        let digits = String(segment)
        return "inbox-\(String(repeating: "0", count: max(0, 12 - digits.count)))\(digits).log"
    }

    static func segments(in directory: String) throws -> [Int64] {
        try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { name in
            guard name.hasPrefix("inbox-"), name.hasSuffix(".log") else { return nil }
            return Int64(name.dropFirst("inbox-".count).dropLast(".log".count))
        }.sorted()
    }

    private func open(segment: Int64, into state: inout WriterState) throws {
        // Open the new segment first: if that fails (disk full) the current one stays usable.
        let descriptor = Glibc.open(path(of: segment), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        try Self.check(descriptor, "open inbox segment \(path(of: segment))")
        if state.descriptor >= 0 {
            if syncPolicy != .never { _ = fdatasync(state.descriptor) }
            close(state.descriptor)
        }
        state.descriptor = descriptor
        state.segment = segment
        state.size = 0
        // Make the new file's directory entry durable, or a power cut could lose the segment.
        if syncPolicy != .never {
            let directoryDescriptor = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryDescriptor >= 0 {
                _ = fsync(directoryDescriptor)
                close(directoryDescriptor)
            }
        }
    }

    private func syncIfDue(_ state: inout WriterState) throws {
        switch syncPolicy {
        case .never: return
        case .always: break
        case .everySecond: guard state.lastSync.duration(to: .now) >= .seconds(1) else { return }
        }
        try Self.check(fdatasync(state.descriptor), "fdatasync inbox segment")
        state.unsynced = false
        state.lastSync = .now
    }

    private static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) throws {
        do {
            try FileDescriptorWriter.writeAll(buffer, to: descriptor)
        } catch {
            throw JournalError(operation: "write inbox record", code: error.code)
        }
    }

    private static func check(_ result: Int32, _ operation: String) throws {
        if result < 0 { throw JournalError(operation: operation, code: errno) }
    }

    private static func appendInteger<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private static func readInteger<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as: T.Type) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + index]) << (8 * index) }
        return value
    }
}

/// A failed system call on the inbox journal, with its errno text.
package struct JournalError: Error, CustomStringConvertible, Sendable {
    package var operation: String
    package var code: Int32

    package var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}
