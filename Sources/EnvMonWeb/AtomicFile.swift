internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reading and replacing a small file so that a reader (the running server) sees either the old
/// or the new contents, never a half-written file, even across a power cut: the new contents go to
/// a temporary file in the same directory, are flushed to disk, and are renamed over the old one.
enum AtomicFile {
    /// The file's bytes; nil when it does not exist.
    static func read(_ path: String) throws(StaffAccountsError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .fileSystem(file: path, action: "read", errno: errno)
        }
        defer { close(descriptor) }
        do {
            // No limit, so never nil: nil from this function means "no file".
            return try FileDescriptorReader.readAll(descriptor) ?? []
        } catch {
            throw .fileSystem(file: path, action: "read", errno: error.code)
        }
    }

    /// Replaces `path` with `contents`, with permissions `mode` whatever the umask. An existing
    /// file's owner and group are kept (the server reads the file through its group), and failing
    /// to keep them is an error rather than a file the server can no longer read.
    static func replace(_ path: String, with contents: [UInt8], mode: UInt32) throws(StaffAccountsError) {
        var template = Array("\(directory(of: path))/.\(baseName(of: path)).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .fileSystem(file: path, action: "create a temporary file beside", errno: errno)
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode_t(mode)) == 0 else {
                throw .fileSystem(file: temporary, action: "set the permissions of", errno: errno)
            }
            var existing = stat()
            if stat(path, &existing) == 0 {
                var created = stat()
                if fstat(descriptor, &created) == 0,
                    created.st_uid != existing.st_uid || created.st_gid != existing.st_gid,
                    fchown(descriptor, existing.st_uid, existing.st_gid) != 0
                {
                    throw .fileSystem(file: path, action: "keep the owner and group of", errno: errno)
                }
            }
            do {
                try FileDescriptorWriter.writeAll(contents, to: descriptor)
            } catch {
                throw .fileSystem(file: temporary, action: "write", errno: error.code)
            }
            guard fsync(descriptor) == 0 else { throw .fileSystem(file: temporary, action: "flush", errno: errno) }
        }
        guard rename(temporary, path) == 0 else {
            throw .fileSystem(file: path, action: "rename \(temporary) to", errno: errno)
        }
        renamed = true
        // The rename itself is only durable once the directory is flushed.
        let directoryDescriptor = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Runs `body` holding an exclusive lock on the file's directory, so that two `envmon users`
    /// commands at once cannot each read the file and lose the other's change. The directory,
    /// not the file, since the file is replaced (a lock on the old one would not cover the new).
    static func withDirectoryLock<Result>(
        of path: String, _ body: () throws(StaffAccountsError) -> Result
    ) throws(StaffAccountsError) -> Result {
        let directory = directory(of: path)
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .fileSystem(file: directory, action: "open the directory", errno: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .fileSystem(file: directory, action: "lock", errno: errno) }
        }
        return try body()
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func baseName(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
