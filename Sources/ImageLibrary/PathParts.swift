/// Path string helpers (no Foundation in library code).
enum PathParts {
    /// The folder holding `path` ("." for a bare name, "/" for a file at the root).
    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = path[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// The last path component.
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

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
