import AppCore
import GRDB

/// The SQL behind `SessionStore`: snapshots to rows and back, inside a transaction the caller opened.
/// Values read back are decoded with GRDB's throwing `decode`, so a damaged row is an error, not a trap.
enum SessionRows {
    static func save(_ snapshot: SessionSnapshot, in db: Database) throws -> Int64 {
        let sessionArguments: StatementArguments = [
            snapshot.title, snapshot.createdAt, snapshot.updatedAt, snapshot.modelName, snapshot.systemPrompt,
        ]
        let sessionID: Int64
        if let id = snapshot.id {
            try db.execute(
                sql: """
                    INSERT INTO session (id, title, created_at, updated_at, model_name, system_prompt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        title = excluded.title, created_at = excluded.created_at,
                        updated_at = excluded.updated_at, model_name = excluded.model_name,
                        system_prompt = excluded.system_prompt
                    """,
                arguments: [id] + sessionArguments)
            // The images go with their entries (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM entry WHERE session_id = ?", arguments: [id])
            sessionID = id
        } else {
            try db.execute(
                sql: """
                    INSERT INTO session (title, created_at, updated_at, model_name, system_prompt)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: sessionArguments)
            sessionID = db.lastInsertedRowID
        }
        let insertEntry = try db.cachedStatement(sql: """
            INSERT INTO entry (session_id, position, kind, text, completion, failure_message)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let insertImage = try db.cachedStatement(sql: """
            INSERT INTO entry_image (entry_id, position, path, width, height) VALUES (?, ?, ?, ?, ?)
            """)
        for (position, entry) in snapshot.entries.enumerated() {
            let completion = EntryCoding.name(of: EntryCoding.persisted(entry.completion))
            try insertEntry.execute(arguments: [
                sessionID, position, EntryCoding.name(of: entry.kind), entry.text, completion.name, completion.failure,
            ])
            let entryID = db.lastInsertedRowID
            for (imagePosition, image) in entry.images.enumerated() {
                try insertImage.execute(arguments: [entryID, imagePosition, image.path, image.width, image.height])
            }
        }
        return sessionID
    }

    static func list(limit: Int, in db: Database) throws -> [SessionSummary] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.title, s.updated_at, s.model_name,
                       (SELECT COUNT(*) FROM entry e WHERE e.session_id = s.id AND e.kind = 'user') AS turns
                FROM session s
                ORDER BY s.updated_at DESC, s.id DESC
                LIMIT ?
                """,
            arguments: [max(0, limit)])
        return try rows.map { row in
            SessionSummary(
                id: try row.decode(forColumn: "id"),
                title: try row.decode(forColumn: "title"),
                updatedAt: try row.decode(forColumn: "updated_at"),
                turnCount: try row.decode(forColumn: "turns"),
                modelName: try row.decode(forColumn: "model_name"))
        }
    }

    /// The session with `id`, or nil when there is none.
    static func load(id: Int64, in db: Database) throws -> SessionSnapshot? {
        guard let session = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]) else {
            return nil
        }
        var imagesByEntry: [Int64: [AttachedImage]] = [:]
        let imageRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT i.entry_id, i.path, i.width, i.height
                FROM entry_image i JOIN entry e ON e.id = i.entry_id
                WHERE e.session_id = ?
                ORDER BY i.entry_id, i.position
                """,
            arguments: [id])
        while let row = try imageRows.next() {
            let image = AttachedImage(
                path: try row.decode(forColumn: "path"),
                width: try row.decode(forColumn: "width"),
                height: try row.decode(forColumn: "height"))
            imagesByEntry[try row.decode(forColumn: "entry_id"), default: []].append(image)
        }
        var entries: [TranscriptEntry] = []
        let entryRows = try Row.fetchCursor(
            db,
            sql: "SELECT * FROM entry WHERE session_id = ? ORDER BY position",
            arguments: [id])
        while let row = try entryRows.next() {
            let entryID: Int64 = try row.decode(forColumn: "id")
            let kindName: String = try row.decode(forColumn: "kind")
            let completionName: String = try row.decode(forColumn: "completion")
            guard let kind = EntryCoding.kind(named: kindName) else {
                throw DamagedRow(message: "entry \(entryID) has unknown kind '\(kindName)'")
            }
            guard let completion = EntryCoding.completion(
                named: completionName, failure: try row.decode(forColumn: "failure_message"))
            else {
                throw DamagedRow(message: "entry \(entryID) has unknown completion '\(completionName)'")
            }
            entries.append(TranscriptEntry(
                kind: kind,
                text: try row.decode(forColumn: "text"),
                images: imagesByEntry[entryID] ?? [],
                completion: completion))
        }
        return SessionSnapshot(
            id: id,
            title: try session.decode(forColumn: "title"),
            createdAt: try session.decode(forColumn: "created_at"),
            updatedAt: try session.decode(forColumn: "updated_at"),
            modelName: try session.decode(forColumn: "model_name"),
            systemPrompt: try session.decode(forColumn: "system_prompt"),
            entries: entries)
    }
}

/// A row whose values the schema allows but this program cannot read (e.g. written by a newer version).
struct DamagedRow: Error {
    var message: String
}
