/// A problem in a key-binding file, described in one line that names the file and line.
public struct KeyBindingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var fileName: String
    /// 1-based line number.
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    /// Like "keys.toml:3: unknown action 'qiut' for Ctrl-q".
    public var description: String { "\(fileName):\(line): \(message)" }
}
