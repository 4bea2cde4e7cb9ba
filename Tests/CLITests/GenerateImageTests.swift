import Foundation
import ModelFiles
import Testing

extension BinaryTests {
/// `xcomposer generate --image` end to end: the tiny checkpoint converted by `xcomposer convert`
/// answers the reference's question about rocket.jpg with the reference's greedy tokens; a model
/// without a vision tower refuses the image in one line.
@Suite(.enabled(if: BinaryRunner.available, "build the binary first (`make test` does)"))
struct GenerateImageTests {
    static let fixture = BinaryRunner.repositoryRoot.appendingPathComponent("Tests/SharedFixtures/xcomposer-tiny")

    struct Greedy: Decodable {
        let ids: [Int32]
        let text: String
    }

    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xcomposer-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func convertedModel() throws -> String {
        let path = directory.appendingPathComponent("tiny.gguf").path
        let result = try BinaryRunner.run(["convert", Self.fixture.appendingPathComponent("checkpoint-bin").path, path,
                                           "--type", "f32"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    @Test func answersAboutThePhotoAsTheReference() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = try convertedModel()
        let data = try Data(contentsOf: Self.fixture.appendingPathComponent("reference/greedy.json"))
        let greedy = try JSONDecoder().decode(Greedy.self, from: data)
        let result = try BinaryRunner.run([
            "generate", "-m", model, "--image", Self.fixture.appendingPathComponent("images/rocket.jpg").path,
            "-p", "What is in this picture? Describe it in detail.", "--temperature", "0",
            "--max-tokens", "\(greedy.ids.count)", "--precise",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == greedy.text + "\n")
    }

    @Test func textOnlyModelRefusesAnImage() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try GGUFFile.open(path: try convertedModel())
        let textOnly = directory.appendingPathComponent("text-only.gguf").path
        let metadata = source.metadata.keys.filter { !$0.hasPrefix("xcomposer.") }.map { (key: $0, value: source.metadata[$0]!) }
        let tensors = source.tensors.filter { !["v.", "qf.", "mm."].contains(where: $0.name.hasPrefix) }.map {
            GGUFWriter.Tensor(name: $0.name, type: $0.type, dimensions: $0.dimensions, bytes: Array(source.bytes(of: $0)))
        }
        try GGUFWriter.write(path: textOnly, metadata: metadata, tensors: tensors)
        let result = try BinaryRunner.run([
            "generate", "-m", textOnly, "--image", Self.fixture.appendingPathComponent("images/rocket.jpg").path,
            "-p", "What is this?",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("text-only.gguf has no vision tower"))
    }
}
}
