internal import EnvMonCore
internal import NIOCore
internal import PostgresNIO

/// Replays of rejected messages (`envmon rejects replay`), carried out by a running daemon.
extension PostgresReadingWriter {
    /// Pending requests, oldest first. With several collectors each request is carried out by
    /// one: `finishReplay` only completes a request still pending.
    func pendingReplayRequests() throws -> [RejectReplayRequest] {
        try session.query(
            "SELECT id, reason, since, dry_run FROM reject_replay_requests WHERE status = 'pending' ORDER BY id"
        ).map { row in
            let (id, reason, since, dryRun) = try row.decode((Int64, String?, Int64?, Bool).self)
            return RejectReplayRequest(
                id: id, reason: reason.flatMap(RejectReason.init(rawValue:)),
                since: since.map { Timestamp(milliseconds: $0) }, dryRun: dryRun)
        }
    }

    /// The rejected messages a request covers, one per distinct message, oldest first.
    func replayableMessages(for request: RejectReplayRequest) throws -> [ReplayableMessage] {
        let reasons = (request.reason.map { [$0] } ?? RejectReason.allCases.filter(\.isReplayable)).map(\.rawValue)
        var binds = PostgresBindings()
        binds.append(reasons)
        binds.append(request.since?.milliseconds ?? Int64.min)
        let rows = try session.query(
            """
            SELECT id, reason, received_at, topic, payload FROM rejects
            WHERE reason = ANY($1::text[]) AND received_at >= $2 ORDER BY received_at, id
            """, binds)
        var messages: [ReplayableMessage] = []
        var index: [String: Int] = [:]
        for row in rows {
            let (id, reason, receivedAt, topic, buffer) = try row.decode(
                (Int64, String, Int64, String, ByteBuffer).self)
            let payload = Array(buffer.readableBytesView)
            let key = "\(receivedAt) \(topic) \(payload.hashValue) \(payload.count)"
            if let existing = index[key], messages[existing].payload == payload {
                messages[existing].rowIDs.append(id)
                continue
            }
            index[key] = messages.count
            messages.append(
                ReplayableMessage(
                    rowIDs: [id], reason: RejectReason(rawValue: reason) ?? .unknownMetric,
                    receivedAt: Timestamp(milliseconds: receivedAt), topic: topic, payload: payload))
        }
        return messages
    }

    /// Records the outcome and removes the reject rows of messages now stored, in one transaction.
    func finishReplay(
        _ request: RejectReplayRequest, results: [RejectReason: ReplayCounts], resolvedRows: [Int64], detail: String?,
        at time: Timestamp
    ) throws {
        let result = results.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            "\"\($0.key.rawValue)\":[\($0.value.stored),\($0.value.stillRefused),\($0.value.alreadyPresent)]"
        }.joined(separator: ",")
        try session.transaction { connection in
            var rows = PostgresBindings()
            rows.append(resolvedRows)
            try connection.execute("DELETE FROM rejects WHERE id = ANY($1::int8[])", rows)
            var binds = PostgresBindings()
            binds.append("{\(result)}")
            binds.append(detail)
            binds.append(time.milliseconds)
            binds.append(request.id)
            try connection.execute(
                "UPDATE reject_replay_requests SET status = 'done', result = $1, detail = $2, done_at = $3 WHERE id = $4",
                binds)
        }
    }
}
