import AppCore
import GRDB
import Glibc
import LocalStorage

/// Chat sessions in one SQLite file (WAL mode): saved whole after every change (autosave),
/// listed newest first, loaded to resume, deleted.
///
/// Every method is safe to call from any thread; saving is one transaction, so a crash or error
/// in the middle of a save leaves the previous version of the session intact.
public final class SessionStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// `$XDG_DATA_HOME/xcomposer/xcomposer.sqlite` (see `DataFolder`).
    public static func defaultPath() -> String { DataFolder.path(of: "xcomposer.sqlite") }

    /// `defaultPath()` with the environment given, for tests.
    static func defaultPath(environment: (String) -> String?) -> String {
        DataFolder.path(of: "xcomposer.sqlite", environment: environment)
    }

    /// Opens (creating if needed) the database at `path`, creating its parent folders, and brings
    /// its schema up to date. A file that is not an SQLite database, or a folder that cannot be
    /// made, gives an error naming `path`.
    public static func open(path: String) throws(SessionStoreError) -> SessionStore {
        let folder = FolderPaths.parentFolder(of: path)
        do {
            try FolderPaths.makeDirectories(folder)
        } catch {
            throw SessionStoreError(path: path, problem: "cannot create folder \(error.path): \(error.reason)")
        }
        var configuration = Configuration()
        configuration.label = "SessionStore"
        configuration.foreignKeysEnabled = true
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SessionSchema.migrator.migrate(pool)
        } catch {
            throw storeError(error, path: path)
        }
        return SessionStore(path: path, pool: pool)
    }

    /// Saves the whole session in one transaction and returns its id: a new row when
    /// `snapshot.id` is nil, else the row with that id is replaced (created if it was deleted).
    /// Entries still streaming are saved as stopped.
    @discardableResult
    public func save(_ snapshot: SessionSnapshot) throws(SessionStoreError) -> Int64 {
        try run { try pool.write { db in try SessionRows.save(snapshot, in: db) } }
    }

    /// The newest `limit` sessions, most recently updated first.
    public func list(limit: Int = 50) throws(SessionStoreError) -> [SessionSummary] {
        try run { try pool.read { db in try SessionRows.list(limit: limit, in: db) } }
    }

    /// The session with `id`, entries in order.
    public func load(id: Int64) throws(SessionStoreError) -> SessionSnapshot {
        let found = try run { try pool.read { db in try SessionRows.load(id: id, in: db) } }
        guard let found else { throw SessionStoreError(path: path, problem: "no saved session with id \(id)") }
        return found
    }

    /// Deletes the session and (by cascade) its entries and images; deleting a missing id is no error.
    public func delete(id: Int64) throws(SessionStoreError) {
        try run { try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id]) } }
    }

    /// The most recently updated session, to resume; nil when none is saved.
    public func mostRecent() throws(SessionStoreError) -> SessionSnapshot? {
        try run {
            try pool.read { db in
                guard let id = try Int64.fetchOne(
                    db, sql: "SELECT id FROM session ORDER BY updated_at DESC, id DESC LIMIT 1")
                else { return nil }
                return try SessionRows.load(id: id, in: db)
            }
        }
    }

    /// Runs a database call, turning whatever it throws into a `SessionStoreError` naming the file.
    func run<T>(_ body: () throws -> T) throws(SessionStoreError) -> T {
        do {
            return try body()
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    static func storeError(_ error: any Error, path: String) -> SessionStoreError {
        if let error = error as? SessionStoreError { return error }
        if let error = error as? DamagedRow {
            return SessionStoreError(path: path, problem: "unreadable session data: \(error.message)")
        }
        if let error = error as? DatabaseError {
            // GRDB's description adds the SQL; the user needs SQLite's message only.
            return SessionStoreError(path: path, problem: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
        return SessionStoreError(path: path, problem: String(describing: error))
    }
}
