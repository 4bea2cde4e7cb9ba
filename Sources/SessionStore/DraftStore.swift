import AppCore
import Composer
import Foundation
import GRDB

/// A saved article draft: the whole document as JSON, so every slot keeps its candidates,
/// scores and choice.
public struct StoredDraft: Sendable, Equatable {
    public var id: Int64
    public var content: ArticleContent
    public var sourcePath: String?
    public var updatedAt: Double
}

extension SessionStore {
    /// Saves a draft in one transaction and returns its id: a new row when `id` is nil, else
    /// the row with that id is replaced (created again if it was deleted).
    @discardableResult
    public func saveDraft(id: Int64?, content: ArticleContent, sourcePath: String?, at time: Double) throws(SessionStoreError) -> Int64 {
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        } catch {
            throw SessionStoreError(path: path, problem: "cannot encode the draft: \(error)")
        }
        let images = content.slots.filter { $0.chosen != nil }.count
        return try run {
            try pool.write { db in
                if let id, try Bool.fetchOne(db, sql: "SELECT 1 FROM article_draft WHERE id = ?", arguments: [id]) == true {
                    try db.execute(sql: """
                        UPDATE article_draft SET title = ?, paragraph_count = ?, image_count = ?, content = ?,
                        source_path = ?, updated_at = ? WHERE id = ?
                        """, arguments: [content.title, content.paragraphs.count, images, json, sourcePath, time, id])
                    return id
                }
                try db.execute(sql: """
                    INSERT INTO article_draft (id, title, paragraph_count, image_count, content, source_path, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, content.title, content.paragraphs.count, images, json, sourcePath, time, time])
                return db.lastInsertedRowID
            }
        }
    }

    /// The newest `limit` drafts, most recently saved first.
    public func listDrafts(limit: Int = 50) throws(SessionStoreError) -> [DraftListing] {
        try run {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, title, paragraph_count, image_count, updated_at, source_path FROM article_draft
                    ORDER BY updated_at DESC, id DESC LIMIT ?
                    """, arguments: [limit]).map { row in
                    DraftListing(id: row["id"], title: row["title"], paragraphCount: row["paragraph_count"],
                                 imageCount: row["image_count"], updatedAt: row["updated_at"], sourcePath: row["source_path"])
                }
            }
        }
    }

    /// The draft with `id`, or the newest one when `id` is nil (nil when there is none).
    public func loadDraft(id: Int64?) throws(SessionStoreError) -> StoredDraft? {
        let row = try run {
            try pool.read { db in
                if let id {
                    return try Row.fetchOne(db, sql: "SELECT * FROM article_draft WHERE id = ?", arguments: [id])
                }
                return try Row.fetchOne(db, sql: "SELECT * FROM article_draft ORDER BY updated_at DESC, id DESC LIMIT 1")
            }
        }
        guard let row else {
            if let id { throw SessionStoreError(path: path, problem: "no saved draft with id \(id)") }
            return nil
        }
        let json: String = row["content"]
        let content: ArticleContent
        do {
            content = try JSONDecoder().decode(ArticleContent.self, from: Data(json.utf8))
        } catch {
            throw SessionStoreError(path: path, problem: "draft \(row["id"] as Int64) is unreadable: \(error)")
        }
        return StoredDraft(id: row["id"], content: content, sourcePath: row["source_path"], updatedAt: row["updated_at"])
    }
}
