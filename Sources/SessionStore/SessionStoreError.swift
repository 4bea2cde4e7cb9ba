import LocalStorage

/// A failure of the session database, told in one line that names the database file,
/// e.g. "/home/me/.local/share/xcomposer/xcomposer.sqlite: file is not a database".
public struct SessionStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The database file.
    public var path: String
    /// What went wrong, without the path.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(singleLine(problem))" }
}
