import GRDB

/// One scan of a folder into the index.
///
/// Files are JPEG or PNG by their first bytes (names do not matter), hidden names are skipped,
/// symlinks followed without loops (`FolderWalker`). For each image, in path order:
/// - same size and modification time as its row: unchanged, but its caption files are looked
///   at again (a sidecar may have been added or removed since);
/// - otherwise it is read whole: a row at its path is updated; else a row with the same content
///   hash whose file is gone is moved to the new path (keeping a model's caption); else a row is added.
/// Rows under the folder whose files are gone (and were not moved) are removed. A file that
/// fails to read or decode is reported and its stale row, if any, deleted.
///
/// Caption precedence: sidecar, captions.json, EXIF, XMP; then a caption set by a model is kept.
struct LibraryScan {
    let root: String
    let pool: DatabasePool

    /// The absolute, symlink-free form of `folder`, which must be a folder.
    static func resolveFolder(_ folder: String) throws(LibraryError) -> String {
        switch FileSystem.status(folder) {
        case .failure:
            throw LibraryError(path: folder, problem: FileSystem.exists(folder) ? "cannot be read" : "no such folder")
        case .success(let status) where !status.isDirectory:
            throw LibraryError(path: folder, problem: "is a file, not a folder")
        case .success:
            break
        }
        guard let real = FileSystem.realPath(folder) else {
            throw LibraryError(path: folder, problem: "cannot resolve the folder's path: \(FileSystem.errnoText())")
        }
        guard FileSystem.entries(of: real) != nil else {
            throw LibraryError(path: folder, problem: "cannot list the folder: \(FileSystem.errnoText())")
        }
        return real
    }

    func run(progress: (LibraryScanProgress) -> Void) throws -> LibraryScanReport {
        var report = LibraryScanReport()
        var finder = CaptionFinder()
        let candidates = FolderWalker.files(under: root).filter(ImageFileReader.looksLikeImage)
        let existing = try pool.read { db in try ImageRows.images(under: root, in: db) }
        var rows = [String: LibraryImage](uniqueKeysWithValues: existing.map { ($0.path, $0) })
        let found = Set(candidates)
        /// Rows whose files are gone from the folder: moved, or else removed at the end.
        var vanished = Set(existing.map(\.path).filter { !found.contains($0) })

        for (index, path) in candidates.enumerated() {
            progress(LibraryScanProgress(current: index + 1, total: candidates.count, path: path))
            guard case .success(let status) = FileSystem.status(path) else { continue }  // gone meanwhile
            let previous = rows[path]
            if let previous, previous.byteSize == status.size, previous.modificationTime == status.modificationTime {
                if try refreshCaption(previous, finder: &finder, report: &report) {
                    report.updated += 1
                } else {
                    report.unchanged += 1
                }
                continue
            }
            let contents: ImageFileReader.Contents
            switch ImageFileReader.read(path) {
            case .success(let read): contents = read
            case .failure(let error):
                report.failures.append(error)
                if previous != nil { try pool.write { db in try ImageRows.delete(path: path, in: db) } }
                rows[path] = nil
                continue
            }
            let moveSource = previous == nil ? try movedRow(hash: contents.hash, vanished: vanished) : nil
            let kept = previous ?? moveSource
            let caption = finder.fileCaption(for: path) ?? contents.embeddedCaption
                ?? keptCaption(kept)
            let image = LibraryImage(
                path: path, folder: PathParts.parentFolder(of: path), contentHash: contents.hash,
                byteSize: contents.byteSize, modificationTime: status.modificationTime,
                width: contents.width, height: contents.height, thumbnail: contents.thumbnail,
                caption: caption?.caption, captionSource: caption?.source ?? .none, indexedAt: FileSystem.now())
            try pool.write { db in try ImageRows.write(image, replacing: kept?.path, in: db) }
            if previous != nil {
                report.updated += 1
            } else if let moveSource {
                vanished.remove(moveSource.path)
                report.moved += 1
            } else {
                report.added += 1
            }
        }
        for path in vanished.sorted() {
            try pool.write { db in try ImageRows.delete(path: path, in: db) }
            report.removed += 1
        }
        report.failures.append(contentsOf: finder.failures)
        return report
    }

    /// A caption not from a file (a model's) survives re-reading; a file-based one is re-derived.
    private func keptCaption(_ row: LibraryImage?) -> (caption: String, source: CaptionSource)? {
        guard let row, let caption = row.caption, !row.captionSource.isFileBased, row.captionSource != .none else { return nil }
        return (caption, row.captionSource)
    }

    /// A row with this content hash whose file is gone: from this folder (`vanished`), or
    /// from anywhere else when its file no longer exists.
    private func movedRow(hash: String, vanished: Set<String>) throws -> LibraryImage? {
        let sameBytes = try pool.read { db in try ImageRows.images(hash: hash, in: db) }
        return sameBytes.first { vanished.contains($0.path) }
            ?? sameBytes.first { !$0.path.hasPrefix(PathParts.join(root, "")) && !FileSystem.exists($0.path) }
    }

    /// Re-checks the caption files of an image whose bytes are unchanged; true when its
    /// caption changed (and was saved).
    private func refreshCaption(_ row: LibraryImage, finder: inout CaptionFinder,
                                report: inout LibraryScanReport) throws -> Bool {
        var caption = finder.fileCaption(for: row.path)
        if caption == nil {
            switch row.captionSource {
            case .sidecar, .captionsJSON:
                // Its caption file is gone: fall back to the caption inside the image.
                if case .success(let contents) = ImageFileReader.read(row.path) { caption = contents.embeddedCaption }
            case .exif, .xmp, .model, .none:
                return false
            }
        }
        guard caption?.caption != row.caption || (caption?.source ?? .none) != row.captionSource else { return false }
        var updated = row
        updated.caption = caption?.caption
        updated.captionSource = caption?.source ?? .none
        updated.indexedAt = FileSystem.now()
        try pool.write { db in try ImageRows.write(updated, replacing: row.path, in: db) }
        return true
    }
}
