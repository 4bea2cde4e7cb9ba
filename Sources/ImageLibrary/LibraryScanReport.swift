/// Where a scan is: image `current` (from 1) of `total` is being handled, the file at `path`.
public struct LibraryScanProgress: Sendable, Equatable {
    public var current: Int
    public var total: Int
    public var path: String

    public init(current: Int, total: Int, path: String) {
        self.current = current
        self.total = total
        self.path = path
    }
}

/// What a scan changed.
public struct LibraryScanReport: Sendable, Equatable {
    /// New files indexed.
    public var added = 0
    /// Files whose contents or caption changed, re-read.
    public var updated = 0
    /// Files found at a new path with the contents of a file gone from its old one: the row kept.
    public var moved = 0
    /// Rows of files no longer in the folder, deleted.
    public var removed = 0
    /// Files with the same size and modification time as when last indexed.
    public var unchanged = 0
    /// One-line errors for files that could not be indexed (corrupt images, unreadable
    /// files, a broken captions.json); the scan went on past each.
    public var failures: [LibraryError] = []

    public init() {}

    public var failed: Int { failures.count }

    /// "16 images: 3 added, 1 updated, 0 moved, 2 removed, 10 unchanged, 1 failed".
    public var summary: String {
        let indexed = added + updated + moved + unchanged
        return "\(indexed) image\(indexed == 1 ? "" : "s"): \(added) added, \(updated) updated, "
            + "\(moved) moved, \(removed) removed, \(unchanged) unchanged, \(failed) failed"
    }
}
