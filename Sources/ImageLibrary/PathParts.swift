import LocalStorage

/// Path string helpers (no Foundation in library code).
enum PathParts {
    static func parentFolder(of path: String) -> String { FolderPaths.parentFolder(of: path) }
    static func lastComponent(of path: String) -> String { FolderPaths.lastComponent(of: path) }

    /// The file name without its last extension: "cat.png" → "cat", ".x" and "x" unchanged.
    static func stem(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `child` joined to `folder` with one slash.
    static func join(_ folder: String, _ child: String) -> String {
        folder.hasSuffix("/") ? folder + child : folder + "/" + child
    }
}
