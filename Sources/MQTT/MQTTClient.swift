internal import CMosquitto
import Glibc
import Synchronization
internal import SystemSupport

/// mosquitto_lib_init is not thread-safe; a global `let` is initialised exactly once, on first use.
private let libraryInitResult: Int32 = mosquitto_lib_init()

/// An MQTT client over libmosquitto with its own network thread.
///
/// - Messages go to `onMessage` **on the network thread**, one call per message, in order. The
///   handler must copy/hand off and return quickly: while it runs nothing else is received, and a
///   QoS 1 PUBACK is written only after it returns (so what it makes durable is safe).
/// - Life-cycle events go to `onEvent`, also on the network thread.
/// - The client owns its reconnect loop instead of `mosquitto_loop_start`: libmosquitto's threaded
///   loop ends for good on an MQTT 5 CONNACK refusal, and its "exponential" backoff is quadratic.
///   Here every failed attempt (refusal included) is reported and retried after a bounded,
///   doubling backoff, and all subscriptions are renewed on every connection.
/// - `stop()` sends DISCONNECT, ends the thread and waits for it (bounded: a frozen broker cannot
///   hold it up).
package final class MQTTClient: @unchecked Sendable {
    package let configuration: MQTTConfiguration

    // The libmosquitto handle (struct mosquitto *) and the CONNECT property list; owned, freed in deinit.
    private let handle: OpaquePointer
    private let connectProperties: OpaquePointer?
    // Written only before the network thread exists (init, or `start(onMessage:onEvent:)` ahead of
    // pthread_create, which orders the write before every read on that thread).
    private var onMessage: @Sendable (MQTTMessage) -> Void
    private var onEvent: @Sendable (MQTTEvent) -> Void
    private let control = ThreadControl()
    private let lifecycle = Mutex<Lifecycle>(.idle)
    // mosquitto_connect_bind_v5 re-creates the socket pair that mosquitto_publish writes to in order
    // to wake the network thread; the two must not overlap.
    private let connectGate = Mutex<Void>(())
    private let connectedFlag = Atomic<Bool>(false)
    private let completedPublishes = Atomic<Int>(0)
    // libmosquitto's error log lines during a connect call (the OpenSSL detail behind "A TLS error
    // occurred."). Collected only around connect: with a log callback set, libmosquitto formats a
    // debug line for every packet, on whatever thread sends it.
    fileprivate let connectLog = Mutex<[String]>([])
    // Touched only on the network thread (libmosquitto calls back only from there in threaded mode).
    private var attempt = AttemptState()

    private enum Lifecycle {
        case idle
        case running(pthread_t)
        case stopped
    }

    private struct AttemptState {
        var accepted = false
        var refused = false
        var pendingSubscriptions: [Int32: Int] = [:]
        var subscriptionResults: [MQTTSubscriptionResult?] = []
    }

    /// Validates `configuration` and prepares the client; nothing connects before `start()`.
    package init(
        configuration: MQTTConfiguration, onMessage: @escaping @Sendable (MQTTMessage) -> Void,
        onEvent: @escaping @Sendable (MQTTEvent) -> Void = { _ in }
    ) throws(MQTTError) {
        try configuration.validate()
        try check(libraryInitResult, "mosquitto_lib_init")
        let (handle, properties) = try Self.makeHandle(configuration)
        self.configuration = configuration
        self.handle = handle
        self.connectProperties = properties
        self.onMessage = onMessage
        self.onEvent = onEvent
        // The handle lives exactly as long as this object, so the callbacks' userdata need not retain.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_v5_callback_set(handle, onConnectCallback)
        mosquitto_disconnect_v5_callback_set(handle, onDisconnectCallback)
        mosquitto_subscribe_v5_callback_set(handle, onSubscribeCallback)
        mosquitto_publish_v5_callback_set(handle, onPublishCallback)
        mosquitto_message_callback_set(handle, onMessageCallback)
    }

    /// Prepares the client without its handlers, for an owner whose handlers need the client
    /// itself (to publish, or to give up a connection): `start(onMessage:onEvent:)` gives them.
    package convenience init(configuration: MQTTConfiguration) throws(MQTTError) {
        try self.init(configuration: configuration, onMessage: { _ in }, onEvent: { _ in })
    }

    deinit {
        mosquitto_destroy(handle)
        var properties = connectProperties
        mosquitto_property_free_all(&properties)
    }

    private static func makeHandle(
        _ configuration: MQTTConfiguration
    ) throws(MQTTError) -> (
        OpaquePointer, OpaquePointer?
    ) {
        let clean = configuration.session == .clean
        guard let handle = mosquitto_new(configuration.clientID, clean, nil) else {
            throw MQTTError(code: Int(MOSQ_ERR_NOMEM.rawValue), operation: "mosquitto_new", message: systemError())
        }
        var properties: OpaquePointer?
        do {
            try configure(handle, configuration, properties: &properties)
        } catch {
            mosquitto_destroy(handle)
            mosquitto_property_free_all(&properties)
            throw error
        }
        return (handle, properties)
    }

    private static func configure(
        _ handle: OpaquePointer, _ configuration: MQTTConfiguration, properties: inout OpaquePointer?
    ) throws(MQTTError) {
        let version = configuration.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try check(
            mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, version),
            "set protocol version \(configuration.protocolVersion)")
        // Another thread (ours) runs the loop: queued packets are written by it, woken via a socket pair.
        try check(mosquitto_threaded_set(handle, true), "mosquitto_threaded_set")
        if let username = configuration.username {
            try check(mosquitto_username_pw_set(handle, username, configuration.password), "set username/password")
        }
        if configuration.broker.usesTLS {
            let tls = configuration.tls ?? MQTTConfiguration.TLS()
            if tls.caFile == nil {
                try check(
                    mosquitto_int_option(handle, MOSQ_OPT_TLS_USE_OS_CERTS, 1), "use the system's CA certificates")
            }
            try check(
                mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil),
                "set TLS files (ca \(tls.caFile ?? "system"), cert \(tls.certFile ?? "none"), key \(tls.keyFile ?? "none"))"
            )
        }
        if let maxInflight = configuration.maxInflightMessages {
            try check(mosquitto_max_inflight_messages_set(handle, UInt32(maxInflight)), "set max inflight messages")
        }
        if configuration.protocolVersion == .v5 {
            // Not libmosquitto's 20: mosquitto 2.0.11 miscounts QoS 2 messages in flight to a v5
            // client (after each PUBCOMP it sends up to 20 more), libmosquitto then sees its receive
            // maximum exceeded and drops the connection, forever on reconnect with a queued
            // backlog. Measured: 3000 queued QoS 2 messages, 20 -> ~200 protocol-error disconnects
            // and 32 delivered; 65535 -> all 3000, no error. Flow control is our handler anyway.
            let receiveMaximum = configuration.receiveMaximum ?? 65535
            try check(
                mosquitto_int_option(handle, MOSQ_OPT_RECEIVE_MAXIMUM, Int32(receiveMaximum)), "set receive maximum")
        }
        if configuration.tcpNoDelay {
            try check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "set TCP_NODELAY")
        }
        if configuration.protocolVersion == .v5, case .persistent(let expiry) = configuration.session {
            try check(
                mosquitto_property_add_int32(
                    &properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), UInt32(expiry.wholeSeconds)),
                "add Session-Expiry-Interval property")
        }
    }

    // MARK: - Public API

    /// Starts the network thread, which connects (and keeps reconnecting) until `stop()`.
    package func start() throws(MQTTError) {
        try launch(onMessage: nil, onEvent: nil)
    }

    /// Starts the network thread with these handlers in place of the ones given at init.
    package func start(
        onMessage: @escaping @Sendable (MQTTMessage) -> Void, onEvent: @escaping @Sendable (MQTTEvent) -> Void
    ) throws(MQTTError) {
        try launch(onMessage: onMessage, onEvent: onEvent)
    }

    private func launch(
        onMessage: (@Sendable (MQTTMessage) -> Void)?, onEvent: (@Sendable (MQTTEvent) -> Void)?
    ) throws(MQTTError) {
        let error: MQTTError? = lifecycle.withLock { state in
            guard case .idle = state else {
                return .configuration("start", "the client was already started")
            }
            if let onMessage { self.onMessage = onMessage }
            if let onEvent { self.onEvent = onEvent }
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let rc = pthread_create(&thread, nil, networkThreadEntry, context)
            guard rc == 0 else {
                Unmanaged<MQTTClient>.fromOpaque(context).release()
                return MQTTError(
                    code: -Int(rc), operation: "start network thread", message: String(cString: strerror(rc)))
            }
            state = .running(thread)
            return nil
        }
        if let error { throw error }
    }

    /// Disconnects cleanly and ends the network thread. Returns once the thread has finished, or
    /// after `timeout` (the thread then finishes on its own; no event is delivered after `.stopped`).
    package func stop(timeout: Duration = .seconds(5)) {
        let thread: pthread_t? = lifecycle.withLock { state in
            defer { state = .stopped }  // also before start(): a stopped client never starts
            guard case .running(let thread) = state else { return nil }
            return thread
        }
        guard let thread else { return }
        control.requestStop()
        // Wakes a network thread waiting in mosquitto_loop; it then sends its own DISCONNECT.
        _ = mosquitto_disconnect(handle)
        if control.waitUntilFinished(timeout: timeout) {
            pthread_join(thread, nil)
        } else {
            pthread_detach(thread)
        }
    }

    /// Queues a PUBLISH and returns its message id; callable from any thread. QoS 1/2 messages
    /// published while disconnected are kept and sent after reconnecting; QoS 0 then fails with
    /// `MQTTError.noConnection`. Waits while the very first connection attempt is being set up.
    @discardableResult
    package func publish(
        topic: String, payload: [UInt8], qos: UInt8 = 0, retain: Bool = false
    ) throws(MQTTError)
        -> Int
    {
        guard qos <= 2 else { throw .configuration("publish \(topic)", "QoS must be 0, 1 or 2") }
        guard payload.count <= 268_435_455 else {
            throw MQTTError(
                code: Int(MOSQ_ERR_PAYLOAD_SIZE.rawValue), operation: "publish \(topic)",
                message: describeResult(Int32(MOSQ_ERR_PAYLOAD_SIZE.rawValue)))
        }
        var messageID: Int32 = 0
        let rc = connectGate.withLock { _ in
            payload.withUnsafeBytes { bytes in
                mosquitto_publish(
                    handle, &messageID, topic, Int32(bytes.count), bytes.baseAddress, Int32(qos), retain)
            }
        }
        try check(rc, "publish \(topic)")
        return Int(messageID)
    }

    /// `publish` with a text payload (UTF-8).
    @discardableResult
    package func publish(topic: String, text: String, qos: UInt8 = 0, retain: Bool = false) throws(MQTTError) -> Int {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }

    /// True between an accepted CONNACK and the end of that connection.
    package var isConnected: Bool { connectedFlag.load(ordering: .acquiring) }

    /// True once `stop()` was called: a message handler waiting for something may give up.
    package var isStopping: Bool { control.stopRequested }

    /// Shuts the current socket down without sending anything more, from inside the message
    /// handler: the PUBACK libmosquitto has queued for the message being handled never leaves,
    /// so the broker keeps the message for the session. For a handler that cannot keep a
    /// message (storage full) and must return anyway (shutdown).
    package func abandonConnection() {
        let socket = mosquitto_socket(handle)
        if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Publishes completed so far: QoS 0 written, QoS 1 acknowledged (PUBACK), QoS 2 PUBCOMP.
    /// A publisher that uses one QoS > 0 has `published - completedPublishCount` messages in flight.
    package var completedPublishCount: Int { completedPublishes.load(ordering: .acquiring) }

    // MARK: - Network thread

    fileprivate func runNetworkThread() {
        let backoff = configuration.backoff
        var delay = backoff.minimum
        var failures = 0
        var initialised = false
        while !control.stopRequested {
            attempt = AttemptState()
            connectLog.withLock { $0 = [] }
            mosquitto_log_callback_set(handle, onLogCallback)
            var rc = connect(initialised: initialised)
            initialised = initialised || rc != MOSQ_ERR_INVAL.rawValue
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                rc = serveConnection()
            }
            mosquitto_log_callback_set(handle, nil)
            if !attempt.accepted && !attempt.refused && !control.stopRequested {
                // No CONNACK: TCP/DNS failure in connect, or TLS handshake / socket failure in the loop.
                let details = connectLog.withLock { $0 }
                let detail = details.isEmpty ? "" : " (\(details.joined(separator: "; ")))"
                let cause = rc == MOSQ_ERR_NO_CONN.rawValue ? "connection closed before CONNACK" : describeResult(rc)
                onEvent(.connectFailed(reason: "\(configuration.broker): \(cause)\(detail)"))
            }
            if attempt.accepted {
                delay = backoff.minimum
                failures = 0
            }
            if control.stopRequested { break }
            failures += 1
            onEvent(.reconnecting(attempt: failures, delay: delay))
            if control.sleep(for: delay) { break }
            delay = backoff.next(after: delay)
        }
        if connectedFlag.exchange(false, ordering: .acquiringAndReleasing) {
            // The broker never took our DISCONNECT (frozen): the socket closes with the handle.
            onEvent(.disconnected(reason: "broker did not respond to DISCONNECT", requested: true))
        }
        onEvent(.stopped)
        control.markFinished()
    }

    private func connect(initialised: Bool) -> Int32 {
        // libmosquitto 2.0.11 keeps the CONNECT properties of mosquitto_connect_bind_v5 and sends
        // them again from mosquitto_reconnect (verified: a session with Session-Expiry-Interval
        // survives a DISCONNECT after a mosquitto_reconnect). Only the first connect sets up the
        // socket pair that publish() writes to, so only it needs the gate.
        if initialised {
            return mosquitto_reconnect(handle)
        }
        let broker = configuration.broker
        let keepalive = Int32(configuration.keepalive.wholeSeconds)
        return connectGate.withLock { _ in
            mosquitto_connect_bind_v5(handle, broker.host, Int32(broker.port), keepalive, nil, connectProperties)
        }
    }

    /// Runs the loop for one connection until it ends (error, refusal, or our DISCONNECT went out);
    /// returns the code that ended it.
    private func serveConnection() -> Int32 {
        var disconnectSent = false
        var flushDeadline: UInt64 = 0
        while true {
            if !disconnectSent && control.stopRequested {
                _ = mosquitto_disconnect(handle)
                disconnectSent = true
                // Enough to hand DISCONNECT to the kernel; a broker that does not read is not waited for.
                flushDeadline = MonotonicClock.nanoseconds(after: .seconds(1))
            }
            let rc = mosquitto_loop(handle, disconnectSent ? 50 : 1000, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue { return rc }
            if disconnectSent && MonotonicClock.nanoseconds() >= flushDeadline { return rc }
        }
    }

    fileprivate func handleConnect(_ rc: Int32, flags: Int32) {
        mosquitto_log_callback_set(handle, nil)  // the handshake is over: no per-packet log formatting
        guard rc == 0 else {
            attempt.refused = true
            let reason = describeConnack(rc, protocolVersion: configuration.protocolVersion)
            onEvent(.connectionRefused(code: Int(rc), reason: reason))
            return
        }
        attempt.accepted = true
        connectedFlag.store(true, ordering: .releasing)
        onEvent(.connected(sessionPresent: flags & 1 != 0))
        subscribeAll()
    }

    /// Subscribes every configured filter, one SUBSCRIBE each so every QoS is as asked.
    private func subscribeAll() {
        let subscriptions = configuration.subscriptions
        guard !subscriptions.isEmpty else { return }
        attempt.subscriptionResults = Array(repeating: nil, count: subscriptions.count)
        for (index, subscription) in subscriptions.enumerated() {
            var messageID: Int32 = 0
            let rc = mosquitto_subscribe(handle, &messageID, subscription.filter, Int32(subscription.qos))
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                attempt.pendingSubscriptions[messageID] = index
            } else {
                attempt.subscriptionResults[index] = MQTTSubscriptionResult(
                    filter: subscription.filter, requestedQoS: subscription.qos, reasonCode: 0x80)
            }
        }
        reportSubscriptionsIfComplete()
    }

    fileprivate func handleSubscribe(messageID: Int32, granted: UnsafeBufferPointer<Int32>) {
        guard let index = attempt.pendingSubscriptions.removeValue(forKey: messageID) else { return }
        let subscription = configuration.subscriptions[index]
        let code = granted.first.map { UInt8(truncatingIfNeeded: $0) } ?? 0x80
        attempt.subscriptionResults[index] = MQTTSubscriptionResult(
            filter: subscription.filter, requestedQoS: subscription.qos, reasonCode: code)
        reportSubscriptionsIfComplete()
    }

    private func reportSubscriptionsIfComplete() {
        guard attempt.pendingSubscriptions.isEmpty, !attempt.subscriptionResults.isEmpty else { return }
        let results = attempt.subscriptionResults.compactMap { $0 }
        guard results.count == attempt.subscriptionResults.count else { return }
        attempt.subscriptionResults = []
        onEvent(.subscribed(results))
    }

    fileprivate func handleDisconnect(_ rc: Int32) {
        // Before a CONNACK the run loop reports the failed attempt itself (on_disconnect does not
        // come for every such failure, e.g. not for a failed TLS handshake).
        guard connectedFlag.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let requested = rc == 0 && control.stopRequested
        onEvent(.disconnected(reason: requested ? "requested by client" : describeDisconnect(rc), requested: requested))
    }

    fileprivate func handlePublish(messageID: Int32, reasonCode: Int32) {
        completedPublishes.add(1, ordering: .releasing)
        if reasonCode >= 0x80 {
            onEvent(.publishRefused(messageID: Int(messageID), reasonCode: Int(reasonCode)))
        } else if configuration.reportsPublished {
            onEvent(.published(messageID: Int(messageID)))
        }
    }

    fileprivate func deliver(_ message: MQTTMessage) {
        onMessage(message)
    }
}

// MARK: - C entry points
//
// `@convention(c)` lets in nonisolated code: a closure literal written in a @MainActor context
// would be inferred @MainActor and trap when libmosquitto's thread calls it.

private func client(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient {
    Unmanaged<MQTTClient>.fromOpaque(userdata!).takeUnretainedValue()
}

private let networkThreadEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
    // Balances the passRetained in start(): the thread keeps the client alive until it ends.
    let client = Unmanaged<MQTTClient>.fromOpaque(context!).takeRetainedValue()
    client.runNetworkThread()
    return nil
}

private let onConnectCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, OpaquePointer?) -> Void = {
        _, userdata, rc, flags, _ in
        client(userdata).handleConnect(rc, flags: flags)
    }

private let onDisconnectCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, OpaquePointer?) -> Void = {
        _, userdata, rc, _ in
        client(userdata).handleDisconnect(rc)
    }

private let onSubscribeCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, UnsafePointer<Int32>?, OpaquePointer?) ->
        Void = {
            _, userdata, messageID, count, granted, _ in
            client(userdata).handleSubscribe(
                messageID: messageID, granted: UnsafeBufferPointer(start: granted, count: Int(max(count, 0))))
        }

private let onPublishCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, Int32, OpaquePointer?) -> Void = {
        _, userdata, messageID, reasonCode, _ in
        client(userdata).handlePublish(messageID: messageID, reasonCode: reasonCode)
    }

private let onLogCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?) -> Void = {
        _, userdata, level, text in
        guard level == MOSQ_LOG_ERR, let text else { return }
        let line = String(cString: text)
        client(userdata).connectLog.withLock { if $0.count < 5 { $0.append(line) } }
    }

private let onMessageCallback:
    @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafePointer<mosquitto_message>?) -> Void = {
        _, userdata, message in
        guard let message = message?.pointee else { return }
        // The one copy of topic and payload; libmosquitto frees its buffers when we return.
        let topic = String(cString: message.topic)
        let payload =
            message.payloadlen > 0
            ? [UInt8](UnsafeRawBufferPointer(start: message.payload, count: Int(message.payloadlen))) : []
        client(userdata).deliver(
            MQTTMessage(
                topic: topic, payload: payload, qos: UInt8(truncatingIfNeeded: message.qos), retain: message.retain,
                messageID: UInt16(truncatingIfNeeded: message.mid)))
    }
