import AppCore
import Glibc

/// A configuration problem, worded for one line.
struct ConfigError: Error {
    let message: String
}

/// Finds and reads the user's configuration: themes and key bindings.
///
/// Themes are looked up by name in the config folder (`$XDG_CONFIG_HOME/xcomposer/themes`), then in
/// the `themes/` folder shipped beside the program (found by walking up from the executable, so a
/// build in `.build/release` finds the repository's themes), then the built-in dark theme.
enum ConfigFiles {
    static var configDirectory: String {
        if let xdg = getenv("XDG_CONFIG_HOME").map({ String(cString: $0) }), !xdg.isEmpty {
            return xdg + "/xcomposer"
        }
        return (getenv("HOME").map { String(cString: $0) } ?? ".") + "/.config/xcomposer"
    }

    static func theme(named name: String) throws -> Theme {
        let candidates: [String]
        if name.hasSuffix(".toml") || name.contains("/") {
            candidates = [name]
        } else {
            candidates = [configDirectory + "/themes/\(name).toml"] + shippedThemeDirectories().map { $0 + "/\(name).toml" }
        }
        for path in candidates where FileSystem.isRegularFile(path) {
            let source: String
            do { source = try TextFile.readUTF8(path: path) } catch { throw ConfigError(message: "\(error)") }
            do {
                return try ThemeParser.parse(source, fileName: path)
            } catch {
                throw ConfigError(message: "\(error)")
            }
        }
        if name == "dark" { return Theme.builtIn }
        if candidates.count == 1 { throw ConfigError(message: "\(name): no such theme file") }
        throw ConfigError(message: "--theme: no theme named '\(name)' (looked in \(configDirectory)/themes and the shipped themes)")
    }

    /// `bindings.toml` in the config folder over the defaults.
    static func keyBindings() throws -> KeyBindings {
        let path = configDirectory + "/bindings.toml"
        guard FileSystem.isRegularFile(path) else { return .defaults }
        do {
            let source = try TextFile.readUTF8(path: path)
            return try KeyBindings.parse(source, fileName: path)
        } catch {
            throw ConfigError(message: "\(error)")
        }
    }

    private static func shippedThemeDirectories() -> [String] {
        var result: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return ["themes"] }
        var directory = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for _ in 0..<5 {
            guard let slash = directory.lastIndex(of: "/") else { break }
            directory = String(directory[..<slash])
            result.append(directory + "/themes")
            result.append(directory + "/share/xcomposer/themes")
        }
        return result
    }
}

/// The few file-system questions the app asks.
enum FileSystem {
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func list(_ directory: String) -> [DirectoryEntry]? {
        guard let handle = opendir(directory.isEmpty ? "." : directory) else { return nil }
        defer { closedir(handle) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_LNK) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                isDirectory = stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append(DirectoryEntry(name: name, isDirectory: isDirectory))
            if entries.count > 10_000 { break }
        }
        return entries
    }
}
