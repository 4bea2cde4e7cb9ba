import Foundation

/// A detached tmux session running a plain shell, driven the way a person types: `send-keys`
/// in, `capture-pane` out. Each test gets its own tmux server socket, so tests never see each
/// other's sessions or the developer's.
final class TmuxSession {
    let socket: String
    let name = "xc"
    let home: URL

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    /// Starts `sh` in a `columns` x `rows` window with a recognisable prompt and its own config,
    /// data and cache-free home for the app.
    init(columns: Int = 120, rows: Int = 40) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("xc-tmux-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        home = base
        socket = base.appendingPathComponent("tmux.sock").path
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)",
                  "env", "-i", "HOME=\(base.path)", "PATH=/usr/bin:/bin", "TERM=tmux-256color", "LANG=C.UTF-8",
                  "LC_ALL=C.UTF-8", "XDG_CONFIG_HOME=\(base.path)/config", "XDG_DATA_HOME=\(base.path)/data",
                  "XDG_CACHE_HOME=\(Self.cacheHome)", "PS1=PROMPT$ ", "sh"])
        try tmux(["set-option", "-t", name, "status", "off"])
        try waitFor(timeout: 10) { $0.contains("PROMPT$") }
    }

    /// The cache the real set-up filled (the default model lives there).
    static var cacheHome: String {
        if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache").path
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: home)
    }

    /// Runs a tmux command against this session's server and returns what it printed.
    ///
    /// Spawned with posix_spawn and reaped with waitpid, its output going to a file: the first
    /// command starts the tmux server, which outlives the client and would keep a pipe (or
    /// Foundation's process monitor) waiting for as long as it runs.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let outputPath = home.appendingPathComponent("tmux-output-\(UUID().uuidString.prefix(8))").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["/usr/bin/tmux", "-S", socket] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TmuxTimeout(what: "tmux to start (error \(spawned))", screen: "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Types text literally (no key names).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Presses keys by tmux name: "Enter", "Escape", "C-q", "F1", "PageUp".
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Sends a bracketed paste, as a terminal does when text is pasted or a file dropped.
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "-b", "xcpaste", text])
        try tmux(["paste-buffer", "-p", "-b", "xcpaste", "-t", name])
    }

    /// The screen as text, one string per row.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// The screen with its escape sequences (colours), as `capture-pane -e` shows it.
    func screenWithColours() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// What the app wrote to the terminal (recorded through `pipe-pane` into `path`), once it
    /// holds a whole sixel DCS (`ESC P … ESC \\`) or `timeout` seconds have passed.
    func rawOutput(at path: String, waitingForSixelIn timeout: TimeInterval) -> Data {
        let deadline = Date().addingTimeInterval(timeout)
        var bytes = Data()
        while Date() < deadline {
            bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
            if bytes.range(of: Data("\u{1B}\\".utf8)) != nil, bytes.range(of: Data("\u{1B}P".utf8)) != nil { break }
            usleep(100_000)
        }
        return bytes
    }

    /// Waits until the screen satisfies `condition`; throws with the last screen on timeout.
    @discardableResult
    func waitFor(timeout: TimeInterval, _ what: String = "condition", _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        throw TmuxTimeout(what: what, screen: last)
    }
}

struct TmuxTimeout: Error, CustomStringConvertible {
    let what: String
    let screen: String
    var description: String { "timed out waiting for \(what); the screen was:\n\(screen)" }
}

func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
