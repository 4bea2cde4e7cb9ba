import GRDB

/// The database schema, as migrations: add a new migration for every change, never edit a
/// shipped one (users' files were made by it).
enum LibrarySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: images") { db in
            try db.execute(sql: """
                CREATE TABLE image (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    folder TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    byte_size INTEGER NOT NULL,
                    mtime INTEGER NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    thumbnail BLOB NOT NULL,
                    caption TEXT,
                    caption_source TEXT NOT NULL,
                    indexed_at REAL NOT NULL
                );
                CREATE INDEX image_by_hash ON image(content_hash);
                CREATE INDEX image_by_folder ON image(folder);
                """)
        }
        return migrator
    }
}
