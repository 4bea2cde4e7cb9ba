@testable import CheckpointConversion
import FixtureSupport
import Foundation
import LanguageModels
import ModelFiles
import Tensors
import Testing

/// Other shapes a checkpoint folder can take, built from the tiny fixture: one unsharded file
/// of either format, the VL model's vocabulary with two added tokens, and `inv_freq` buffers
/// that disagree with `rope_theta`.
@Suite(.serialized) final class CheckpointVariantTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }
    deinit { scratch.remove() }

    /// Every tensor of a fixture layout with its raw bytes.
    func tensors(of checkpoint: String) throws -> [(name: String, dtype: StoredDType, shape: [Int], data: [UInt8])] {
        let folder = try CheckpointFolder(directory: checkpoint)
        return folder.tensors.map { tensor in
            precondition(tensor.isContiguous)
            let start = tensor.byteOffset
            return (tensor.name, tensor.dtype, tensor.shape,
                    Array(tensor.shard.bytes[start..<(start + tensor.elementCount * tensor.dtype.size)]))
        }
    }

    /// A folder with config.json and tokenizer.model from the fixture and `files` written in.
    func folder(_ name: String, files: [String: [UInt8]]) throws -> String {
        let path = scratch.path(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in ["config.json", "tokenizer.model"] {
            try FileManager.default.copyItem(atPath: TinyFixture.binCheckpoint + "/" + file, toPath: path + "/" + file)
        }
        for (file, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + file)) }
        return path
    }

    func convert(_ checkpoint: String, _ output: String) throws -> (GGUFFile, ConversionSummary) {
        let path = scratch.path(output)
        let summary = try CheckpointConverter.convert(checkpoint: checkpoint, output: path, options: try ConversionOptions(languageType: .f32))
        return (try GGUFFile.open(path: path), summary)
    }

    func expectSameTensors(_ a: GGUFFile, _ b: GGUFFile, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.tensors.map(\.name) == b.tensors.map(\.name), sourceLocation: sourceLocation)
        for (x, y) in zip(a.tensors, b.tensors) {
            #expect(x.type == y.type && x.dimensions == y.dimensions && Array(a.bytes(of: x)) == Array(b.bytes(of: y)),
                    "\(x.name)", sourceLocation: sourceLocation)
        }
    }

    static func storageName(_ dtype: StoredDType) -> String {
        switch dtype {
        case .float64: return "DoubleStorage"
        case .float32: return "FloatStorage"
        case .float16: return "HalfStorage"
        case .bfloat16: return "BFloat16Storage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .int16: return "ShortStorage"
        case .int8: return "CharStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    @Test func singleSafetensorsFile() throws {
        let all = try tensors(of: TinyFixture.safetensorsCheckpoint)
        let single = try folder("single-st", files: [
            "model.safetensors": safetensorsBytes(all.map { ($0.name, $0.dtype.rawValue, $0.shape, $0.data) }),
        ])
        let (file, summary) = try convert(single, "single-st.gguf")
        #expect(summary.format == .safetensors)
        let (sharded, _) = try convert(TinyFixture.safetensorsCheckpoint, "sharded-st.gguf")
        expectSameTensors(file, sharded)
    }

    /// One `pytorch_model.bin` (ZIP64 records, as large archives have) holding both shards' tensors.
    @Test func singleBinFile() throws {
        let all = try tensors(of: TinyFixture.binCheckpoint)
        let pickle = PickleBytes.stateDict(all.enumerated().map { index, tensor in
            (tensor.name, String(index), Self.storageName(tensor.dtype), tensor.shape)
        })
        let archive = ZipBytes.torchCheckpoint(pickle: pickle, storages: all.enumerated().map { (String($0), $1.data) }, zip64: true)
        let single = try folder("single-bin", files: ["pytorch_model.bin": archive])
        let (file, summary) = try convert(single, "single-bin.gguf")
        #expect(summary.format == .pytorch)
        let (sharded, _) = try convert(TinyFixture.binCheckpoint, "sharded-bin.gguf")
        expectSameTensors(file, sharded)
    }

    /// The VL model's embedding has two rows more than `tokenizer.model` has pieces; the
    /// vocabulary is padded with the names `added_tokens.json` gives, and the model runs.
    @Test func addedTokensPadTheVocabulary() throws {
        var all = try tensors(of: TinyFixture.safetensorsCheckpoint)
        for index in all.indices where all[index].name.hasSuffix("embed_tokens.weight") || all[index].name.hasSuffix("lm_head.weight") {
            #expect(all[index].shape == [1200, 64])
            all[index].shape[0] += 2
            all[index].data += [UInt8](repeating: 0, count: 2 * 64 * all[index].dtype.size)
        }
        let vl = try folder("vl", files: [
            "model.safetensors": safetensorsBytes(all.map { ($0.name, $0.dtype.rawValue, $0.shape, $0.data) }),
            "added_tokens.json": Array(#"{"<ITG_TOKEN>": 1200, "<SOI_TOKEN>": 1201}"#.utf8),
        ])
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: vl + "/config.json"))) as? [String: Any])
        config["vocab_size"] = 1202
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: vl + "/config.json"))

        let (file, summary) = try convert(vl, "vl.gguf")
        #expect(summary.warnings.contains { $0.contains("1200 pieces for a vocabulary of 1202") })
        let tokens = try #require(file.metadata.stringArray("tokenizer.ggml.tokens"))
        #expect(tokens.count == 1202 && tokens[1200] == "<ITG_TOKEN>" && tokens[1201] == "<SOI_TOKEN>")
        #expect(file.metadata.arrayCount("tokenizer.ggml.scores") == 1202)
        #expect(file.metadata.arrayCount("tokenizer.ggml.token_type") == 1202)
        let model = try LlamaModel(file: file, contextLength: 256, sequenceSlots: 1, pool: ComputePool(threadCount: 2), numerics: .precise)
        #expect(model.vocabularySize == 1202)
        let logits = Array(try model.prefill(tokens: try TinyFixture.textPrompt().ids, slot: 0, position: 0, shouldCancel: { false }))
        let reference = try NpyArray(contentsOf: TinyFixture.reference("text_logits.npy"))
        #expect(relativeError(logits.prefix(1200), reference.values) < 1e-4)
        #expect(logits[1200] == 0 && logits[1201] == 0)
    }

    /// Stored `inv_freq` buffers computed for another base than `rope_theta` give a warning
    /// (the converted model follows `rope_theta`); the conversion still succeeds.
    @Test func rotaryBuffersThatDisagreeWithRopeTheta() throws {
        let copy = scratch.path("rope")
        try FileManager.default.copyItem(atPath: TinyFixture.safetensorsCheckpoint, toPath: copy)
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: copy + "/config.json"))) as? [String: Any])
        config["rope_theta"] = 20000.0
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: copy + "/config.json"))
        var warnings: [String] = []
        let output = scratch.path("rope.gguf")
        let summary = try CheckpointConverter.convert(checkpoint: copy, output: output, options: try ConversionOptions(),
                                                      warning: { warnings.append($0) })
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.contains("inv_freq' does not match rope_theta 20000") })
        #expect(summary.warnings == warnings)
        #expect(try GGUFFile.open(path: output).metadata.float("internlm.rope.freq_base") == 20000)
        // With the right theta there is nothing to say.
        var none: [String] = []
        _ = try CheckpointConverter.convert(checkpoint: TinyFixture.safetensorsCheckpoint, output: scratch.path("ok.gguf"),
                                            options: try ConversionOptions(), warning: { none.append($0) })
        #expect(none.isEmpty)
    }
}
