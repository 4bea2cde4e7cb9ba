/// A problem in a configuration file (a theme, the key bindings), described in one line that
/// names the file and line: "dark.toml:12: unknown colour 'bleu'".
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var fileName: String
    /// 1-based line number.
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    public var description: String { "\(fileName):\(line): \(message)" }
}

/// A theme file's problem.
public typealias ThemeError = ConfigFileError
/// A key-binding file's problem.
public typealias KeyBindingsError = ConfigFileError
