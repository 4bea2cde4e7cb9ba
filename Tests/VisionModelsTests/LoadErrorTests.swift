import Foundation
import ModelFiles
import Tensors
import Testing
import VisionModels

/// A GGUF whose vision side is absent or damaged fails to load with one line naming the file
/// and the key or tensor at fault.
@Suite(.serialized) struct LoadErrorTests {
    static let pool = ComputePool(threadCount: 1)

    func loadError(_ file: GGUFFile) -> VisionLoadError? {
        do {
            _ = try XComposerVisionModel(file: file, pool: Self.pool)
            return nil
        } catch {
            return error
        }
    }

    @Test func textOnlyModelHasNoVisionTower() throws {
        let file = try TinyCheckpoint.edited("text-only.gguf") { metadata, tensors in
            metadata.removeAll { $0.key.hasPrefix("xcomposer.") }
            tensors.removeAll { $0.name.hasPrefix("v.") || $0.name.hasPrefix("qf.") || $0.name.hasPrefix("mm.") }
        }
        #expect(!XComposerVisionModel.hasVisionTower(file))
        let error = loadError(file)
        #expect(error == .noVisionTower(file: ModelFilesName.of(file)))
        #expect(error?.description.contains("text-only") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func missingTensorIsNamed() throws {
        let file = try TinyCheckpoint.edited("missing.gguf") { _, tensors in
            tensors.removeAll { $0.name == "qf.blk.2.cross_k.weight" }
        }
        #expect(loadError(file) == .missingTensor(file: ModelFilesName.of(file), name: "qf.blk.2.cross_k.weight"))
    }

    @Test func shapeThatDoesNotMatchTheConfigurationIsNamed() throws {
        // The metadata claims a wider feed-forward than the tensors have.
        let file = try TinyCheckpoint.edited("shape.gguf") { metadata, _ in
            let key = XComposerGGUFNames.Vision.feedForwardLength
            metadata = metadata.map { $0.key == key ? (key: key, value: .uint32(100)) : $0 }
        }
        #expect(loadError(file) == .tensorShape(file: ModelFilesName.of(file), name: "v.blk.0.ffn_up.weight",
                                                expected: [100, 48], actual: [96, 48]))
    }

    @Test func missingMetadataIsNamed() throws {
        let key = XComposerGGUFNames.QFormer.crossAttentionFrequency
        let file = try TinyCheckpoint.edited("metadata.gguf") { metadata, _ in
            metadata.removeAll { $0.key == key }
        }
        #expect(loadError(file) == .missingMetadata(file: ModelFilesName.of(file), key: key))
    }

    @Test func headCountMustDivideTheWidth() throws {
        let key = XComposerGGUFNames.Vision.headCount
        let file = try TinyCheckpoint.edited("heads.gguf") { metadata, _ in
            metadata = metadata.map { $0.key == key ? (key: key, value: .uint32(5)) : $0 }
        }
        guard case let .invalidMetadata(_, badKey, _)? = loadError(file) else {
            Issue.record("expected invalid metadata")
            return
        }
        #expect(badKey == key)
    }
}

/// The file name errors show for a GGUF file.
enum ModelFilesName {
    static func of(_ file: GGUFFile) -> String {
        file.path.split(separator: "/").last.map(String.init) ?? file.path
    }
}
