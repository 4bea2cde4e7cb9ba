import Foundation
import Testing
@testable import ImageLibrary

/// The sample library `make run` installs: 16 photos with a captions.json. Skipped when absent.
@Suite struct SampleLibraryTests {
    static var folder: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (NSHomeDirectory() + "/.cache")
        return cache + "/xcomposer/sample-library"
    }

    static var present: Bool { FileManager.default.fileExists(atPath: folder + "/captions.json") }

    @Test(.enabled(if: present, "no sample library in the cache")) func indexesAndRetrievesTheSamplePhotos() throws {
        let database = TempFolder()
        let index = try LibraryIndex.open(path: database.at("library.sqlite"))
        let report = try index.scan(folder: Self.folder)
        #expect(report.added == 16)
        #expect(report.failed == 0)
        let images = try index.all()
        #expect(images.count == 16)
        #expect(images.filter { $0.caption != nil }.count == 16)

        let coffee = LibrarySearch.rank(caption: "a cup of coffee on a saucer", in: images, excluding: [])
        #expect(coffee.first?.image.fileName == "coffee.png")
        let cat = LibrarySearch.rank(caption: "a cat", in: images, excluding: [])
        #expect(cat.first?.image.fileName == "chelsea.png")
        let again = try index.scan(folder: Self.folder)
        #expect(again.unchanged == 16)
    }
}
