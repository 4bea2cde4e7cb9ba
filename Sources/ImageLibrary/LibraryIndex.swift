import GRDB
import Glibc
import LocalStorage

/// The user's own photos, indexed in one SQLite file (WAL mode): path, size, modification
/// time, content hash, upright size, a thumbnail and a caption per image, ready to be
/// retrieved by caption (`LibrarySearch`).
///
/// Every method is safe to call from any thread. Each image is written in its own transaction,
/// so a scan stopped half-way leaves a consistent index that the next scan completes.
public final class LibraryIndex: Sendable {
    /// The database file.
    public let path: String
    private let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// `$XDG_DATA_HOME/xcomposer/library.sqlite` (see `DataFolder`).
    public static func defaultPath() -> String { DataFolder.path(of: "library.sqlite") }

    /// `defaultPath()` with the environment given, for tests.
    static func defaultPath(environment: (String) -> String?) -> String {
        DataFolder.path(of: "library.sqlite", environment: environment)
    }

    /// Opens (creating if needed) the index at `path`, creating its parent folders, and brings
    /// its schema up to date. A file that is not an SQLite database gives an error naming `path`.
    public static func open(path: String) throws(LibraryError) -> LibraryIndex {
        do {
            try FolderPaths.makeDirectories(FolderPaths.parentFolder(of: path))
        } catch {
            throw LibraryError(path: path, problem: "cannot create folder \(error.path): \(error.reason)")
        }
        var configuration = Configuration()
        configuration.label = "LibraryIndex"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try LibrarySchema.migrator.migrate(pool)
        } catch {
            throw databaseError(error, path: path)
        }
        return LibraryIndex(path: path, pool: pool)
    }

    /// Every indexed image, by path.
    public func all() throws(LibraryError) -> [LibraryImage] {
        try run { try pool.read { db in try ImageRows.all(in: db) } }
    }

    /// The image indexed at `path` (absolute, as stored), nil when there is none.
    public func image(path: String) throws(LibraryError) -> LibraryImage? {
        try run { try pool.read { db in try ImageRows.image(path: path, in: db) } }
    }

    /// How many images are indexed.
    public func count() throws(LibraryError) -> Int {
        try run { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM image") ?? 0 } }
    }

    /// Sets the caption of the image at `path`, e.g. one written by a captioning model. Scans
    /// keep it unless a caption file (sidecar, captions.json) or one inside the image appears.
    /// A caption that is not file-based (a model's) never replaces a file-based one: the
    /// person's own words win, so the call leaves such an image alone and returns false.
    /// An empty caption clears it (source `none`). No image at `path` is an error.
    /// - Returns: whether the caption was stored.
    @discardableResult
    public func setCaption(_ caption: String, for path: String, source: CaptionSource = .model) throws(LibraryError) -> Bool {
        let cleaned = CaptionText.clean(caption)
        let protected = CaptionSource.allCases.filter(\.isFileBased).map(\.rawValue)
        let outcome: Bool? = try run {
            try pool.write { db in
                guard let current = try String.fetchOne(db, sql: "SELECT caption_source FROM image WHERE path = ?",
                                                        arguments: [path]) else { return nil }
                if !source.isFileBased, protected.contains(current) { return false }
                try db.execute(
                    sql: "UPDATE image SET caption = ?, caption_source = ?, indexed_at = ? WHERE path = ?",
                    arguments: [cleaned, cleaned == nil ? CaptionSource.none.rawValue : source.rawValue,
                                FileSystem.now(), path])
                return true
            }
        }
        guard let outcome else { throw LibraryError(path: path, problem: "not in the image library") }
        return outcome
    }

    /// Brings the index up to date with `folder` (see `LibraryScan`): new images added, changed
    /// ones re-read, moved ones (same bytes at a new path) keep their row, vanished ones removed.
    /// A missing folder or a file given instead throws; a bad image inside is reported in the
    /// returned report and the scan goes on. `progress` is called before each image is handled.
    public func scan(folder: String, progress: (LibraryScanProgress) -> Void = { _ in })
        throws(LibraryError) -> LibraryScanReport {
        let root = try LibraryScan.resolveFolder(folder)
        return try run { try LibraryScan(root: root, pool: pool).run(progress: progress) }
    }

    /// Runs a database call, turning whatever it throws into a `LibraryError` naming the file.
    private func run<T>(_ body: () throws -> T) throws(LibraryError) -> T {
        do {
            return try body()
        } catch {
            throw Self.databaseError(error, path: path)
        }
    }

    static func databaseError(_ error: any Error, path: String) -> LibraryError {
        if let error = error as? LibraryError { return error }
        if let error = error as? ImageRows.DamagedRow {
            return LibraryError(path: path, problem: "unreadable library data: \(error.message)")
        }
        if let error = error as? DatabaseError {
            // GRDB's description adds the SQL; the user needs SQLite's message only.
            return LibraryError(path: path, problem: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
        return LibraryError(path: path, problem: String(describing: error))
    }
}
