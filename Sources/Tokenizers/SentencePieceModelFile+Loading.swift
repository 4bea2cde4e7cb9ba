#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SentencePieceModelFile {
    /// The largest file read (real SentencePiece models are a few MiB at most).
    public static let maximumFileSize = 256 << 20

    /// Reads and parses the SentencePiece model at `path` (errors name the path).
    /// - Throws: `SentencePieceModelError.unreadable` when the file cannot be read, is not a
    ///   regular file or is larger than `maximumFileSize`; otherwise as `parse`.
    public init(contentsOf path: String) throws(SentencePieceModelError) {
        self = try Self.parse(try Self.readFile(path), name: path)
    }

    /// The whole file's bytes.
    static func readFile(_ path: String) throws(SentencePieceModelError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(name: path, reason: Self.systemMessage(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(name: path, reason: Self.systemMessage(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw .unreadable(name: path, reason: kind)
        }
        guard let size = Int(exactly: info.st_size), size <= maximumFileSize else {
            throw .unreadable(name: path, reason: "file of \(info.st_size) bytes is larger than a SentencePiece model can be "
                + "(\(maximumFileSize) bytes)")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + filled, size - filled)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let reason = count == 0 ? "file shrank while being read" : Self.systemMessage(errno)
                throw .unreadable(name: path, reason: reason)
            }
            filled += count
        }
        return bytes
    }

    private static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
