import CheckpointConversion
import Foundation
@testable import xcomposer

/// The tiny XComposer checkpoint of Tests/SharedFixtures/xcomposer-tiny, converted once per test
/// process with `xcomposer convert`'s library at f32 and loaded as the app loads a model.
enum TinyModel {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SharedFixtures/xcomposer-tiny")
    static let images = root.appendingPathComponent("images")

    /// The converted file; the loaded model maps it, so it is deleted right after loading.
    static let loaded: Result<ComposeModel, Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xcomposer-compose-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("xcomposer-tiny.gguf").path
        let options = try ConversionOptions(languageType: .f32, visionType: .f32)
        _ = try CheckpointConverter.convert(checkpoint: root.appendingPathComponent("checkpoint-bin").path,
                                            output: path, options: options)
        return try ComposeModel.load(.init(modelPath: path, threads: 2, context: 2048, numerics: .precise))
    }

    static func model() throws -> ComposeModel { try loaded.get() }

    static func runner() throws -> XComposerStepRunner {
        guard let runner = try model().runner as? XComposerStepRunner else {
            throw TinyModelError("the tiny checkpoint did not load as an XComposer model")
        }
        return runner
    }

    /// `sentencepiece`/Hugging Face ids of prompt strings, from the independent reference script.
    struct ReferenceTokens: Decodable {
        let text: String
        let hf_ids: [Int32]
    }

    static let referenceTokens: [ReferenceTokens] = {
        let url = root.appendingPathComponent("reference/tokens.json")
        return (try? JSONDecoder().decode([ReferenceTokens].self, from: Data(contentsOf: url))) ?? []
    }()

    /// The reference ids of exactly `text` (no BOS).
    static func ids(of text: String) throws -> [Int32] {
        guard let entry = referenceTokens.first(where: { $0.text == text }) else {
            throw TinyModelError("reference/tokens.json has no entry for \(text.debugDescription)")
        }
        return entry.hf_ids
    }
}

struct TinyModelError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
