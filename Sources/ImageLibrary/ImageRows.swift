import GRDB

/// Reading and writing `image` rows. Reads are strict: a row damaged or written by something
/// else gives an error, not a trap.
///
/// The thumbnail BLOB goes in as an `X'…'` literal and comes out through `hex()`: GRDB binds
/// blobs as Foundation's `Data`, and library code does without Foundation.
enum ImageRows {
    static let writtenColumns = "path, folder, content_hash, byte_size, mtime, width, height, caption, caption_source, indexed_at, thumbnail"
    static let columns = "path, folder, content_hash, byte_size, mtime, width, height, caption, caption_source, indexed_at, "
        + "CASE WHEN typeof(thumbnail) = 'blob' THEN hex(thumbnail) END AS thumbnail_hex"

    struct DamagedRow: Error { var message: String }

    static func image(from row: Row) throws -> LibraryImage {
        func required<Value: DatabaseValueConvertible>(_ column: String, _ type: Value.Type) throws -> Value {
            let value: DatabaseValue = row[column] ?? .null
            guard let converted = Value.fromDatabaseValue(value) else {
                throw DamagedRow(message: "column \(column) holds \(value.isNull ? "NULL" : "a value of the wrong type")")
            }
            return converted
        }
        let captionValue: DatabaseValue = row["caption"] ?? .null
        let caption: String?
        if captionValue.isNull {
            caption = nil
        } else {
            guard let text = String.fromDatabaseValue(captionValue) else {
                throw DamagedRow(message: "column caption holds a value of the wrong type")
            }
            caption = text
        }
        let sourceName = try required("caption_source", String.self)
        guard let source = CaptionSource(rawValue: sourceName) else {
            throw DamagedRow(message: "unknown caption source \"\(sourceName)\"")
        }
        let thumbnailHex: DatabaseValue = row["thumbnail_hex"] ?? .null
        guard let hex = String.fromDatabaseValue(thumbnailHex), let thumbnailBytes = Hex.decode(hex) else {
            throw DamagedRow(message: "column thumbnail holds a value of the wrong type")
        }
        return LibraryImage(
            path: try required("path", String.self), folder: try required("folder", String.self),
            contentHash: try required("content_hash", String.self),
            byteSize: try required("byte_size", Int.self), modificationTime: try required("mtime", Int64.self),
            width: try required("width", Int.self), height: try required("height", Int.self),
            thumbnail: thumbnailBytes, caption: caption, captionSource: source,
            indexedAt: try required("indexed_at", Double.self))
    }

    static func all(in db: Database) throws -> [LibraryImage] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM image ORDER BY path").map(image(from:))
    }

    static func image(path: String, in db: Database) throws -> LibraryImage? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM image WHERE path = ?", arguments: [path]).map(image(from:))
    }

    /// Rows whose path is inside `folder` (at any depth).
    static func images(under folder: String, in db: Database) throws -> [LibraryImage] {
        let prefix = PathParts.join(folder, "")
        return try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM image WHERE substr(path, 1, length(?1)) = ?1 ORDER BY path",
            arguments: [prefix]).map(image(from:))
    }

    static func images(hash: String, in db: Database) throws -> [LibraryImage] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM image WHERE content_hash = ? ORDER BY path",
                         arguments: [hash]).map(image(from:))
    }

    /// Inserts the image, or replaces the row at `replacing` (its old path) keeping its id.
    static func write(_ image: LibraryImage, replacing oldPath: String? = nil, in db: Database) throws {
        let arguments: StatementArguments = [
            image.path, image.folder, image.contentHash, image.byteSize, image.modificationTime,
            image.width, image.height, image.caption, image.captionSource.rawValue, image.indexedAt,
        ]
        // Only hex digits go into the SQL text.
        let blob = "X'\(Hex.encode(image.thumbnail))'"
        if let oldPath {
            try db.execute(sql: """
                UPDATE image SET path = ?, folder = ?, content_hash = ?, byte_size = ?, mtime = ?,
                    width = ?, height = ?, caption = ?, caption_source = ?, indexed_at = ?, thumbnail = \(blob)
                WHERE path = ?
                """, arguments: arguments + [oldPath])
        } else {
            try db.execute(sql: "INSERT INTO image (\(writtenColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(blob))",
                           arguments: arguments)
        }
    }

    static func delete(path: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM image WHERE path = ?", arguments: [path])
    }
}
