#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when released.
///
/// Mapping instead of reading means weights are paged in from the page cache on first use and
/// shared between processes, and opening a model costs only the header parse.
public final class MappedFile: @unchecked Sendable {
    /// First byte of the mapping (nil for an empty file, which cannot be mapped).
    public let base: UnsafeRawPointer?
    public let size: Int

    /// Maps the file at `path`; a regular file is required (a FIFO or directory is refused
    /// without blocking).
    public init(path: String) throws(ModelFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: systemMessage(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .unreadable(path: path, reason: systemMessage(errno))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw .unreadable(path: path, reason: kind)
        }
        guard let size = Int(exactly: info.st_size), size >= 0 else {
            throw .unreadable(path: path, reason: "size \(info.st_size) is not usable")
        }
        self.size = size
        if size == 0 {
            base = nil
            return
        }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
            throw .unreadable(path: path, reason: "mmap failed: \(systemMessage(errno))")
        }
        base = UnsafeRawPointer(mapping)
    }

    /// The mapped bytes (empty for an empty file).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }
}

/// The C library's text for an errno value.
func systemMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}
