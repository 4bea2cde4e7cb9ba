import GRDB

/// The database schema, as migrations: add a new migration for every change, never edit a
/// shipped one (users' files were made by it).
enum SessionSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sessions, entries, images") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    model_name TEXT,
                    system_prompt TEXT
                );
                CREATE INDEX session_by_update ON session(updated_at);
                CREATE TABLE entry (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    text TEXT NOT NULL,
                    completion TEXT NOT NULL,
                    failure_message TEXT,
                    UNIQUE (session_id, position)
                );
                CREATE TABLE entry_image (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    UNIQUE (entry_id, position)
                );
                """)
        }
        migrator.registerMigration("v2: the unsent draft") { db in
            try db.execute(sql: "ALTER TABLE session ADD COLUMN draft TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v3: article drafts") { db in
            try db.execute(sql: """
                CREATE TABLE article_draft (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    paragraph_count INTEGER NOT NULL,
                    image_count INTEGER NOT NULL,
                    content TEXT NOT NULL,
                    source_path TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX article_draft_by_update ON article_draft(updated_at);
                """)
        }
        return migrator
    }
}
