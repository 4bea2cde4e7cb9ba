import Glibc
import ImageLibrary
import LocalStorage

/// Brings the image library up to date and returns the images to illustrate with. Failures
/// are `LoadFailure`s worded for the user (the app shows them; the commands print them).
struct LibraryLoader {
    let db: String?
    let log: (String) -> Void
    /// Called for every file scanned, when set (the app draws a bar from it).
    var progress: ((LibraryScanProgress) -> Void)?

    /// Indexes `folder` (incrementally) and returns its images.
    func images(in folder: String) throws -> [LibraryImage] {
        let index = try openIndex()
        let pictures: [LibraryImage]
        do {
            try scan(folder, into: index)
            let root = Self.resolved(folder)
            pictures = try index.all().filter { $0.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
        } catch {
            throw LoadFailure(error.description)
        }
        guard !pictures.isEmpty else { throw LoadFailure("\(folder): no JPEG or PNG images in this folder") }
        return pictures
    }

    /// Every indexed image; when there are none yet, the sample library `make run` installs.
    func allImages() throws -> [LibraryImage] {
        let index = try openIndex()
        do {
            let all = try index.all()
            if !all.isEmpty { return all }
            let sample = Self.sampleLibraryFolder()
            guard access(sample, F_OK) == 0 else { return [] }
            try scan(sample, into: index)
            return try index.all()
        } catch {
            throw LoadFailure(error.description)
        }
    }

    /// The library database, opened (created on first use).
    func openIndex() throws -> LibraryIndex {
        do { return try LibraryIndex.open(path: db ?? LibraryIndex.defaultPath()) } catch { throw LoadFailure(error.description) }
    }

    private func scan(_ folder: String, into index: LibraryIndex) throws(LibraryError) {
        let report = try index.scan(folder: folder) { progress in
            if let report = self.progress { return report(progress) }
            log("indexing \(progress.current)/\(progress.total) \(FolderPaths.lastComponent(of: progress.path))")
        }
        for failure in report.failures.prefix(5) { log("skipped \(failure)") }
    }

    /// `$XDG_CACHE_HOME/xcomposer/sample-library`, where setup puts the sample photos.
    static func sampleLibraryFolder() -> String {
        let cache = getenv("XDG_CACHE_HOME").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? ((getenv("HOME").map { String(cString: $0) } ?? "/") + "/.cache")
        return cache + "/xcomposer/sample-library"
    }

    static func resolved(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard realpath(path, &buffer) != nil else { return path }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
