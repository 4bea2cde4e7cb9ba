import Glibc
import LocalStorage

/// The few file operations the store and the exporter need, on Glibc (no Foundation in library
/// code). Each failure carries the errno text, for one-line messages.
enum PosixFiles {
    /// A failed call: which path and why.
    struct Failure: Error, Sendable, Equatable {
        var path: String
        var reason: String
    }

    /// The text for `errno`, e.g. "No such file or directory".
    static func errnoText(_ code: Int32 = errno) -> String { FolderPaths.errnoText(code) }

    static func parentFolder(of path: String) -> String { FolderPaths.parentFolder(of: path) }
    static func lastComponent(of path: String) -> String { FolderPaths.lastComponent(of: path) }
    static func isDirectory(_ path: String) -> Bool { FolderPaths.isDirectory(path) }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(Failure) {
        do {
            try FolderPaths.makeDirectories(path)
        } catch {
            throw Failure(path: error.path, reason: error.reason)
        }
    }

    /// Writes everything in `bytes` to `fd`, retrying short writes and interrupts.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
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
    static func writeAtomically(_ path: String, fill: (Int32) -> Bool) throws(Failure) {
        let folder = parentFolder(of: path)
        // A random suffix and O_EXCL: two writers of the same file never share a temporary file.
        let temporary = "\(folder)/.\(lastComponent(of: path)).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: errnoText()) }
        let filled = fill(fd)
        var code = errno
        let synced = filled && fsync(fd) == 0
        if filled && !synced { code = errno }
        close(fd)
        guard filled, synced else {
            unlink(temporary)
            throw Failure(path: path, reason: errnoText(code))
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure(path: path, reason: errnoText(code))
        }
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Writes `text` as UTF-8 to `path`, atomically.
    static func writeText(_ text: String, to path: String) throws(Failure) {
        var text = text
        try writeAtomically(path) { fd in
            text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }

    /// The outcome of copying one file.
    enum CopyResult: Equatable {
        case copied
        /// The source could not be opened for reading (missing, a folder, no permission).
        case sourceUnreadable(String)
    }

    /// Copies `source` to `destination` atomically. A source that cannot be opened is reported,
    /// not thrown: the caller decides; a failure while reading it or writing the copy throws.
    static func copyFile(from source: String, to destination: String) throws(Failure) -> CopyResult {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return .sourceUnreadable(errnoText()) }
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
            if readFailed { throw Failure(path: source, reason: error.reason) }
            throw error
        }
        return .copied
    }
}
