internal import CCurl

// The three calls of the outbox. Each one opens its own libcurl session, does its work, and closes it.
// With a `ConnectionCache` a call finds the connection the previous one left open (an FTP control
// connection stays logged in, an SSH session stays up): a backlog after an outage then goes out
// without a login per file, which servers that hash passwords slowly make costly (pure-ftpd: ~2.5 s).
//
// All three BLOCK the calling thread until the server answered or a time limit of the target
// passed (`connectTimeout`, `timeout`). Call them from a thread of your own, not from Swift's
// cooperative pool.

/// Uploads `contents` as `fileName` into the directory `target.url`, so that the receiver never sees a
/// partial file: the bytes go to `.<fileName>.part` first, then, in the same session, are renamed to
/// `fileName` (FTP `RNFR`/`RNTO`, SFTP `rename`), replacing an existing `fileName`.
///
/// Returns only after the server confirmed both the upload and the rename. A failure may leave a
/// `.<fileName>.part` behind; the next upload of the same name overwrites it.
///
/// SFTP servers (OpenSSH) refuse to rename onto an existing file, so over SFTP an existing `fileName`
/// is removed just before the rename: for that instant the name is absent, but it is never partial.
package func upload(
    _ contents: [UInt8], named fileName: String, to target: TransferTarget, connections: ConnectionCache? = nil
) throws(TransferError) {
    let session = try Session(
        target, operation: "upload of '\(fileName)' to", fileTransfer: true, uploading: true, connections: connections)
    try session.checkFileName(fileName)
    let partName = ".\(fileName).part"
    let easy = session.easy
    easy.set(CURLOPT_URL, session.directoryURL + easy.escape(partName))
    easy.set(CURLOPT_UPLOAD, true)
    easy.set(CURLOPT_INFILESIZE_LARGE, Int64(contents.count))
    if target.createMissingDirectories {
        easy.set(CURLOPT_FTP_CREATE_MISSING_DIRS, Int(CURLFTP_CREATE_DIR_RETRY.rawValue))
    }
    if session.parsed.scheme == "sftp" {
        // Quote commands take paths, not URLs: absolute, or relative to the login's home for "/~/".
        var directory = session.parsed.path
        if directory.hasPrefix("/~/") { directory.removeFirst(3) }
        if !directory.isEmpty && !directory.hasSuffix("/") { directory += "/" }
        let finalPath = sftpQuoted(directory + fileName)
        // "*": a failing rm (no file to replace) does not fail the transfer.
        easy.set(CURLOPT_POSTQUOTE, ["*rm \(finalPath)", "rename \(sftpQuoted(directory + partName)) \(finalPath)"])
    } else {
        // The FTP session is in the target directory after the upload (curl changed into it).
        easy.set(CURLOPT_POSTQUOTE, ["RNFR \(partName)", "RNTO \(fileName)"])
    }
    let code = easy.perform(uploading: UploadSource(contents))
    guard code == CURLE_OK else { throw session.failure(code) }
}

/// The bytes of `fileName` in the directory `target.url`, or nil when the server says the file does
/// not exist (so that after a crash the outbox can check whether an unrecorded upload arrived).
/// Every other failure throws, a missing FTP directory included (`.refusedPath`).
///
/// Files larger than 64 MiB fail with `.other`: this is for the outbox's small files.
package func download(
    named fileName: String, from target: TransferTarget, connections: ConnectionCache? = nil
) throws(TransferError) -> [UInt8]? {
    let session = try Session(
        target, operation: "download of '\(fileName)' from", fileTransfer: true, connections: connections)
    try session.checkFileName(fileName)
    let easy = session.easy
    easy.set(CURLOPT_URL, session.directoryURL + easy.escape(fileName))
    let received = ReceivedBytes(limit: 64 << 20)
    let code = easy.perform(receivingInto: received)
    if code == CURLE_OK { return received.bytes }
    // FTP 550 on RETR and SFTP "no such file" both come back as CURLE_REMOTE_FILE_NOT_FOUND; a missing
    // FTP directory fails earlier, on CWD, with CURLE_REMOTE_ACCESS_DENIED.
    if code == CURLE_REMOTE_FILE_NOT_FOUND { return nil }
    throw session.failure(code)
}

/// POSTs `body` to the webhook `target.url` and returns the HTTP status (200...299). Redirects are not
/// followed. Any other status throws `.httpStatus(code)` with the start of the server's answer.
@discardableResult
package func post(
    _ body: [UInt8], to target: TransferTarget, contentType: String = "application/json",
    headers: [String: String] = [:], connections: ConnectionCache? = nil
) throws(TransferError) -> Int {
    let session = try Session(target, operation: "POST to", fileTransfer: false, connections: connections)
    let easy = session.easy
    easy.set(CURLOPT_URL, target.url)
    easy.set(CURLOPT_POST, true)
    easy.set(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
    let headerLines: [(name: String, value: String)] =
        [("Content-Type", contentType)] + headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    for line in headerLines where !isHeaderSafe(line.name) || !isHeaderSafe(line.value) {
        throw TransferError(
            .invalidRequest, target: target.redactedURL, operation: session.operation,
            detail: "header '\(line.name)' contains a line break or control character")
    }
    // "Expect:" off: no 100-continue round trip for small bodies.
    easy.set(CURLOPT_HTTPHEADER, headerLines.map { "\($0.name): \($0.value)" } + ["Expect:"])
    let answer = ReceivedBytes(limit: 1 << 20)
    // A copy of the body for libcurl's read callback: POSTFIELDS would need a pointer valid for the call.
    let code = easy.perform(uploading: UploadSource(body), receivingInto: answer)
    guard code == CURLE_OK else { throw session.failure(code) }
    let status = easy.responseCode
    guard (200...299).contains(status) else {
        let start = String(decoding: answer.bytes.prefix(200), as: UTF8.self)
        throw TransferError(
            .httpStatus(status), target: target.redactedURL, operation: session.operation, detail: start)
    }
    return status
}

/// What every call shares: a configured easy handle and the error wording for this target.
private struct Session {
    let target: TransferTarget
    let parsed: ParsedURL
    let operation: String
    /// A file upload (an FTP 451 then means the server could not write it).
    let uploading: Bool
    let easy: CurlEasy

    init(
        _ target: TransferTarget, operation: String, fileTransfer: Bool, uploading: Bool = false,
        connections: ConnectionCache? = nil
    ) throws(TransferError) {
        self.target = target
        self.uploading = uploading
        self.operation = operation
        guard let parsed = ParsedURL(target.url) else {
            throw TransferError(
                .invalidRequest, target: "<unparsable URL>", operation: operation, detail: "the URL cannot be parsed")
        }
        self.parsed = parsed
        guard fileTransfer ? parsed.isFileTransfer : parsed.isHTTP else {
            let expected = fileTransfer ? "ftp, ftps or sftp" : "http or https"
            throw TransferError(
                .invalidRequest, target: parsed.redacted, operation: operation,
                detail: "scheme '\(parsed.scheme)' is not \(expected)")
        }
        if parsed.scheme == "sftp" && target.hostPublicKeySHA256 == nil && target.knownHostsFile == nil {
            throw TransferError(
                .invalidRequest, target: parsed.redacted, operation: operation,
                detail: "SFTP needs hostPublicKeySHA256 or knownHostsFile: the server's identity would go unchecked")
        }
        guard
            let easy = connections.map({ cache in
                cache.easy.reset()
                return cache.easy
            }) ?? CurlEasy()
        else {
            throw TransferError(
                .other(Int32(CURLE_FAILED_INIT.rawValue)), target: parsed.redacted, operation: operation,
                detail: "libcurl could not be initialised")
        }
        self.easy = easy
        easy.set(CURLOPT_PROTOCOLS_STR, fileTransfer ? "ftp,ftps,sftp" : "http,https")
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds: target.connectTimeout)
        easy.set(CURLOPT_TIMEOUT_MS, milliseconds: target.timeout)
        if let username = target.username { easy.set(CURLOPT_USERNAME, username) }
        if let password = target.password { easy.set(CURLOPT_PASSWORD, password) }
        if let caFile = target.caFile { easy.set(CURLOPT_CAINFO, caFile) }
        if target.requireTLS { easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if parsed.scheme == "sftp" {
            var authTypes = 0
            if let privateKey = target.privateKeyFile {
                easy.set(CURLOPT_SSH_PRIVATE_KEYFILE, privateKey)
                authTypes |= Int(CURLSSH_AUTH_PUBLICKEY)
            }
            if let publicKey = target.publicKeyFile { easy.set(CURLOPT_SSH_PUBLIC_KEYFILE, publicKey) }
            if target.password != nil { authTypes |= Int(CURLSSH_AUTH_PASSWORD) }
            if authTypes != 0 { easy.set(CURLOPT_SSH_AUTH_TYPES, authTypes) }
            if var pin = target.hostPublicKeySHA256 {
                if pin.hasPrefix("SHA256:") { pin.removeFirst("SHA256:".count) }
                while pin.hasSuffix("=") { pin.removeLast() }
                easy.set(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, pin)
            }
            if let knownHosts = target.knownHostsFile { easy.set(CURLOPT_SSH_KNOWNHOSTS, knownHosts) }
        }
    }

    /// The target URL as a directory (with a trailing "/"), ready for a percent-encoded file name.
    var directoryURL: String { target.url.hasSuffix("/") ? target.url : target.url + "/" }

    /// A file name must be one path element without characters that could end an FTP command line
    /// (CR/LF would inject commands into RNFR/RNTO) or a quoted SFTP path.
    func checkFileName(_ name: String) throws(TransferError) {
        let bad =
            name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\"")
            || name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
        if bad {
            throw TransferError(
                .invalidRequest, target: parsed.redacted, operation: operation,
                detail: "not a plain file name (empty, '/', quote or control character)")
        }
    }

    func failure(_ code: CURLcode) -> TransferError {
        let kind = TransferError.Kind(
            curlCode: code, scheme: parsed.scheme, responseCode: easy.responseCode, uploading: uploading)
        return TransferError(
            kind, target: parsed.redacted, operation: operation,
            detail: easy.errorText(code, includingLastReply: parsed.scheme.hasPrefix("ftp")))
    }
}

/// A path in double quotes for an SFTP quote command (libcurl unescapes `\"` and `\\` inside).
private func sftpQuoted(_ path: String) -> String {
    "\"" + path.replacingOccurrences("\\", with: "\\\\").replacingOccurrences("\"", with: "\\\"") + "\""
}

private func isHeaderSafe(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7f }
}

extension String {
    /// Foundation-free replacement (Transfer does not link Foundation).
    fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

/// Connections kept open between calls to one target: one libcurl easy handle (with the multi
/// handle it runs in), reset and reused for every call, so libcurl finds the connection the last
/// call left logged in. Use it from one thread at a time: the outbox has one sending thread per
/// target.
package final class ConnectionCache: @unchecked Sendable {
    let easy: CurlEasy

    /// nil when libcurl cannot initialise.
    package init?() {
        guard let easy = CurlEasy() else { return nil }
        self.easy = easy
    }
}
