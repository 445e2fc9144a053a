internal import CCurl

/// libcurl's process-wide initialisation, run once on first use (a global `let` is initialised
/// lazily and thread-safely). It must happen before any easy handle exists, and never twice.
let globalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// Bytes handed to libcurl's read callback for an upload.
final class UploadSource {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// Bytes received from libcurl's write callback, up to `limit` (beyond it the transfer aborts
/// with CURLE_WRITE_ERROR rather than filling memory).
final class ReceivedBytes {
    var bytes: [UInt8] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }
}

/// One easy handle for one call: created, configured, performed, cleaned up. Not shared between
/// threads (libcurl easy handles must not be), so it needs no locking.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// The multi handle transfers run in (made on first use): it keeps the connection cache, so a
    /// reset handle finds the connection its last transfer left open.
    private var multi: UnsafeMutableRawPointer?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The server's reply lines (FTP) or response headers (HTTP), kept for error messages.
    private let replies = ReceivedBytes(limit: 64 << 10)

    /// nil when libcurl cannot initialise (out of memory, TLS library failure).
    init?() {
        guard globalInitResult == CURLE_OK, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        applyBaseOptions()
    }

    private func applyBaseOptions() {
        // Blocking calls on the caller's thread: no signals (no SIGALRM for DNS timeouts, no SIGPIPE).
        set(CURLOPT_NOSIGNAL, 1)
        _ = envmon_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = envmon_curl_setopt_header_function(handle, writeCallback)
        _ = envmon_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(replies).toOpaque())
    }

    /// Makes the handle ready for the next call: every option back to its default (then ours), the
    /// replies and error text of the last call forgotten, but its open connections kept (libcurl's
    /// `curl_easy_reset`), so the next transfer to the same server needs no new login.
    func reset() {
        curl_easy_reset(handle)
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll()
        errorBuffer[0] = 0
        replies.bytes.removeAll(keepingCapacity: true)
        applyBaseOptions()
    }

    deinit {
        if let multi { curl_multi_cleanup(multi) }
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = envmon_curl_setopt_long(handle, option, value)
    }

    func set(_ option: CURLoption, _ value: Bool) {
        set(option, value ? 1 : 0)
    }

    /// libcurl copies string options (since 7.17), so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String) {
        _ = envmon_curl_setopt_string(handle, option, value)
    }

    func set(_ option: CURLoption, _ value: Int64) {
        _ = envmon_curl_setopt_offset(handle, option, curl_off_t(value))
    }

    /// A string list option (quote commands, HTTP headers); the list lives as long as the handle.
    func set(_ option: CURLoption, _ values: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let appended = curl_slist_append(list, value) else { continue }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        _ = envmon_curl_setopt_slist(handle, option, list)
    }

    func set(_ option: CURLoption, milliseconds duration: Duration) {
        let (seconds, attoseconds) = duration.components
        set(option, max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)))
    }

    /// Runs the transfer with `source` feeding the upload and `sink` collecting the answer (both
    /// optional); they are only used during this call.
    func perform(uploading source: UploadSource? = nil, receivingInto sink: ReceivedBytes? = nil) -> CURLcode {
        if let source {
            _ = envmon_curl_setopt_read_function(handle, readCallback)
            _ = envmon_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
        }
        if let sink {
            _ = envmon_curl_setopt_write_function(handle, writeCallback)
            _ = envmon_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        }
        // `source` and `sink` stay alive until here: they are parameters of this call.
        return withExtendedLifetime((source, sink)) { runInMulti() }
    }

    /// `curl_easy_perform`, but driven through our own multi handle with a short poll: libcurl 7.88
    /// sometimes processes an FTP reply (EPSV/PASV on a reused connection) only when its poll times
    /// out, and `curl_easy_perform` polls for up to a second — a second lost per file in a backlog.
    private func runInMulti() -> CURLcode {
        if multi == nil { multi = curl_multi_init() }
        guard let multi else { return curl_easy_perform(handle) }
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else { return curl_easy_perform(handle) }
        defer { curl_multi_remove_handle(multi, handle) }
        var running: Int32 = 1
        while running > 0 {
            guard curl_multi_perform(multi, &running) == CURLM_OK else { return CURLE_FAILED_INIT }
            if running > 0 { _ = curl_multi_poll(multi, nil, 0, 10, nil) }
        }
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            if message.pointee.msg == CURLMSG_DONE, message.pointee.easy_handle == handle {
                return message.pointee.data.result
            }
        }
        return CURLE_FAILED_INIT
    }

    /// The server's last reply code: FTP reply (e.g. 552) or HTTP status; 0 when there was none.
    var responseCode: Int {
        var code = 0
        _ = envmon_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// libcurl's explanation of the last failure (or the generic text of `code`), followed for FTP by
    /// the server's last reply, which often says more ("451-Error during write to file").
    func errorText(_ code: CURLcode, includingLastReply: Bool) -> String {
        let buffered = String(cString: errorBuffer)
        let text = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        guard includingLastReply, let reply = lastReply, !text.contains(reply) else { return text }
        return "\(text); server said: \(reply)"
    }

    /// The last reply of an FTP server with its continuation lines ("NNN-" continues, "NNN " ends).
    var lastReply: String? {
        let lines = String(decoding: replies.bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { return nil }
        var start = lines.count - 1
        while start > 0, lines[start - 1].dropFirst(3).first == "-" { start -= 1 }
        return lines[start...].joined(separator: " ")
    }

    /// `text` percent-encoded for use as one URL path segment.
    func escape(_ text: String) -> String {
        guard let escaped = curl_easy_escape(handle, text, Int32(text.utf8.count)) else { return text }
        defer { curl_free(escaped) }
        return String(cString: escaped)
    }
}

private func readCallback(
    buffer: UnsafeMutablePointer<CChar>?, size: Int, count: Int, userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userData else { return Int(CURL_READFUNC_ABORT) }
    let source = Unmanaged<UploadSource>.fromOpaque(userData).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }  // end of the upload (an empty array has no base address)
    source.bytes.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}

private func writeCallback(
    buffer: UnsafeMutablePointer<CChar>?, size: Int, count: Int, userData: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let userData else { return 0 }
    let sink = Unmanaged<ReceivedBytes>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    // Returning less than `length` makes libcurl stop with CURLE_WRITE_ERROR.
    guard sink.bytes.count + length <= sink.limit else { return 0 }
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}
