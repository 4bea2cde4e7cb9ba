import Glibc

/// Path strings and folder creation on Glibc (no Foundation in library code).
public enum FolderPaths {
    /// A folder that could not be made: which one and why, for one-line messages.
    public struct Failure: Error, Sendable, Equatable {
        public var path: String
        public var reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// The folder holding `path` ("." for a bare name, "/" for a file at the root).
    public static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = path[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// The last path component.
    public static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The text for `errno`, e.g. "No such file or directory".
    public static func errnoText(_ code: Int32 = errno) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// `mkdir -p`: creates `path` and any missing parents.
    public static func makeDirectories(_ path: String) throws(Failure) {
        if path.isEmpty || isDirectory(path) { return }
        let parent = parentFolder(of: path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 {
            let code = errno
            // Another process may have made it meanwhile.
            if code == EEXIST, isDirectory(path) { return }
            if code == EEXIST { throw Failure(path: path, reason: "a file is in the way") }
            throw Failure(path: path, reason: errnoText(code))
        }
    }
}
