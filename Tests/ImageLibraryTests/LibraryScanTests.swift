import Foundation
import ImageIO
import Testing
@testable import ImageLibrary

@Suite struct LibraryScanTests {
    /// A folder with every kind of caption, a corrupt image, a nested folder and hidden files.
    static func mixedFolder() -> TempFolder {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "sidecar.png")
        folder.write("A red kite over a hill\n", to: "sidecar.txt")
        folder.write(TestImages.png(seed: 2), to: "full.png")
        folder.write("A dog on a beach", to: "full.png.txt")
        folder.write(TestImages.png(seed: 3), to: "listed.png")
        folder.write("""
            {"listed.png": "A bowl of soup", "sidecar.png": "loses to the sidecar",
             "count": 3, "nested": [1, {"plain.png": "inside an array, not a caption"}]}
            """, to: "captions.json")
        folder.write(TestImages.withAPP1(TestImages.jpeg(seed: 4),
                                         payload: TestImages.exifPayload(description: "Little-endian words", bigEndian: false)),
                     to: "exif_le.jpg")
        folder.write(TestImages.withAPP1(TestImages.jpeg(seed: 5),
                                         payload: TestImages.exifPayload(description: "Big-endian words", bigEndian: true)),
                     to: "exif_be.jpg")
        folder.write(TestImages.withAPP1(TestImages.jpeg(seed: 6), payload: TestImages.xmpPayload(description: "Fish &amp; chips")),
                     to: "xmp.jpg")
        folder.write(TestImages.withChunk(TestImages.png(seed: 7), type: "iTXt",
                                          data: TestImages.xmpITXt(description: "Sunset over water")),
                     to: "itxt.png")
        folder.write(TestImages.png(seed: 8), to: "plain.png")
        folder.write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("not really a PNG".utf8), to: "broken.png")
        folder.write(TestImages.png(seed: 9), to: "nested/deep/inner.png")
        folder.write(#"{"inner.png": "Nested caption"}"#, to: "nested/deep/captions.json")
        folder.write(TestImages.png(seed: 10), to: ".hidden.png")
        folder.write(TestImages.png(seed: 11), to: ".secret/x.png")
        folder.write("# just notes", to: "notes.md")
        return folder
    }

    @Test func scanFindsImagesByContentAndReadsEveryKindOfCaption() throws {
        let folder = Self.mixedFolder()
        let index = try LibraryIndex.open(path: folder.databasePath)
        var seen: [LibraryScanProgress] = []
        let report = try index.scan(folder: folder.path) { seen.append($0) }

        #expect(report.added == 9)
        #expect(report.updated == 0 && report.moved == 0 && report.removed == 0 && report.unchanged == 0)
        #expect(report.failed == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.path == folder.at("broken.png"))
        #expect(failure.description.hasPrefix(folder.at("broken.png") + ": "))
        #expect(!failure.description.contains("\n"))
        #expect(try index.count() == 9)
        // 10 candidates (9 images and the corrupt one), numbered 1...10, in path order.
        #expect(seen.map(\.current) == Array(1...10))
        #expect(seen.allSatisfy { $0.total == 10 })
        #expect(seen.map(\.path) == seen.map(\.path).sorted())

        func caption(_ name: String) throws -> (String?, CaptionSource) {
            let image = try #require(try index.image(path: folder.at(name)))
            return (image.caption, image.captionSource)
        }
        #expect(try caption("sidecar.png") == ("A red kite over a hill", .sidecar))
        #expect(try caption("full.png") == ("A dog on a beach", .sidecar))
        #expect(try caption("listed.png") == ("A bowl of soup", .captionsJSON))
        #expect(try caption("exif_le.jpg") == ("Little-endian words", .exif))
        #expect(try caption("exif_be.jpg") == ("Big-endian words", .exif))
        #expect(try caption("xmp.jpg") == ("Fish & chips", .xmp))
        #expect(try caption("itxt.png") == ("Sunset over water", .xmp))
        #expect(try caption("plain.png") == (nil, .none))
        #expect(try caption("nested/deep/inner.png") == ("Nested caption", .captionsJSON))
        #expect(try index.image(path: folder.at(".hidden.png")) == nil)
        #expect(try index.image(path: folder.at(".secret/x.png")) == nil)
    }

    @Test func rowsHoldSizeHashAndThumbnail() throws {
        let folder = TempFolder()
        let bytes = TestImages.png(width: 400, height: 200, seed: 1)
        folder.write(bytes, to: "wide.png")
        folder.write(TestImages.png(width: 50, height: 30, seed: 2), to: "small.png")
        let index = try LibraryIndex.open(path: folder.databasePath)
        _ = try index.scan(folder: folder.path)

        let wide = try #require(try index.image(path: folder.at("wide.png")))
        #expect(wide.folder == folder.path)
        #expect(wide.byteSize == bytes.count)
        #expect(wide.width == 400 && wide.height == 200)
        // FNV-1a 64 of the bytes, computed here independently of the library's code.
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        #expect(wide.contentHash == String(format: "%016llx", hash))
        let thumbnail = try ImageDecoder.decode(bytes: wide.thumbnail, name: "thumbnail")
        #expect(thumbnail.width == 160 && thumbnail.height == 80)

        let small = try #require(try index.image(path: folder.at("small.png")))
        let smallThumbnail = try ImageDecoder.decode(bytes: small.thumbnail, name: "thumbnail")
        #expect(smallThumbnail.width == 50 && smallThumbnail.height == 30)
        #expect(try index.all().map(\.path) == [folder.at("small.png"), folder.at("wide.png")])
    }

    @Test func captionPrecedenceIsSidecarThenCaptionsJSONThenExifThenXMP() throws {
        let folder = TempFolder()
        func both(_ seed: Int) -> [UInt8] {
            let exif = TestImages.withAPP1(TestImages.jpeg(seed: seed),
                                           payload: TestImages.exifPayload(description: "exif text", bigEndian: false))
            return TestImages.withAPP1(exif, payload: TestImages.xmpPayload(description: "xmp text"))
        }
        for (seed, name) in ["p1", "p2", "p3"].enumerated() { folder.write(both(seed), to: "\(name).jpg") }
        folder.write(TestImages.withAPP1(TestImages.jpeg(seed: 9), payload: TestImages.xmpPayload(description: "only xmp")),
                     to: "p4.jpg")
        folder.write("sidecar text", to: "p1.txt")
        folder.write(#"{"p1.jpg": "json text", "p2.jpg": "json text", "p5.png": "json text"}"#, to: "captions.json")
        folder.write(TestImages.png(seed: 5), to: "p5.png")
        folder.write("  \n ", to: "p5.png.txt")  // blank: does not count
        folder.write(TestImages.png(seed: 6), to: "p6.png")
        folder.write("with extension", to: "p6.png.txt")
        folder.write("without extension", to: "p6.txt")
        let index = try LibraryIndex.open(path: folder.databasePath)
        _ = try index.scan(folder: folder.path)

        func caption(_ name: String) throws -> (String?, CaptionSource)? {
            try index.image(path: folder.at(name)).map { ($0.caption, $0.captionSource) }
        }
        #expect(try caption("p1.jpg")! == ("sidecar text", .sidecar))
        #expect(try caption("p2.jpg")! == ("json text", .captionsJSON))
        #expect(try caption("p3.jpg")! == ("exif text", .exif))
        #expect(try caption("p4.jpg")! == ("only xmp", .xmp))
        #expect(try caption("p5.png")! == ("json text", .captionsJSON))
        #expect(try caption("p6.png")! == ("with extension", .sidecar))
    }

    @Test func rescansDetectAddedChangedMovedAndRemovedFiles() throws {
        let folder = TempFolder()
        for (seed, name) in ["a", "b", "c", "d"].enumerated() { folder.write(TestImages.png(seed: seed), to: "\(name).png") }
        let index = try LibraryIndex.open(path: folder.databasePath)
        let first = try index.scan(folder: folder.path)
        #expect(first.added == 4 && first.failed == 0)

        let again = try index.scan(folder: folder.path)
        #expect(again.unchanged == 4 && again.added == 0 && again.updated == 0)

        let oldHash = try #require(try index.image(path: folder.at("a.png"))).contentHash
        try index.setCaption("a model's words", for: folder.at("b.png"))
        folder.write(TestImages.png(width: 12, height: 9, seed: 40), to: "a.png")  // new size, new bytes
        folder.move("b.png", to: "sub/b2.png")
        folder.remove("c.png")
        folder.write(TestImages.png(seed: 50), to: "e.png")
        let changed = try index.scan(folder: folder.path)
        #expect(changed.updated == 1)
        #expect(changed.moved == 1)
        #expect(changed.removed == 1)
        #expect(changed.added == 1)
        #expect(changed.unchanged == 1)
        let a = try #require(try index.image(path: folder.at("a.png")))
        #expect(a.contentHash != oldHash && a.width == 12)
        #expect(try index.image(path: folder.at("b.png")) == nil)
        let moved = try #require(try index.image(path: folder.at("sub/b2.png")))
        #expect(moved.caption == "a model's words" && moved.captionSource == .model)
        #expect(moved.folder == folder.at("sub"))
        #expect(try index.image(path: folder.at("c.png")) == nil)
        #expect(try index.count() == 4)
    }

    @Test func modelCaptionsAreKeptUntilACaptionFileAppears() throws {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "photo.png")
        let index = try LibraryIndex.open(path: folder.databasePath)
        _ = try index.scan(folder: folder.path)
        try index.setCaption("  a model's\ncaption ", for: folder.at("photo.png"))
        #expect(try index.image(path: folder.at("photo.png"))?.caption == "a model's caption")

        let kept = try index.scan(folder: folder.path)
        #expect(kept.unchanged == 1)
        #expect(try index.image(path: folder.at("photo.png"))?.captionSource == .model)

        folder.write("the sidecar", to: "photo.txt")
        let replaced = try index.scan(folder: folder.path)
        #expect(replaced.updated == 1)
        let image = try #require(try index.image(path: folder.at("photo.png")))
        #expect(image.caption == "the sidecar" && image.captionSource == .sidecar)

        folder.remove("photo.txt")
        let gone = try index.scan(folder: folder.path)
        #expect(gone.updated == 1)
        let bare = try #require(try index.image(path: folder.at("photo.png")))
        #expect(bare.caption == nil && bare.captionSource == .none)

        #expect(throws: LibraryError.self) { try index.setCaption("x", for: folder.at("missing.png")) }
    }

    @Test func symlinkLoopsAreFollowedOnce() throws {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "inside/one.png")
        try FileManager.default.createSymbolicLink(atPath: folder.at("inside/loop"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: folder.at("self"), withDestinationPath: ".")
        let index = try LibraryIndex.open(path: folder.databasePath)
        let report = try index.scan(folder: folder.path)
        #expect(report.added == 1)
        #expect(try index.all().map(\.path) == [folder.at("inside/one.png")])
    }

    @Test func badFoldersAreOneLineErrors() throws {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "file.png")
        let index = try LibraryIndex.open(path: folder.databasePath)
        let missing = folder.at("nowhere")
        #expect(throws: LibraryError(path: missing, problem: "no such folder")) { try index.scan(folder: missing) }
        #expect(throws: LibraryError(path: folder.at("file.png"), problem: "is a file, not a folder")) {
            try index.scan(folder: folder.at("file.png"))
        }
        #expect(try index.count() == 0)
    }

    @Test func aFileThatIsNotADatabaseIsAnErrorNamingIt() throws {
        let folder = TempFolder()
        folder.write(String(repeating: "not sqlite ", count: 20), to: "bad.sqlite")
        do {
            let index = try LibraryIndex.open(path: folder.at("bad.sqlite"))
            _ = try index.count()
            Issue.record("opened a text file as a database")
        } catch {
            #expect(error.path == folder.at("bad.sqlite"))
            #expect(error.description.hasPrefix(folder.at("bad.sqlite") + ": "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aBrokenCaptionsJSONIsReportedAndTheScanGoesOn() throws {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "one.png")
        folder.write(#"{"one.png": "unterminated"#, to: "captions.json")
        let index = try LibraryIndex.open(path: folder.databasePath)
        let report = try index.scan(folder: folder.path)
        #expect(report.added == 1)
        #expect(report.failures.map(\.path) == [folder.at("captions.json")])
        #expect(try index.image(path: folder.at("one.png"))?.captionSource == CaptionSource.none)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(LibraryIndex.defaultPath(environment: { $0 == "XDG_DATA_HOME" ? "/data" : "/home/me" })
                == "/data/xcomposer/library.sqlite")
        #expect(LibraryIndex.defaultPath(environment: { $0 == "XDG_DATA_HOME" ? "relative" : "/home/me" })
                == "/home/me/.local/share/xcomposer/library.sqlite")
    }
}

/// `setCaption` with a model's caption never replaces one that came from a file.
@Suite struct ModelCaptionPrecedenceTests {
    @Test func aModelCaptionNeverReplacesASidecar() throws {
        let folder = TempFolder()
        folder.write(TestImages.png(seed: 1), to: "cat.png")
        folder.write("my cat", to: "cat.txt")
        folder.write(TestImages.png(seed: 2), to: "bare.png")
        let index = try LibraryIndex.open(path: folder.databasePath)
        _ = try index.scan(folder: folder.path)
        #expect(try index.setCaption("a model's cat", for: folder.at("cat.png")) == false)
        let cat = try #require(try index.image(path: folder.at("cat.png")))
        #expect(cat.caption == "my cat" && cat.captionSource == .sidecar)
        #expect(try index.setCaption("a model's picture", for: folder.at("bare.png")) == true)
        #expect(try index.image(path: folder.at("bare.png"))?.captionSource == .model)
        // A model may replace its own earlier caption; a file-based source may replace anything.
        #expect(try index.setCaption("a better guess", for: folder.at("bare.png")) == true)
        #expect(try index.setCaption("typed by hand", for: folder.at("cat.png"), source: .sidecar) == true)
        #expect(try index.image(path: folder.at("cat.png"))?.caption == "typed by hand")
    }
}
