internal import CMosquitto
import Glibc

/// A failed libmosquitto call (or a rejected configuration), with the library's own wording.
package struct MQTTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libmosquitto error code (`MOSQ_ERR_*`), or `MQTTError.invalidConfiguration`.
    package var code: Int
    /// What was being done, e.g. `connect 127.0.0.1:1883` or `publish sensors/a/temp`.
    package var operation: String
    /// Human-readable cause (mosquitto_strerror, or strerror(errno) for system errors).
    package var message: String

    package init(code: Int, operation: String, message: String) {
        self.code = code
        self.operation = operation
        self.message = message
    }

    package var description: String { "\(operation): \(message)" }

    /// The code of configuration errors found before libmosquitto was called.
    package static let invalidConfiguration = Int(MOSQ_ERR_INVAL.rawValue)

    /// The code libmosquitto uses when there is no connection (QoS 0 publish while disconnected).
    package static let noConnection = Int(MOSQ_ERR_NO_CONN.rawValue)

    static func configuration(_ operation: String, _ message: String) -> MQTTError {
        MQTTError(code: invalidConfiguration, operation: operation, message: message)
    }
}

/// The one place where libmosquitto return codes become Swift errors.
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(MQTTError) {
    if rc != MOSQ_ERR_SUCCESS.rawValue {
        throw MQTTError(code: Int(rc), operation: operation(), message: describeResult(rc))
    }
}

/// Text for a `MOSQ_ERR_*` code; system errors carry errno's text, read right away.
func describeResult(_ rc: Int32) -> String {
    if rc == MOSQ_ERR_ERRNO.rawValue {
        let number = errno
        return String(cString: strerror(number))
    }
    return String(cString: mosquitto_strerror(rc))
}

/// Text for a CONNACK refusal: 3.1.1 return codes (1-5) and MQTT 5 reason codes (>= 0x80) overlap
/// with nothing, but each has its own table in libmosquitto.
func describeConnack(_ code: Int32, protocolVersion: MQTTConfiguration.ProtocolVersion) -> String {
    switch protocolVersion {
    case .v311: String(cString: mosquitto_connack_string(code))
    case .v5: String(cString: mosquitto_reason_string(code))
    }
}

/// Text for the `rc` of on_disconnect: a server DISCONNECT reason code (MQTT 5, >= 0x80) or a
/// local `MOSQ_ERR_*` code (connection lost, keepalive timeout, ...).
func describeDisconnect(_ rc: Int32) -> String {
    rc >= 0x80 ? String(cString: mosquitto_reason_string(rc)) : describeResult(rc)
}
