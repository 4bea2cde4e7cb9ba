import Foundation
import Testing
import Tensors
@testable import CheckpointConversion

/// Broken copies of the tiny checkpoint: each problem is one clear line naming the file, and
/// nothing is left in the output folder (an older file under the output name survives).
@Suite final class BadCheckpointTests {
    let scratch: Scratch

    init() throws {
        scratch = try Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path("out"), withIntermediateDirectories: true)
    }
    deinit { scratch.remove() }

    /// A writable copy of one layout of the fixture.
    func copy(_ layout: String) throws -> String {
        let source = layout == "bin" ? TinyFixture.binCheckpoint : TinyFixture.safetensorsCheckpoint
        let target = scratch.path(layout)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    /// Converts and returns the error, checking it is one line starting with `path` and that
    /// the output folder holds only what was there before.
    func failure(_ checkpoint: String, naming path: String? = nil, type: GGMLType = .f16,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> CheckpointError {
        let before = try scratch.files(in: "out")
        let error = try #require(checkpointError { () throws(CheckpointError) in
            _ = try CheckpointConverter.convert(checkpoint: checkpoint, output: scratch.path("out/model.gguf"),
                                                options: try ConversionOptions(languageType: type))
        }, "expected the conversion to fail", sourceLocation: sourceLocation)
        if let path { #expect(error.description.hasPrefix(path + ": "), "\(error)", sourceLocation: sourceLocation) }
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        #expect(try scratch.files(in: "out") == before, "left behind", sourceLocation: sourceLocation)
        return error
    }

    func edit(_ path: String, _ change: (inout [UInt8]) throws -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func editJSON(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    func range(of needle: String, in bytes: [UInt8]) throws -> Range<Int> {
        let pattern = Array(needle.utf8)
        let start = try #require((0...(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern },
                                 "'\(needle)' not found")
        return start..<(start + pattern.count)
    }

    // MARK: - Damaged shards

    @Test(arguments: ["bin", "safetensors"])
    func truncatedShard(layout: String) throws {
        let folder = try copy(layout)
        let shard = folder + (layout == "bin" ? "/pytorch_model-00002-of-00002.bin" : "/model-00002-of-00002.safetensors")
        for keep in [0.5, 0.99] {
            try edit(shard) { $0 = Array($0.prefix(Int(Double($0.count) * keep))) }
            let error = try failure(folder, naming: shard)
            guard case .corrupt = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func corruptTensorDataFailsTheCRC() throws {
        let folder = try copy("bin")
        let shard = folder + "/pytorch_model-00001-of-00002.bin"
        try edit(shard) { bytes in bytes[bytes.count / 2] ^= 0x40 }
        let error = try failure(folder, naming: shard)
        #expect(error.description.contains("CRC-32"), "\(error)")
    }

    /// The shard's pickle is re-zipped with `os.system` in place of the tensor rebuild function.
    @Test func forbiddenGlobalInAShard() throws {
        let folder = try copy("bin")
        let shard = folder + "/pytorch_model-00002-of-00002.bin"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shard)))
        let archive = try bytes.withUnsafeBytes { raw throws(CheckpointError) in try ZipArchive(bytes: raw, path: shard) }
        var rebuilt = ZipBytes()
        for entry in archive.entries {
            var data = Array(bytes[entry.dataOffset..<(entry.dataOffset + entry.size)])
            if entry.name.hasSuffix("data.pkl") {
                let text = Array("torch._utils\n_rebuild_tensor_v2\n".utf8)
                let at = try range(of: "torch._utils\n_rebuild_tensor_v2\n", in: data)
                #expect(at.count == text.count)
                data.replaceSubrange(at, with: Array("os\nsystem\n".utf8))
            }
            rebuilt.add(entry.name, data)
        }
        try Data(rebuilt.bytes).write(to: URL(fileURLWithPath: shard))
        let error = try failure(folder)
        #expect(error == .forbiddenPickleGlobal(path: shard, global: "os.system"))
        #expect(error.description == "\(shard): forbidden pickle global 'os.system'")
    }

    @Test func unknownDTypeInASafetensorsHeader() throws {
        let folder = try copy("safetensors")
        let shard = folder + "/model-00001-of-00002.safetensors"
        try edit(shard) { bytes in
            let at = try range(of: "\"dtype\":\"F16\"", in: bytes)
            bytes.replaceSubrange(at, with: Array("\"dtype\":\"X16\"".utf8))
        }
        let error = try failure(folder, naming: shard)
        guard case .unknownDType(_, _, let dtype) = error else { Issue.record("got \(error)"); return }
        #expect(dtype == "X16")
    }

    // MARK: - Index and tensors

    @Test func indexNamingAMissingShard() throws {
        let folder = try copy("safetensors")
        try editJSON(folder + "/model.safetensors.index.json") { index in
            var map = index["weight_map"] as! [String: Any]
            map["ln_vision.weight"] = "model-00003-of-00002.safetensors"
            index["weight_map"] = map
        }
        let error = try failure(folder)
        #expect(error == .missingFile(path: folder + "/model-00003-of-00002.safetensors",
                                      what: "a shard named by model.safetensors.index.json"))
    }

    @Test func indexNamingATensorNoShardHas() throws {
        let folder = try copy("bin")
        try editJSON(folder + "/pytorch_model.bin.index.json") { index in
            var map = index["weight_map"] as! [String: Any]
            map["visual_encoder.blocks.5.norm1.weight"] = "pytorch_model-00001-of-00002.bin"
            index["weight_map"] = map
        }
        let error = try failure(folder)
        #expect(error == .missingTensor(path: folder + "/pytorch_model-00001-of-00002.bin", tensor: "visual_encoder.blocks.5.norm1.weight"))
    }

    /// A shard rewritten without one tensor (and the index without it): the tensor is missing.
    @Test func missingTensor() throws {
        let folder = try copy("safetensors")
        let dropped = "internlm_model.model.norm.weight"
        var shardName = ""
        try editJSON(folder + "/model.safetensors.index.json") { index in
            var map = index["weight_map"] as! [String: Any]
            shardName = map.removeValue(forKey: dropped) as! String
            index["weight_map"] = map
        }
        let shard = try SafetensorsReader.open(path: folder + "/" + shardName)
        let kept = shard.tensors.filter { $0.name != dropped }.map { tensor in
            (name: tensor.name, dtype: tensor.dtype.rawValue, shape: tensor.shape,
             data: Array(shard.bytes[tensor.byteOffset..<(tensor.byteOffset + tensor.elementCount * tensor.dtype.size)]))
        }
        #expect(kept.count == shard.tensors.count - 1)
        try Data(safetensorsBytes(kept)).write(to: URL(fileURLWithPath: folder + "/" + shardName))
        let error = try failure(folder)
        #expect(error == .missingTensor(path: folder, tensor: dropped))
        #expect(error.description == "\(folder): missing tensor '\(dropped)'")
    }

    @Test func shapeThatDoesNotMatchTheConfig() throws {
        let folder = try copy("bin")
        try editJSON(folder + "/config.json") { $0["intermediate_size"] = 96 }
        let error = try failure(folder)
        guard case .shapeMismatch(let path, let tensor, let expected, let actual) = error else { Issue.record("got \(error)"); return }
        #expect(tensor == "internlm_model.model.layers.0.mlp.gate_proj.weight")
        #expect(expected == [96, 64] && actual == [128, 64])
        #expect(path.hasPrefix(folder + "/pytorch_model-0000"))
    }

    @Test func queryCountMustEqualTheQueryTokens() throws {
        let folder = try copy("safetensors")
        try editJSON(folder + "/config.json") { $0["num_query_token"] = 32 }
        let error = try failure(folder)
        guard case .shapeMismatch(_, let tensor, let expected, let actual) = error else { Issue.record("got \(error)"); return }
        #expect(tensor == "query_tokens" && expected == [1, 32, 32] && actual == [1, 64, 32])
    }

    @Test func headCountsComeFromTheConfig() throws {
        let folder = try copy("safetensors")
        try editJSON(folder + "/config.json") { $0["num_key_value_heads"] = 2 }
        let error = try failure(folder)
        guard case .shapeMismatch(_, let tensor, let expected, _) = error else { Issue.record("got \(error)"); return }
        #expect(tensor == "internlm_model.model.layers.0.self_attn.k_proj.weight" && expected == [32, 64])
    }

    @Test func adaptersWithoutALoRAConfig() throws {
        let folder = try copy("safetensors")
        try editJSON(folder + "/config.json") { $0["internlm_lora"] = NSNull() }
        let error = try failure(folder, naming: folder + "/config.json")
        #expect(error.description.contains("internlm_lora"))
    }

    // MARK: - Missing files

    @Test func missingConfig() throws {
        let folder = try copy("bin")
        try FileManager.default.removeItem(atPath: folder + "/config.json")
        #expect(try failure(folder) == .missingFile(path: folder + "/config.json", what: "the model configuration"))
    }

    @Test func missingTokenizer() throws {
        let folder = try copy("safetensors")
        try FileManager.default.removeItem(atPath: folder + "/tokenizer.model")
        #expect(try failure(folder) == .missingFile(path: folder + "/tokenizer.model", what: "the SentencePiece tokenizer"))
    }

    @Test func damagedTokenizer() throws {
        let folder = try copy("safetensors")
        try edit(folder + "/tokenizer.model") { $0 = Array($0.prefix(100)) }
        _ = try failure(folder, naming: folder + "/tokenizer.model")
    }

    @Test func folderWithoutWeights() throws {
        let folder = try copy("bin")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("pytorch_model") {
            try FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        let error = try failure(folder)
        #expect(error == .noWeights(directory: folder))
        #expect(error.description.hasPrefix("\(folder): no weights"))
    }

    @Test func missingFolder() throws {
        #expect(try failure(scratch.path("nowhere")) == .missingFile(path: scratch.path("nowhere"), what: "the checkpoint folder"))
    }

    // MARK: - Output

    /// An error after the header is written (here a CRC failure in the last shard) removes the
    /// partial file, and the file already under the output name is untouched.
    @Test func failedConversionKeepsTheOldOutput() throws {
        let folder = try copy("bin")
        let shard = folder + "/pytorch_model-00002-of-00002.bin"
        try edit(shard) { bytes in bytes[bytes.count / 3] ^= 0x01 }
        try scratch.write(Array("old model".utf8), to: "out/model.gguf")
        let error = try failure(folder, naming: shard)
        #expect(error.description.contains("CRC-32"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("out/model.gguf"))) == Data("old model".utf8))
    }

    @Test func unwritableOutput() throws {
        let error = try #require(checkpointError { () throws(CheckpointError) in
            _ = try CheckpointConverter.convert(checkpoint: TinyFixture.safetensorsCheckpoint,
                                                output: scratch.path("missing-folder/model.gguf"),
                                                options: try ConversionOptions())
        })
        #expect(error == .output(.writeFailed(path: scratch.path("missing-folder/model.gguf"),
                                              reason: "the folder \(scratch.path("missing-folder")) does not exist")))
    }
}
