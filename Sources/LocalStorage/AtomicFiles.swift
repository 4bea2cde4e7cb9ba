import Glibc

/// Files written whole or not at all (temporary file, fsync, rename, folder fsync), copies made
/// the same way, and whole-file reads, on Glibc; failures carry the path and errno text.
public enum AtomicFiles {
    /// Writes everything in `bytes` to `fd`, retrying short writes and interrupts.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return true }
            let written = write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Makes `path` hold exactly what `fill` writes, or leaves it as it was: the data go to a
    /// temporary file in the same folder, which is fsynced, then renamed over `path` (rename is
    /// atomic within one file system); the folder is fsynced so the rename itself survives a crash.
    /// `fill` gets the temporary file's descriptor and returns false (with errno set) on failure.
    public static func writeAtomically(_ path: String, fill: (Int32) -> Bool) throws(FolderPaths.Failure) {
        let folder = FolderPaths.parentFolder(of: path)
        // A random suffix and O_EXCL: two writers of the same file never share a temporary file.
        let temporary = "\(folder)/.\(FolderPaths.lastComponent(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FolderPaths.Failure(path: path, reason: FolderPaths.errnoText()) }
        let filled = fill(fd)
        var code = errno
        let synced = filled && fsync(fd) == 0
        if filled && !synced { code = errno }
        close(fd)
        guard filled, synced else {
            unlink(temporary)
            throw FolderPaths.Failure(path: path, reason: FolderPaths.errnoText(code))
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FolderPaths.Failure(path: path, reason: FolderPaths.errnoText(code))
        }
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Writes `text` as UTF-8 to `path`, atomically.
    public static func writeText(_ text: String, to path: String) throws(FolderPaths.Failure) {
        var text = text
        try writeAtomically(path) { fd in
            text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }

    /// Writes `bytes` to `path`, atomically.
    public static func writeBytes(_ bytes: [UInt8], to path: String) throws(FolderPaths.Failure) {
        try writeAtomically(path) { fd in
            bytes.withUnsafeBytes { writeAll(fd, $0) }
        }
    }

    /// The whole file.
    public static func readAll(_ path: String) throws(FolderPaths.Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FolderPaths.Failure(path: path, reason: FolderPaths.errnoText()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FolderPaths.Failure(path: path, reason: FolderPaths.errnoText())
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// The outcome of copying one file.
    public enum CopyResult: Equatable {
        case copied
        /// The source could not be opened for reading (missing, a folder, no permission).
        case sourceUnreadable(String)
    }

    /// Copies `source` to `destination` atomically. A source that cannot be opened is reported,
    /// not thrown: the caller decides; a failure while reading it or writing the copy throws.
    public static func copyFile(from source: String, to destination: String) throws(FolderPaths.Failure) -> CopyResult {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return .sourceUnreadable(FolderPaths.errnoText()) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .sourceUnreadable("not a regular file")
        }
        var readFailed = false
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        do {
            try writeAtomically(destination) { output in
                while true {
                    guard let base = buffer.baseAddress else { return false }
                    let count = read(input, base, buffer.count)
                    if count == 0 { return true }
                    if count < 0 {
                        if errno == EINTR { continue }
                        readFailed = true
                        return false
                    }
                    guard writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else {
                        return false
                    }
                }
            }
        } catch {
            if readFailed { throw FolderPaths.Failure(path: source, reason: error.reason) }
            throw error
        }
        return .copied
    }
}
