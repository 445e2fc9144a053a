internal import CCurl

/// Why a transfer failed, sorted into what the operator (or the retry policy) can act on, with the
/// target's redacted URL and libcurl's own explanation in `description`.
package struct TransferError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// The host could not be resolved or did not accept the connection.
        case unreachable
        /// Login refused: wrong user or password, key not accepted.
        case authentication
        /// The server refused the remote path: directory missing, no permission, rename refused.
        case refusedPath
        /// The server has no room (FTP 452/552, SFTP/other "disk full" or quota).
        case remoteFull
        /// TLS failed: untrusted or mismatching certificate, handshake, server refused `AUTH TLS`.
        case tls
        /// SFTP: the server's host key is not the pinned or known one.
        case hostKey
        /// A connect or total time limit of the target passed.
        case timeout
        /// The webhook answered with a status outside 200...299.
        case httpStatus(Int)
        /// The call itself is wrong: bad file name, URL scheme not meant for this call, SFTP target
        /// without a host key check. Retrying will not help.
        case invalidRequest
        /// Any other libcurl failure, with its CURLcode.
        case other(Int32)
    }

    package var kind: Kind
    /// The target's URL without password.
    package var target: String
    /// What was attempted, e.g. "upload of 'x.txt'".
    package var operation: String
    /// libcurl's error text (CURLOPT_ERRORBUFFER, else curl_easy_strerror), or the start of the
    /// webhook's answer for `.httpStatus`.
    package var detail: String

    package init(_ kind: Kind, target: String, operation: String, detail: String) {
        self.kind = kind
        self.target = target
        self.operation = operation
        self.detail = detail
    }

    package var description: String {
        let what: String
        switch kind {
        case .unreachable: what = "cannot reach the server"
        case .authentication: what = "login refused (user, password or key)"
        case .refusedPath: what = "the server refused the path (missing directory or no permission)"
        case .remoteFull: what = "the server has no space left"
        case .tls: what = "TLS failed (certificate not trusted or handshake refused)"
        case .hostKey: what = "the SSH host key does not match the pinned/known key"
        case .timeout: what = "timed out"
        case .httpStatus(let code): what = "the server answered HTTP \(code)"
        case .invalidRequest: what = "invalid request"
        case .other(let code): what = "transfer failed (curl error \(code))"
        }
        return detail.isEmpty ? "\(operation) \(target): \(what)" : "\(operation) \(target): \(what): \(detail)"
    }
}

extension TransferError.Kind {
    /// Sorts a failed `curl_easy_perform` into a kind. `responseCode` is the server's last reply code
    /// (FTP reply or HTTP status; 0 for SFTP), which tells a full disk apart from a refused upload.
    init(curlCode code: CURLcode, scheme: String, responseCode: Int, uploading: Bool) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
            CURLE_FTP_CANT_GET_HOST, CURLE_FTP_ACCEPT_FAILED:
            self = .unreachable
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            self = .authentication
        case CURLE_OPERATION_TIMEDOUT, CURLE_FTP_ACCEPT_TIMEOUT:
            self = .timeout
        case CURLE_REMOTE_DISK_FULL:
            self = .remoteFull
        case CURLE_PEER_FAILED_VERIFICATION:
            // libcurl reports a rejected SSH host key with the same code as a rejected certificate.
            self = scheme == "sftp" ? .hostKey : .tls
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
            CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            self = .tls
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            self = .invalidRequest
        case CURLE_UPLOAD_FAILED, CURLE_PARTIAL_FILE, CURLE_FTP_COULDNT_RETR_FILE:
            // The FTP reply says why: 452/552 = no storage; 550/553 = not allowed / bad name. vsftpd and
            // pure-ftpd answer a failed write(2) with 451 ("Error during write to file"), not 452: after
            // an upload's data that is, in practice, a full disk or quota (the reply goes in the message).
            switch responseCode {
            case 452, 552: self = .remoteFull
            case 451 where uploading: self = .remoteFull
            case 450, 550, 553: self = .refusedPath
            default: self = .other(Int32(code.rawValue))
            }
        case CURLE_REMOTE_ACCESS_DENIED, CURLE_QUOTE_ERROR, CURLE_REMOTE_FILE_NOT_FOUND, CURLE_REMOTE_FILE_EXISTS:
            self = .refusedPath
        default:
            self = .other(Int32(code.rawValue))
        }
    }
}
