import LocalStorage

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

    public var description: String { "\(singleLine(path)): \(singleLine(problem))" }
}
