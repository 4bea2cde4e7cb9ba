import Foundation
import Testing
@testable import ModelFiles
import Tensors

/// The default model the app ships with; these tests run only where it has been downloaded.
let realModelPath = "/root/.cache/xcomposer/SmolLM2-135M-Instruct.Q4_1.gguf"

@Suite("the real SmolLM2-135M GGUF file",
       .enabled(if: FileManager.default.fileExists(atPath: realModelPath),
                "skipped: \(realModelPath) is not present on this machine"))
struct RealModelTests {
    @Test("header and hyper-parameters")
    func knownFacts() throws {
        let file = try GGUFFile.open(path: realModelPath)
        let m = file.metadata
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.tensors.count == 272)
        #expect(m.keys.count == 33)
        #expect(m.keys.first == "general.architecture")
        #expect(m.keys.last == "general.quantization_version")
        #expect(file.fileSize == 98_362_432)
        #expect(m.string("general.architecture") == "llama")
        #expect(m.integer("llama.block_count") == 30)
        #expect(m.integer("llama.embedding_length") == 576)
        #expect(m.integer("llama.attention.head_count") == 9)
        #expect(m.integer("llama.attention.head_count_kv") == 3)
        #expect(m.integer("llama.feed_forward_length") == 1536)
        #expect(m.integer("llama.vocab_size") == 49152)
        #expect(m.integer("llama.context_length") == 8192)
        #expect(m.integer("llama.rope.dimension_count") == 64)
        #expect(m.float("llama.rope.freq_base") == 100_000)
        #expect(m["llama.attention.layer_norm_rms_epsilon"] == .float32(1e-5))
        #expect(m.integer("general.file_type") == 3)  // mostly Q4_1
        #expect(m.string("tokenizer.ggml.model") == "gpt2")
        #expect(m.string("tokenizer.ggml.pre") == "smollm")
        #expect(m.integer("tokenizer.ggml.bos_token_id") == 1)
        #expect(m.integer("tokenizer.ggml.eos_token_id") == 2)
        #expect(m.bool("tokenizer.ggml.add_bos_token") == false)
        #expect(m.stringArray("general.languages") == ["en"])
        #expect(m.string("tokenizer.chat_template")?.contains("<|im_start|>") == true)
    }

    @Test("tokenizer arrays")
    func tokenizerArrays() throws {
        let m = try GGUFFile.open(path: realModelPath).metadata
        let tokens = try #require(m.stringArray("tokenizer.ggml.tokens"))
        #expect(tokens.count == 49152)
        #expect(m.arrayCount("tokenizer.ggml.tokens") == 49152)
        #expect(Array(tokens.prefix(3)) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        let types = try #require(m.integerArray("tokenizer.ggml.token_type"))
        #expect(types.count == 49152)
        #expect(Array(types.prefix(3)) == [3, 3, 3])  // control tokens
        let merges = try #require(m.stringArray("tokenizer.ggml.merges"))
        #expect(merges.count == 48900)
        #expect(merges.first == "Ġ t")
    }

    @Test("tensor directory")
    func tensorDirectory() throws {
        let file = try GGUFFile.open(path: realModelPath)
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.dimensions == [576, 49152])
        #expect(embedding.type == .q8_0)
        #expect(embedding.offset == 0)
        #expect(embedding.byteCount == 576 / 32 * 34 * 49152)
        #expect(file.tensors.first == embedding)
        #expect(file.tensor(named: "output.weight") == nil, "the output head is tied to the embedding")

        let query = try #require(file.tensor(named: "blk.0.attn_q.weight"))
        #expect(query.dimensions == [576, 576])
        #expect(query.type == .q4_1)
        #expect(try #require(file.tensor(named: "blk.29.attn_k.weight")).dimensions == [576, 192])
        #expect(try #require(file.tensor(named: "blk.0.ffn_down.weight")).dimensions == [1536, 576])
        #expect(try #require(file.tensor(named: "output_norm.weight")).type == .f32)

        var byType: [GGMLType: Int] = [:]
        for tensor in file.tensors { byType[tensor.type, default: 0] += 1 }
        #expect(byType == [.q4_1: 210, .f32: 61, .q8_0: 1])
        for layer in 0 ..< 30 {
            for part in ["attn_norm", "ffn_norm"] {
                let norm = try #require(file.tensor(named: "blk.\(layer).\(part).weight"))
                #expect(norm.type == .f32 && norm.dimensions == [576])
            }
        }
        // The data section ends exactly at the end of the file.
        let end = file.tensors.map { file.dataOffset + $0.offset + $0.byteCount }.max()
        #expect(end == file.fileSize)
    }

    @Test("tensor data is read in place from the mapping")
    func tensorData() throws {
        let file = try GGUFFile.open(path: realModelPath)
        let norm = try #require(file.tensor(named: "output_norm.weight"))
        let weights = file.bytes(of: norm).withMemoryRebound(to: Float.self) { Array($0) }
        #expect(weights.count == 576)
        #expect(weights.allSatisfy { $0.isFinite && abs($0) < 100 })
        #expect(Set(weights).count > 10, "real norm weights vary")

        // The pointer is inside the mapping, at the data offset plus the tensor's offset.
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        let first = file.data(of: embedding)
        #expect(file.data(of: norm) - first == norm.offset - embedding.offset)

        // The same bytes as reading the file conventionally.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: realModelPath))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(file.dataOffset + norm.offset))
        let read = try #require(try handle.read(upToCount: norm.byteCount))
        #expect([UInt8](read) == Array(file.bytes(of: norm)))
    }

    @Test("the writer reproduces the file byte for byte")
    func rewriteIsIdentical() throws {
        let file = try GGUFFile.open(path: realModelPath)
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let copy = scratch.path("copy.gguf")
        let writer = GGUFWriter(path: copy, alignment: file.alignment, version: file.version)
        for key in file.metadata.keys { writer.add(key: key, value: file.metadata[key]!) }
        for t in file.tensors {
            writer.addTensor(name: t.name, type: t.type, dimensions: t.dimensions, byteCount: t.byteCount)
        }
        try writer.writeHeader()
        for t in file.tensors { try writer.writeTensorData(name: t.name, bytes: file.bytes(of: t)) }
        try writer.finish()

        let original = try Data(contentsOf: URL(fileURLWithPath: realModelPath), options: .alwaysMapped)
        let written = try Data(contentsOf: URL(fileURLWithPath: copy), options: .alwaysMapped)
        #expect(written.count == original.count)
        #expect(written == original)
    }

    @Test("every cut through the header of the real file throws")
    func truncatedRealHeader() throws {
        let file = try GGUFFile.open(path: realModelPath)
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: realModelPath))
        defer { try? handle.close() }
        let header = [UInt8](try #require(try handle.read(upToCount: file.dataOffset + 64)))
        // Cuts at a spread of places through the metadata and tensor infos, plus the edges.
        var cuts = Set(stride(from: 0, to: file.dataOffset, by: 39_989))
        cuts.formUnion([0, 3, 4, 23, 24, 25, file.dataOffset - 1, file.dataOffset, file.dataOffset + 63])
        for cut in cuts.sorted() {
            let path = try scratch.write(Array(header.prefix(cut)), to: "cut.gguf")
            #expect(openError(path) != nil, "cut at \(cut)")
        }
    }
}
