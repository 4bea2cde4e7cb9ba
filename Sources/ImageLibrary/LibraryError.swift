/// A failure of the image library, told in one line that names the file or folder,
/// e.g. "/home/me/Photos: no such folder".
public struct LibraryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, folder or database concerned.
    public var path: String
    /// What went wrong, without the path.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(Self.oneLine(path)): \(Self.oneLine(problem))" }

    /// Messages from SQLite, decoders or the system may span lines; the user sees one.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }
}
