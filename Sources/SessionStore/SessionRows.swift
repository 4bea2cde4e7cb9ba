import AppCore
import GRDB

/// The SQL behind `SessionStore`: snapshots to rows and back, inside a transaction the caller opened.
/// Values are read back strictly (`RowReading.swift`), so a damaged row is an error, not a trap or a silent 0.
enum SessionRows {
    static func save(_ snapshot: SessionSnapshot, in db: Database) throws -> Int64 {
        let sessionArguments: StatementArguments = [
            snapshot.title, snapshot.createdAt, snapshot.updatedAt, snapshot.modelName, snapshot.systemPrompt,
            snapshot.draft,
        ]
        let sessionID: Int64
        if let id = snapshot.id {
            try db.execute(
                sql: """
                    INSERT INTO session (id, title, created_at, updated_at, model_name, system_prompt, draft)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        title = excluded.title, created_at = MIN(created_at, excluded.created_at),
                        updated_at = excluded.updated_at, model_name = excluded.model_name,
                        system_prompt = excluded.system_prompt, draft = excluded.draft
                    """,
                arguments: [id] + sessionArguments)
            // The images go with their entries (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM entry WHERE session_id = ?", arguments: [id])
            sessionID = id
        } else {
            try db.execute(
                sql: """
                    INSERT INTO session (title, created_at, updated_at, model_name, system_prompt, draft)
                    VALUES (?, ?, ?, ?, ?, ?)
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
                id: try row.required("id"),
                title: try row.required("title"),
                updatedAt: try row.required("updated_at"),
                turnCount: try row.required("turns"),
                modelName: try row.optional("model_name"))
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
                path: try row.required("path"),
                width: try row.required("width"),
                height: try row.required("height"))
            imagesByEntry[try row.required("entry_id"), default: []].append(image)
        }
        var entries: [TranscriptEntry] = []
        let entryRows = try Row.fetchCursor(
            db,
            sql: "SELECT * FROM entry WHERE session_id = ? ORDER BY position",
            arguments: [id])
        while let row = try entryRows.next() {
            let entryID: Int64 = try row.required("id")
            let kindName: String = try row.required("kind")
            let completionName: String = try row.required("completion")
            guard let kind = EntryCoding.kind(named: kindName) else {
                throw DamagedRow(message: "entry \(entryID) has unknown kind '\(kindName)'")
            }
            guard let completion = EntryCoding.completion(
                named: completionName, failure: try row.optional("failure_message"))
            else {
                throw DamagedRow(message: "entry \(entryID) has unknown completion '\(completionName)'")
            }
            entries.append(TranscriptEntry(
                kind: kind,
                text: try row.required("text"),
                images: imagesByEntry[entryID] ?? [],
                completion: completion))
        }
        return SessionSnapshot(
            id: id,
            title: try session.required("title"),
            createdAt: try session.required("created_at"),
            updatedAt: try session.required("updated_at"),
            modelName: try session.optional("model_name"),
            systemPrompt: try session.optional("system_prompt"),
            entries: entries,
            draft: try session.required("draft"))
    }
}

/// A row whose values the schema allows but this program cannot read (e.g. written by a newer version).
struct DamagedRow: Error {
    var message: String
}
