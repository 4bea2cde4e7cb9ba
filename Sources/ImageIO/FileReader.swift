#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file into memory with the checks an image loader needs: a clear error for a missing
/// file, a directory, a permission problem or an empty file, and a cap on how much is read.
enum FileReader {
    /// The whole file, or its first `prefix` bytes when `prefix` is given. Files (or streams)
    /// longer than `limit` bytes are refused without reading them (streams: after `limit + 1`).
    /// `wasCut` tells whether the file goes on past what was returned.
    static func read(path: String, limit: Int, prefix: Int? = nil)
        throws(ImageError) -> (bytes: [UInt8], wasCut: Bool) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            if code == EISDIR { throw .isDirectory(path: path) }
            throw .unreadable(path: path, reason: message(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .unreadable(path: path, reason: message(errno))
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { throw .isDirectory(path: path) }
        let regular = type == S_IFREG
        let size = Int(info.st_size)
        if regular {
            if size == 0 { throw .emptyFile(path: path) }
            if size > limit { throw .fileTooLarge(path: path, bytes: size, limit: limit) }
        }
        // How much to read at most: the prefix asked for, else everything up to the limit
        // (plus one byte for a stream, to learn that it is too long).
        let wanted = min(prefix ?? Int.max, regular ? size : limit + 1)
        var bytes = [UInt8](repeating: 0, count: regular ? wanted : min(wanted, 1 << 20))
        var filled = 0
        while filled < wanted {
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, wanted - filled)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EISDIR { throw .isDirectory(path: path) }
                throw .unreadable(path: path, reason: message(code))
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        if filled == 0 { throw .emptyFile(path: path) }
        if !regular, prefix == nil, filled > limit {
            throw .fileTooLarge(path: path, bytes: nil, limit: limit)
        }
        let wasCut = regular ? filled < size : filled == wanted && prefix != nil
        return (bytes, wasCut)
    }

    /// The system's text for an errno value ("Permission denied").
    private static func message(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// libc's read(2), under a name the static `FileReader.read` does not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
