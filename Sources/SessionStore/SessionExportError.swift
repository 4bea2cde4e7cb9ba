/// A failed export, in one line naming the file: "/home/me/chat.md: Permission denied".
public struct SessionExportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or folder that could not be written or read.
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
