import AppCore
import Foundation
import SessionStore
import Testing

@Suite struct SessionExporterTests {
    @Test func writesDocumentsAndCopiesImagesLeavingNoTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let sources = folder.path + "/sources"
        try FileManager.default.createDirectory(atPath: sources + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: sources + "/b", withIntermediateDirectories: true)
        let catA = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let catB = Data("second cat".utf8)
        try catA.write(to: URL(fileURLWithPath: sources + "/a/cat.png"))
        try catB.write(to: URL(fileURLWithPath: sources + "/b/cat.png"))
        let missing = sources + "/nowhere.png"
        let snapshot = SessionSnapshot(title: "Export", createdAt: 0, updatedAt: 0, modelName: "m", entries: [
            TranscriptEntry(kind: .user, text: "cats", images: [
                AttachedImage(path: sources + "/a/cat.png", width: 2, height: 2),
                AttachedImage(path: sources + "/b/cat.png", width: 2, height: 2),
                AttachedImage(path: missing, width: 2, height: 2),
            ]),
            TranscriptEntry(kind: .assistant, text: "Two cats."),
        ])
        let out = folder.path + "/out/nested"
        let paths = try SessionExporter.write(snapshot, to: out, baseName: "chat")
        #expect(paths.markdownPath == out + "/chat.md")
        #expect(paths.jsonPath == out + "/chat.json")

        let markdown = try String(contentsOfFile: paths.markdownPath, encoding: .utf8)
        #expect(markdown.contains("![cat.png](chat-images/1-cat.png)\n\n![cat.png](chat-images/2-cat.png)"))
        #expect(markdown.contains("(image missing: \(missing))"))
        #expect(markdown == SessionExport.markdown(snapshot, imagesFolder: "chat-images", missingImages: [missing]).markdown)
        let json = try Data(contentsOf: URL(fileURLWithPath: paths.jsonPath))
        #expect(String(decoding: json, as: UTF8.self) == SessionExport.json(snapshot))
        #expect(try JSONSerialization.jsonObject(with: json) is [String: Any])

        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/chat-images/1-cat.png")) == catA)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/chat-images/2-cat.png")) == catB)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["chat-images", "chat.json", "chat.md"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/chat-images").sorted() == ["1-cat.png", "2-cat.png"])
    }

    @Test func exportingAgainReplacesTheFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var snapshot = sampleSnapshot()
        snapshot.entries = [TranscriptEntry(kind: .user, text: "first version, which is longer")]
        try SessionExporter.write(snapshot, to: folder.path, baseName: "c")
        snapshot.entries = [TranscriptEntry(kind: .user, text: "second")]
        try SessionExporter.write(snapshot, to: folder.path, baseName: "c")
        let markdown = try String(contentsOfFile: folder.path + "/c.md", encoding: .utf8)
        #expect(markdown == SessionExport.markdown(snapshot, imagesFolder: "c-images").markdown)
        // No images, so no images folder; no temporary files.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["c.json", "c.md"])
    }

    @Test func badBaseNamesAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        for name in ["", ".", "..", "a/b", "x\0y"] {
            let error = #expect(throws: SessionExportError.self) {
                try SessionExporter.write(sampleSnapshot(), to: folder.path, baseName: name)
            }
            #expect(error?.description == "\(name): not a usable file name for an export")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func unwritableDestinationIsReportedInOneLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let blocker = folder.path + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let error = #expect(throws: SessionExportError.self) {
            try SessionExporter.write(sampleSnapshot(), to: blocker + "/out", baseName: "chat")
        }
        #expect(error?.description == "\(blocker): a file is in the way")
    }

    @Test func aFolderInTheWayOfADocumentIsReportedAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try FileManager.default.createDirectory(atPath: folder.path + "/chat.md", withIntermediateDirectories: true)
        let error = #expect(throws: SessionExportError.self) {
            try SessionExporter.write(sampleSnapshot(), to: folder.path, baseName: "chat")
        }
        #expect(error?.description == "\(folder.path)/chat.md: Is a directory")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!left.contains { $0.hasPrefix(".") })
    }
}
