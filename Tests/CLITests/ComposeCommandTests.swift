import Composer
import ImageIO
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The sample library `make run` installs.
let sampleLibraryFolder = TmuxSession.cacheHome + "/xcomposer/sample-library"

extension BinaryTests {
/// `xcomposer compose` with the real default model and the sample library.
@Suite(.serialized, .enabled(if: BinaryRunner.available && BinaryRunner.defaultModelPresent
                                 && FileManager.default.fileExists(atPath: sampleLibraryFolder + "/captions.json")))
struct ComposeCommandTests {
    static let sampleLibrary = sampleLibraryFolder

    @Test func composesAnIllustratedArticleFromTheSampleLibrary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xc-compose-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("article.md").path
        let result = try BinaryRunner.run(["compose", "--title", "A quiet morning with coffee and a cat",
                                           "--library", Self.sampleLibrary, "--out", out, "--images", "2",
                                           "--paragraphs", "4", "--seed", "7", "--verbose",
                                           "--db", folder.appendingPathComponent("library.sqlite").path], timeout: 300)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // Every step's raw model output is in the log.
        for step in ["raw article output", "raw spotting output", "raw caption 1 output", "raw caption 2 output"] {
            #expect(result.stderr.contains(step), "missing \(step)")
        }
        // The Markdown parses back into the article: at least three paragraphs, two pictures.
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        let article = ArticleMarkdown.parse(markdown)
        #expect(article.title == "A quiet morning with coffee and a cat")
        #expect(article.paragraphs.filter { !$0.text.isEmpty }.count >= 3)
        let images = article.slots.compactMap(\.chosen?.path)
        #expect(images.count >= 2)
        #expect(Set(images).count == images.count, "no picture is used twice")
        for image in images {
            let file = folder.appendingPathComponent(image).path
            #expect(FileManager.default.fileExists(atPath: file), "\(image) was copied beside the article")
            let name = String(image.split(separator: "/").last ?? "").split(separator: "-", maxSplits: 1).last.map(String.init) ?? ""
            #expect(FileManager.default.fileExists(atPath: Self.sampleLibrary + "/" + name), "\(name) comes from the library")
        }
        // The HTML is one well-formed document with the pictures inside it.
        let htmlURL = folder.appendingPathComponent("article.html")
        let parser = XMLParser(contentsOf: htmlURL)
        let collector = ImageSourceCollector()
        parser?.delegate = collector
        #expect(parser?.parse() == true, "HTML is well-formed: \(String(describing: parser?.parserError))")
        #expect(collector.sources.count == images.count)
        #expect(collector.sources.allSatisfy { $0.hasPrefix("data:image/") })
        #expect(collector.paragraphs >= 3)
    }

    @Test func libraryCaptionsNeedAModelThatSees() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xc-caption-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try BinaryRunner.run(["library", "caption", Self.sampleLibrary,
                                           "--db", folder.appendingPathComponent("library.sqlite").path])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("has no vision tower"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("library.sqlite").path),
                "nothing indexed for a model that cannot caption")
    }

    @Test func aMissingLibraryIsOneLine() throws {
        let result = try BinaryRunner.run(["compose", "--title", "x", "--library", "/nonexistent/photos", "--out", "/tmp/never.md"])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("/nonexistent/photos"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.md"))
    }
}
}

/// Collects the `src` of every `img` and counts paragraphs while an XML parser reads the page.
final class ImageSourceCollector: NSObject, XMLParserDelegate {
    var sources: [String] = []
    var paragraphs = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if elementName == "img", let source = attributeDict["src"] { sources.append(source) }
        if elementName == "p" { paragraphs += 1 }
    }
}

extension BinaryTests {
/// `xcomposer compose --out` with the tiny converted XComposer checkpoint and a library of four
/// uncaptioned pictures: the XComposer prompts, library captions by the vision model and the
/// model's selection all run. Random weights write gibberish; the run must still finish, log
/// every raw output with --verbose and write Markdown that parses back.
@Suite(.enabled(if: BinaryRunner.available, "build the binary first (`make test` does)"))
struct TinyXComposerComposeTests {
    static let fixture = BinaryRunner.repositoryRoot.appendingPathComponent("Tests/SharedFixtures/xcomposer-tiny")

    @Test func composesWithTheVisionModel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xc-tiny-compose-\(UUID().uuidString.prefix(8))")
        let library = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for number in 0..<4 {
            let source = Self.fixture.appendingPathComponent(number % 2 == 0 ? "images/rocket.jpg" : "images/chelsea.png")
            var picture = try ImageDecoder.decode(path: source.path)
            picture.pixels[0] = UInt8(number * 50 + 3)  // four files, four different contents
            try Data(try PNGEncoder.encode(picture)).write(to: library.appendingPathComponent("photo\(number).png"))
        }
        let model = folder.appendingPathComponent("tiny.gguf").path
        let converted = try BinaryRunner.run(["convert", Self.fixture.appendingPathComponent("checkpoint-bin").path, model,
                                              "--type", "f32"])
        #expect(converted.status == 0, "\(converted.stderr)")
        let out = folder.appendingPathComponent("article.md").path
        let result = try BinaryRunner.run(["compose", "-m", model, "--title", "春天的花园", "--library", library.path,
                                           "--out", out, "--images", "2", "--verbose",
                                           "--db", folder.appendingPathComponent("library.sqlite").path], timeout: 600)
        #expect(result.status == 0, "stderr: \(result.stderr.suffix(2000))")
        for step in ["raw article output", "raw spotting output", "raw caption 1 output", "raw selection "] {
            #expect(result.stderr.contains(step), "missing \(step)")
        }
        // The four pictures had no captions: the vision model wrote them, each reply logged.
        #expect(result.stderr.components(separatedBy: "raw library caption output").count - 1 == 4)
        let markdown = try String(contentsOfFile: out, encoding: .utf8)
        let article = ArticleMarkdown.parse(markdown)
        #expect(article.title == "春天的花园")
        let paragraphs = article.paragraphs.filter { !$0.text.isEmpty }.count
        #expect(paragraphs >= 1)
        // Two images asked for; an article of one line has room for one (the UI's cap).
        let images = article.slots.compactMap(\.chosen?.path)
        #expect(images.count == min(2, paragraphs))
        for number in 1...max(1, images.count) {
            #expect(result.stderr.contains("raw caption \(number) output"), "missing caption \(number)")
        }
        // The selection either took the model's letter or said why it fell back.
        let selections = result.stderr.components(separatedBy: "raw selection ").count - 1
        let fallbacks = result.stderr.components(separatedBy: "the best retrieval score").count - 1
        #expect(selections >= 1 && fallbacks <= images.count)
        #expect(Set(images).count == images.count, "no picture is used twice")
        for image in images {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(image).path))
        }
        let parser = XMLParser(contentsOf: folder.appendingPathComponent("article.html"))
        #expect(parser?.parse() == true, "HTML is well-formed: \(String(describing: parser?.parserError))")

        // The captions were stored as the model's; `library caption` then finds nothing to do.
        let db = folder.appendingPathComponent("library.sqlite").path
        let listed = try BinaryRunner.run(["library", "list", "--db", db])
        let sources = listed.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(sources.count == 4 && sources.allSatisfy { $0.count >= 3 && $0[2] == "model" }, "\(listed.stdout)")
        let again = try BinaryRunner.run(["library", "caption", "-m", model, "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("captioned 0 of 0 photos"), "\(again.stdout)")
    }
}
}
