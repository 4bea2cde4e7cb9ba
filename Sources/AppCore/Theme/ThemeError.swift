/// A problem in a theme file, described in one line that names the file and line.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var fileName: String
    /// 1-based line number.
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    /// Like "dark.toml:12: unknown colour 'bleu'".
    public var description: String { "\(fileName):\(line): \(message)" }
}
