/// Lists the files under a folder, recursively, the way a library scan wants them: hidden
/// names (starting with ".") skipped, symlinks followed but each real folder visited once (so a
/// link back up the tree cannot loop), only regular files returned, sorted by path.
enum FolderWalker {
    static func files(under root: String) -> [String] {
        var visited = Set<[UInt64]>()
        var found: [String] = []
        walk(root, visited: &visited, found: &found)
        return found.sorted()
    }

    private static func walk(_ folder: String, visited: inout Set<[UInt64]>, found: inout [String]) {
        guard case .success(let status) = FileSystem.status(folder),
              visited.insert([status.device, status.inode]).inserted,
              let names = FileSystem.entries(of: folder) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = PathParts.join(folder, name)
            guard case .success(let status) = FileSystem.status(path) else { continue }  // dangling link
            if status.isDirectory {
                walk(path, visited: &visited, found: &found)
            } else if status.isRegularFile {
                found.append(path)
            }
        }
    }
}
