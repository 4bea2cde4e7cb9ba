/// Why an image could not be attached: one line naming the file and the problem.
public struct ImageProbeFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The few outside facts the chat state needs, passed in so that the state stays pure and tests
/// can script them.
public struct ChatEnvironment: Sendable {
    /// Seconds on a monotonic clock.
    public var now: @Sendable () -> Double
    /// The user's home folder, for `~`.
    public var home: String
    public var fileExists: @Sendable (String) -> Bool
    /// A folder's entries, or nil when it cannot be listed (for Tab completion).
    public var listDirectory: @Sendable (String) -> [DirectoryEntry]?
    /// Reads an image file's header: its size, or why it cannot be used.
    public var probeImage: @Sendable (String) -> Result<AttachedImage, ImageProbeFailure>

    public init(now: @escaping @Sendable () -> Double, home: String,
                fileExists: @escaping @Sendable (String) -> Bool,
                listDirectory: @escaping @Sendable (String) -> [DirectoryEntry]?,
                probeImage: @escaping @Sendable (String) -> Result<AttachedImage, ImageProbeFailure>) {
        self.now = now
        self.home = home
        self.fileExists = fileExists
        self.listDirectory = listDirectory
        self.probeImage = probeImage
    }
}
