import FixtureSupport
import Foundation
import ImageIO
import ModelFiles
import Tensors
import Testing
import VisionModels

/// Every stage of the image path against the independent NumPy reference
/// (scripts/xcomposer_numpy.py) on the tiny checkpoint: the 8-bit resize within ±1 of PIL, then
/// pixels, ViT, ln_vision, Q-Former and the 66 wrapped vectors within 1e-4 of the reference
/// relative to each tensor's largest magnitude.
@Suite(.serialized) struct VisionStageTests {
    /// This suite's own pool: suites run in parallel, and a pool runs one job at a time.
    static let pool = ComputePool(threadCount: 2)

    static let tolerance = 1e-4

    static func stem(_ name: String) -> String { String(name.split(separator: ".").first!) }

    @Test(arguments: TinyCheckpoint.imageNames)
    func resizedImageMatchesPIL(_ name: String) throws {
        let model = try XComposerVisionModel(file: try TinyCheckpoint.file(), pool: Self.pool)
        let image = try ImageDecoder.decode(path: TinyCheckpoint.images.appendingPathComponent(name).path)
        let resized = model.preprocessor.resized(image)
        let reference = try TinyCheckpoint.referenceArray("\(Self.stem(name)).resized.npy")
        #expect(reference.shape == [224, 224, 3])
        var worst = 0.0
        for (ours, theirs) in zip(resized, reference.values) { worst = max(worst, abs(Double(ours) - theirs)) }
        print("\(name) resized: max difference \(worst)")
        #expect(resized.count == reference.values.count)
        #expect(worst <= 1)
    }

    @Test(arguments: TinyCheckpoint.imageNames)
    func stagesMatchReference(_ name: String) throws {
        let model = try XComposerVisionModel(file: try TinyCheckpoint.file(), pool: Self.pool)
        let stem = Self.stem(name)
        // From the reference's own 8-bit image, so each later stage is checked on its own.
        let resized = try TinyCheckpoint.referenceArray("\(stem).resized.npy").values.map { UInt8($0) }
        let pixels = model.preprocessor.pixels(resized: resized)
        let stages = try model.stages(pixels: pixels)
        let c = model.configuration
        let checks: [(String, [Float], [Int])] = [
            ("pixels", pixels, [3, c.imageSize, c.imageSize]),
            ("vit", stages.vision, [c.visionTokenCount, c.visionWidth]),
            ("vit_ln", stages.visionNormalized, [c.visionTokenCount, c.visionWidth]),
            ("qformer", stages.queries, [c.queryCount, c.qformerWidth]),
            ("image_embeds", stages.embedding.values, [c.imageEmbeddingCount, c.languageWidth]),
        ]
        for (stage, ours, shape) in checks {
            let reference = try TinyCheckpoint.referenceArray("\(stem).\(stage).npy")
            #expect(reference.shape.drop { $0 == 1 } == shape[...], "\(stage) shape")
            let error = relativeError(ours, reference.values)
            print("\(name) \(stage): relative error \(error)")
            #expect(error <= Self.tolerance, "\(name) \(stage)")
        }
    }

    /// The whole path from the decoded file, as `xcomposer generate --image` runs it.
    @Test(arguments: TinyCheckpoint.imageNames)
    func encodeFromFileMatchesReference(_ name: String) throws {
        let model = try XComposerVisionModel(file: try TinyCheckpoint.file(), pool: Self.pool)
        let image = try ImageDecoder.decode(path: TinyCheckpoint.images.appendingPathComponent(name).path)
        let embedding = try model.encode(image)
        let reference = try TinyCheckpoint.referenceArray("\(Self.stem(name)).image_embeds.npy")
        let error = relativeError(embedding.values, reference.values)
        print("\(name) encode from file: relative error \(error)")
        #expect(error <= Self.tolerance)
    }

    /// The ViT's matrices stored as f16, as a converted checkpoint has them (their values came
    /// from f16, so nothing is rounded): the tiled f16 → f32 path gives the same result.
    @Test func f16MatricesMatchReference() throws {
        let file = try TinyCheckpoint.edited("f16.gguf") { _, tensors in
            tensors = tensors.map { tensor in
                guard tensor.name.hasPrefix("v."), tensor.name.hasSuffix(".weight"), tensor.dimensions.count >= 2,
                      tensor.type == .f32 else { return tensor }
                var bytes: [UInt8] = []
                tensor.bytes.withUnsafeBytes { raw in
                    for i in 0..<(raw.count / 4) {
                        let value = raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                        withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                    }
                }
                return GGUFWriter.Tensor(name: tensor.name, type: .f16, dimensions: tensor.dimensions, bytes: bytes)
            }
        }
        #expect(file.tensor(named: "v.blk.0.attn_qkv.weight")?.type == .f16)
        #expect(file.tensor(named: "v.patch_embd.weight")?.type == .f16)
        let model = try XComposerVisionModel(file: file, pool: Self.pool)
        for name in TinyCheckpoint.imageNames {
            let image = try ImageDecoder.decode(path: TinyCheckpoint.images.appendingPathComponent(name).path)
            let stages = try model.stages(pixels: model.preprocessor.pixels(image))
            for (stage, ours) in [("vit", stages.vision), ("image_embeds", stages.embedding.values)] {
                let error = relativeError(ours, try TinyCheckpoint.referenceArray("\(Self.stem(name)).\(stage).npy").values)
                print("\(name) \(stage) with f16 matrices: relative error \(error)")
                #expect(error <= Self.tolerance)
            }
        }
    }
}
