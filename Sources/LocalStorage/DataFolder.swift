import Glibc

/// Where XComposer keeps its own files: the XDG data folder.
public enum DataFolder {
    /// `$XDG_DATA_HOME/xcomposer/NAME`, or `~/.local/share/xcomposer/NAME` when XDG_DATA_HOME is
    /// unset, empty or relative (which the XDG spec says to ignore).
    public static func path(of name: String) -> String {
        path(of: name, environment: { variable in getenv(variable).map { String(cString: $0) } })
    }

    /// `path(of:)` with the environment given, for tests.
    public static func path(of name: String, environment: (String) -> String?) -> String {
        if let data = environment("XDG_DATA_HOME"), data.hasPrefix("/") {
            return "\(data)/xcomposer/\(name)"
        }
        let home = environment("HOME").flatMap { $0.isEmpty ? nil : $0 } ?? homeFromPasswd() ?? "."
        return "\(home)/.local/share/xcomposer/\(name)"
    }

    private static func homeFromPasswd() -> String? {
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
