import Foundation
import ImageLibrary
import Testing
@testable import xcomposer

/// The vision model captions the pictures that came without words; a sidecar caption is never
/// overwritten, and a caption file that appears later replaces the model's.
@Suite(.serialized) struct LibraryCaptionerTests {
    @Test func captionsOnlyPicturesWithoutACaptionOfTheirOwn() async throws {
        let folder = try PictureFolder(count: 2)
        try folder.sidecar("my cat on the sofa", for: 1)
        let index = try LibraryIndex.open(path: folder.url.appendingPathComponent("library.sqlite").path)
        _ = try index.scan(folder: folder.url.path)
        let before = try index.all()
        #expect(LibraryCaptioner.needingCaptions(before).map(\.path) == [folder.paths[0]])

        let captioner = try #require(try TinyModel.model().captioner)
        var events: [LibraryCaptioner.Event] = []
        let updated = try await captioner.captionMissing(before, in: index) { events.append($0) }

        let bare = try #require(try index.image(path: folder.paths[0]))
        let started = events.filter { if case .started = $0 { return true } else { return false } }
        #expect(started.count == 1, "only the picture without a caption is looked at")
        if case .captioned(_, let caption, _)? = events.last {
            // Random weights write gibberish, but it is stored as the model's.
            #expect(bare.captionSource == .model)
            #expect(bare.caption == caption)
            #expect(updated.first { $0.path == folder.paths[0] }?.caption == caption)
        } else {
            // A reply with no words at all is skipped, and said.
            #expect(bare.captionSource == .none)
            #expect(events.contains { if case .skipped = $0 { return true } else { return false } })
        }
        let cat = try #require(try index.image(path: folder.paths[1]))
        #expect(cat.caption == "my cat on the sofa" && cat.captionSource == .sidecar)
        #expect(try index.setCaption("a model's guess", for: folder.paths[1], source: .model) == false)
        #expect(try index.image(path: folder.paths[1])?.caption == "my cat on the sofa")

        // A second run has nothing left to do (unless asked to caption again).
        #expect(LibraryCaptioner.needingCaptions(try index.all()).isEmpty || bare.captionSource == .none)
        #expect(LibraryCaptioner.needingCaptions(try index.all(), again: true).count == (bare.captionSource == .model ? 1 : 0))
    }

    @Test func cleanedKeepsTheFirstLine() {
        #expect(LibraryCaptioner.cleaned("\n  A rocket at dawn.  \nMore text") == "A rocket at dawn.")
        #expect(LibraryCaptioner.cleaned(" \n\t") == "")
        #expect(LibraryCaptioner.cleaned(String(repeating: "x", count: 500)).count == LibraryCaptioner.maxLength)
    }
}
