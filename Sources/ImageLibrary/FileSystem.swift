import Glibc

/// The few file operations the library needs, on Glibc. Failures carry the errno text.
enum FileSystem {
    /// What `stat` says about a file, following symlinks.
    struct Status: Sendable, Equatable {
        var isDirectory: Bool
        var isRegularFile: Bool
        var size: Int
        /// Nanoseconds since the epoch.
        var modificationTime: Int64
        var device: UInt64
        var inode: UInt64
    }

    static func errnoText(_ code: Int32 = errno) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// `stat` of `path` (symlinks followed), or the errno text.
    static func status(_ path: String) -> Result<Status, LibraryError> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(LibraryError(path: path, problem: errnoText()))
        }
        let type = info.st_mode & S_IFMT
        let time = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return .success(Status(isDirectory: type == S_IFDIR, isRegularFile: type == S_IFREG,
                               size: Int(info.st_size), modificationTime: time,
                               device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The absolute, symlink-free form of `path`, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The names in a folder, without "." and "..", sorted; nil when it cannot be opened.
    static func entries(of folder: String) -> [String]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The first `prefix` bytes of the file (fewer when it is shorter), or the whole file when
    /// `prefix` is nil; a file longer than `limit` bytes is refused.
    static func read(_ path: String, prefix: Int? = nil, limit: Int = .max) -> Result<[UInt8], LibraryError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(LibraryError(path: path, problem: "cannot read the file: \(errnoText())")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(LibraryError(path: path, problem: "not a regular file"))
        }
        if prefix == nil && Int(info.st_size) > limit {
            return .failure(LibraryError(path: path, problem: "the file is \(info.st_size) bytes, more than the \(limit)-byte limit"))
        }
        let wanted = prefix ?? Int.max
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < wanted {
            let room = min(chunk.count, wanted - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, room) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(LibraryError(path: path, problem: "cannot read the file: \(errnoText())"))
            }
            bytes.append(contentsOf: chunk[0..<count])
            if prefix == nil && bytes.count > limit {
                return .failure(LibraryError(path: path, problem: "the file is more than the \(limit)-byte limit"))
            }
        }
        return .success(bytes)
    }

    /// The file as text (invalid UTF-8 repaired), nil when it is missing or unreadable.
    static func readText(_ path: String, limit: Int = 1 << 20) -> String? {
        guard case .success(let bytes) = read(path, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Seconds since the epoch, now.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
