import ArgumentParser
import Glibc
import ImageLibrary

/// `xcomposer library`: the user's own photos, indexed so articles can be illustrated from them.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Index a folder of photos and find them by caption.",
        subcommands: [LibraryAddCommand.self, LibraryListCommand.self, LibrarySearchCommand.self, LibraryCaptionCommand.self]
    )
}

/// `--db PATH`, shared by the library subcommands.
struct LibraryDatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "The library index file (default: $XDG_DATA_HOME/xcomposer/library.sqlite).")
    var path: String?

    func open() throws -> LibraryIndex {
        do {
            return try LibraryIndex.open(path: path ?? LibraryIndex.defaultPath())
        } catch {
            throw fail(error.description)
        }
    }
}

/// `xcomposer library add DIR`: scans a folder (again), with progress on stderr and a summary.
struct LibraryAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Index the JPEG and PNG photos in a folder (again: only changes are read)."
    )

    @Argument(help: "The folder of photos.")
    var folder: String

    @OptionGroup var database: LibraryDatabaseOption

    func run() throws {
        let index = try database.open()
        let bar = ScanProgressBar(enabled: isatty(2) == 1)
        let report: LibraryScanReport
        do {
            report = try index.scan(folder: folder) { bar.show($0) }
        } catch {
            bar.clear()
            throw fail(error.description)
        }
        bar.clear()
        for failure in report.failures { writeErr("xcomposer: skipped \(failure)") }
        writeOut("\(report.summary)\n")
    }
}

/// `xcomposer library list`: every indexed image with its size and caption.
struct LibraryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the indexed photos: path, size, where the caption came from, caption."
    )

    @OptionGroup var database: LibraryDatabaseOption

    func run() throws {
        let index = try database.open()
        let images: [LibraryImage]
        do { images = try index.all() } catch { throw fail(error.description) }
        for image in images {
            writeOut("\(image.path)\t\(LibraryFormatting.size(image.byteSize))\t\(image.captionSource.rawValue)\t\(image.caption ?? "")\n")
        }
    }
}

/// `xcomposer library search TEXT`: the best-matching photos for a caption, with scores.
struct LibrarySearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank the indexed photos against a caption (BM25 over captions and file names)."
    )

    @Argument(help: "The caption to illustrate.")
    var caption: String

    @Option(name: .customShort("n"), help: "How many results.")
    var count = 4

    @OptionGroup var database: LibraryDatabaseOption

    func validate() throws {
        guard count > 0 else { throw ValidationError("-n must be at least 1") }
    }

    func run() throws {
        let index = try database.open()
        let images: [LibraryImage]
        do { images = try index.all() } catch { throw fail(error.description) }
        let results = LibrarySearch.rank(caption: caption, in: images, excluding: [], limit: count)
        if results.isEmpty {
            writeErr("xcomposer: no indexed photo matches \"\(caption)\" (\(images.count) indexed)")
            return
        }
        for (rank, result) in results.enumerated() {
            let score = format(result.score, 3)
            let bm25 = format(result.bm25, 2)
            writeOut("\(rank + 1). \(score) (bm25 \(bm25))\t\(result.image.path)\t\(result.image.caption ?? "")\n")
        }
    }
}

/// "indexing 12/16 [########----] coffee.png" on one stderr line, redrawn in place; off when
/// stderr is not a terminal.
struct ScanProgressBar {
    let enabled: Bool
    static let width = 20

    func show(_ progress: LibraryScanProgress) {
        show("indexing", current: progress.current, total: progress.total, path: progress.path)
    }

    /// "LABEL 3/16 [###-…] NAME".
    func show(_ label: String, current: Int, total: Int, path: String) {
        guard enabled else { return }
        let filled = total == 0 ? 0 : Self.width * min(current, total) / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        writeErrRaw("\r\u{1B}[K\(label) \(current)/\(total) [\(bar)] \(name)")
    }

    func clear() {
        if enabled { writeErrRaw("\r\u{1B}[K") }
    }

    private func writeErrRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}

/// Numbers for the library listings.
enum LibraryFormatting {
    /// "532 B", "12.3 KiB", "4.0 MiB".
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return format(Double(bytes) / 1024, 1) + " KiB" }
        return format(Double(bytes) / (1024 * 1024), 1) + " MiB"
    }

}
