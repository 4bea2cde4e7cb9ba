@testable import CheckpointConversion
import FixtureSupport
import Foundation
import LanguageModels
import ModelFiles
import Tensors
import Testing
import Tokenizers
import VisionModels

/// Both layouts of the tiny checkpoint converted through the library and checked against each
/// other, against the GGUF contract of the vision code, and against the NumPy reference:
/// the language model run from the converted file gives the reference's logits and greedy answer.
@Suite(.serialized) final class TinyCheckpointTests {
    let scratch: Scratch
    static let pool = ComputePool(threadCount: 2)

    init() throws { scratch = try Scratch() }
    deinit { scratch.remove() }

    func convert(_ checkpoint: String, _ name: String, type: GGMLType = .f32, visionType: GGMLType = .f32,
                 chunkElements: Int = CheckpointConverter.defaultChunkElements,
                 warnings: inout [String]) throws -> (GGUFFile, ConversionSummary) {
        let output = scratch.path(name)
        var progress: [ConversionProgress] = []
        var seen: [String] = []
        let summary = try CheckpointConverter.convert(
            checkpoint: checkpoint, output: output, options: try ConversionOptions(languageType: type, visionType: visionType),
            progress: { progress.append($0) }, warning: { seen.append($0) }, chunkElements: chunkElements)
        warnings = seen
        #expect(summary.warnings == seen)
        // Progress only moves forward and ends complete.
        #expect(zip(progress, progress.dropFirst()).allSatisfy { $0.elementsDone <= $1.elementsDone })
        #expect(progress.last?.fraction == 1)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
        return (try GGUFFile.open(path: output), summary)
    }

    @Test func bothLayoutsConvertToTheSameTensors() throws {
        var warnings: [String] = []
        let (fromBin, binSummary) = try convert(TinyFixture.binCheckpoint, "bin.gguf", warnings: &warnings)
        #expect(warnings.isEmpty, "\(warnings)")
        let (fromSafetensors, safeSummary) = try convert(TinyFixture.safetensorsCheckpoint, "st.gguf", warnings: &warnings)
        #expect(binSummary.format == .pytorch && safeSummary.format == .safetensors)
        #expect(binSummary.mergedAdapters == 8 && binSummary.tensorCount == 152)
        #expect(Set(binSummary.droppedTensors) == ["Qformer.bert.embeddings.position_ids",
                                                   "internlm_model.model.layers.0.self_attn.rotary_emb.inv_freq",
                                                   "internlm_model.model.layers.1.self_attn.rotary_emb.inv_freq"])
        #expect(fromBin.tensors.map(\.name) == fromSafetensors.tensors.map(\.name))
        for (a, b) in zip(fromBin.tensors, fromSafetensors.tensors) {
            #expect(a.type == b.type && a.dimensions == b.dimensions, "\(a.name)")
            #expect(Array(fromBin.bytes(of: a)) == Array(fromSafetensors.bytes(of: b)), "\(a.name) data")
        }
        for key in fromBin.metadata.keys where key != "general.name" {
            #expect(fromBin.metadata[key] == fromSafetensors.metadata[key], "\(key)")
        }
        #expect(fromBin.metadata.keys == fromSafetensors.metadata.keys)
    }

    /// The names and keys `VisionModels.XComposerGGUFNames` promises are the ones written,
    /// with GGUF's innermost-first dimensions.
    @Test func writesTheVisionContract() throws {
        var warnings: [String] = []
        let (file, _) = try convert(TinyFixture.safetensorsCheckpoint, "v.gguf", visionType: .f16, warnings: &warnings)
        let m = file.metadata
        typealias N = XComposerGGUFNames
        #expect(m.string("general.architecture") == "internlm")
        #expect(m.integer(N.Vision.imageSize) == 224 && m.integer(N.Vision.patchSize) == 14 && m.integer(N.Vision.channels) == 3)
        #expect(m.integer(N.Vision.embeddingLength) == 48 && m.integer(N.Vision.blockCount) == 2)
        #expect(m.integer(N.Vision.headCount) == 4 && m.integer(N.Vision.feedForwardLength) == 96)
        #expect(m.float(N.Vision.layerNormEpsilon).map { abs($0 - 1e-6) < 1e-12 } == true)
        #expect(m.float(N.Vision.postNormEpsilon).map { abs($0 - 1e-5) < 1e-11 } == true)
        #expect(m.floatArray(N.Vision.imageMean) == [0.48145466, 0.4578275, 0.40821073])
        #expect(m.floatArray(N.Vision.imageStandardDeviation) == [0.26862954, 0.26130258, 0.27577711])
        #expect(m.integer(N.QFormer.embeddingLength) == 32 && m.integer(N.QFormer.blockCount) == 4)
        #expect(m.integer(N.QFormer.headCount) == 4 && m.integer(N.QFormer.feedForwardLength) == 64)
        #expect(m.integer(N.QFormer.crossAttentionFrequency) == 2 && m.integer(N.QFormer.encoderWidth) == 48)
        #expect(m.integer(N.QFormer.queryCount) == 64)
        #expect(m.float(N.QFormer.layerNormEpsilon).map { abs($0 - 1e-12) < 1e-18 } == true)
        #expect(m.integer(N.endOfHumanTokenID) == 1184 && m.integer(N.endOfAnswerTokenID) == 1185)
        #expect(ChatTemplate.detect(fromJinja: m.string("tokenizer.chat_template")) == .internLMXComposer)

        func tensor(_ name: String) -> GGUFTensorInfo? { file.tensor(named: name) }
        typealias V = N.VisionTensor
        typealias Q = N.QFormerTensor
        typealias P = N.ProjectionTensor
        #expect(tensor(V.patchWeight)?.dimensions == [14, 14, 3, 48] && tensor(V.patchWeight)?.type == .f16)
        #expect(tensor(V.classEmbedding)?.dimensions == [48, 1, 1] && tensor(V.classEmbedding)?.type == .f32)
        #expect(tensor(V.positionEmbedding)?.dimensions == [48, 257, 1])
        for name in [V.patchBias, V.postNormWeight, V.postNormBias] { #expect(tensor(name)?.type == .f32, "\(name)") }
        for block in 0..<2 {
            let p = V.block(block)
            for suffix in [V.norm1Weight, V.norm1Bias, V.norm2Weight, V.norm2Bias, V.queryBias, V.valueBias,
                           V.outputBias, V.upBias, V.downBias] {
                #expect(tensor(p + suffix)?.type == .f32, "\(p + suffix)")
            }
            #expect(tensor(p + V.qkvWeight)?.dimensions == [48, 144] && tensor(p + V.qkvWeight)?.type == .f16)
            #expect(tensor(p + V.outputWeight)?.dimensions == [48, 48])
            #expect(tensor(p + V.upWeight)?.dimensions == [48, 96] && tensor(p + V.downWeight)?.dimensions == [96, 48])
        }
        #expect(tensor(Q.queryEmbedding)?.dimensions == [32, 64, 1])
        #expect(tensor(Q.embeddingNormWeight) != nil && tensor(Q.embeddingNormBias) != nil)
        for layer in 0..<4 {
            let p = Q.block(layer)
            var parts = [Q.selfQuery, Q.selfKey, Q.selfValue, Q.selfOutput, Q.selfNorm, Q.feedForwardUp, Q.feedForwardDown, Q.feedForwardNorm]
            let cross = [Q.crossQuery, Q.crossKey, Q.crossValue, Q.crossOutput, Q.crossNorm]
            if layer % 2 == 0 { parts += cross } else {
                for part in cross { #expect(tensor(p + part + ".weight") == nil, "\(p + part)") }
            }
            for part in parts {
                #expect(tensor(p + part + ".weight") != nil && tensor(p + part + ".bias")?.type == .f32, "\(p + part)")
            }
            if layer % 2 == 0 { #expect(tensor(p + Q.crossKey + ".weight")?.dimensions == [48, 32]) }
            #expect(tensor(p + Q.feedForwardUp + ".weight")?.dimensions == [32, 64])
        }
        #expect(tensor(P.weight)?.dimensions == [32, 64] && tensor(P.bias)?.dimensions == [64])
        #expect(tensor(P.imageStart)?.dimensions == [64, 1, 1] && tensor(P.imageEnd)?.type == .f32)
        // Every tensor written is one of those above or the language model's.
        let languageModel = file.tensors.filter { !$0.name.hasPrefix("v.") && !$0.name.hasPrefix("qf.") && !$0.name.hasPrefix("mm.") }
        #expect(languageModel.count == 1 + 2 * 13 + 2)
    }

    /// The converted tokenizer encodes the reference prompt's segments to the reference ids.
    @Test func tokenizerMetadataReproducesTheReferenceIds() throws {
        var warnings: [String] = []
        let (file, _) = try convert(TinyFixture.binCheckpoint, "t.gguf", warnings: &warnings)
        let tokenizer = try TokenizerVocabulary(metadata: file.metadata).makeTokenizer(specialTextHandling: .huggingFaceSlow)
        let prompt = try TinyFixture.textPrompt()
        for segment in prompt.segments {
            #expect(tokenizer.encode(segment.text, addSpecial: segment.bos, parseSpecial: true) == segment.ids, "\(segment.text)")
        }
    }

    func loadModel(_ file: GGUFFile) throws -> LlamaModel {
        try LlamaModel(file: file, contextLength: 256, sequenceSlots: 1, pool: Self.pool, numerics: .precise)
    }

    /// At f32 the first-step logits of the text prompt equal the reference within 1e-4 of the
    /// largest, from both layouts, and the 32-token greedy answer is the reference's.
    @Test(arguments: ["bin", "safetensors"])
    func languageModelMatchesTheReference(layout: String) throws {
        var warnings: [String] = []
        let checkpoint = layout == "bin" ? TinyFixture.binCheckpoint : TinyFixture.safetensorsCheckpoint
        let (file, _) = try convert(checkpoint, "\(layout).gguf", warnings: &warnings)
        let model = try loadModel(file)
        let prompt = try TinyFixture.textPrompt()
        let reference = try NpyArray(contentsOf: TinyFixture.reference("text_logits.npy"))
        #expect(reference.shape == [model.vocabularySize])
        let logits = Array(try model.prefill(tokens: prompt.ids, slot: 0, position: 0, shouldCancel: { false }))
        let error = relativeError(logits, reference.values)
        #expect(error < 1e-4, "relative error \(error)")

        var answer: [Int32] = []
        var next = Int32(logits.indices.max { logits[$0] < logits[$1] }!)
        for position in prompt.ids.count..<(prompt.ids.count + prompt.greedy.ids.count) {
            answer.append(next)
            let step = try model.decode(tokens: [next], slots: [0], positions: [position])
            next = Int32(step.indices.max { step[$0] < step[$1] }!)
        }
        #expect(answer == prompt.greedy.ids)
    }

    /// The caption vectors of hybrid retrieval: the mean of the final-norm hidden states over
    /// the prompt equals the mean of the reference's final-norm rows.
    @Test func meanHiddenStateIsTheMeanOfTheReferenceFinalNormStates() throws {
        var warnings: [String] = []
        let (file, _) = try convert(TinyFixture.safetensorsCheckpoint, "mean.gguf", warnings: &warnings)
        let model = try loadModel(file)
        let prompt = try TinyFixture.textPrompt()
        let states = try NpyArray(contentsOf: TinyFixture.reference("debug/text.llm_final_norm.npy"))
        let width = model.configuration.embeddingLength
        let rows = states.values.count / width
        #expect(rows == prompt.ids.count)
        let expected = (0..<width).map { j in (0..<rows).reduce(0.0) { $0 + states.values[$1 * width + j] } / Double(rows) }
        let ours = try model.meanHiddenState(tokens: prompt.ids)
        let error = relativeError(ours, expected)
        #expect(error < 1e-4, "relative error \(error)")
        // Another text gives another vector.
        let other = try model.meanHiddenState(tokens: Array(prompt.ids.prefix(5)))
        #expect(relativeError(other, expected) > 1e-2)
    }

    /// Converting a row at a time (every LoRA merge split into one-row products) gives the
    /// same tensors as whole-tensor chunks, to float rounding, and many more progress reports.
    @Test func smallChunksGiveTheSameTensors() throws {
        var warnings: [String] = []
        let (whole, _) = try convert(TinyFixture.binCheckpoint, "whole.gguf", warnings: &warnings)
        let (rows, _) = try convert(TinyFixture.binCheckpoint, "rows.gguf", chunkElements: 1, warnings: &warnings)
        #expect(whole.tensors.map(\.name) == rows.tensors.map(\.name))
        for (a, b) in zip(whole.tensors, rows.tensors) {
            let x = whole.bytes(of: a).withMemoryRebound(to: Float.self) { Array($0) }
            let y = rows.bytes(of: b).withMemoryRebound(to: Float.self) { Array($0) }
            #expect(relativeError(y, x.map(Double.init)) < 1e-6, "\(a.name)")
        }
        let merged = try #require(whole.tensor(named: "blk.1.ffn_down.weight"))
        let original = try #require(CheckpointFolder(directory: TinyFixture.binCheckpoint)
            .tensor(named: "internlm_model.model.layers.1.mlp.down_proj.weight")).readAll()
        let written = whole.bytes(of: merged).withMemoryRebound(to: Float.self) { Array($0) }
        #expect(written != original)  // the adapter was added
    }

    /// Every `--type`: rows of 64 and 128 are whole blocks of the 32-element types; the
    /// K-quants' 256-element blocks do not fit, so those matrices fall back to F16 with a
    /// warning. Each file loads and its logits are as near the reference as the type allows
    /// (the tiny model's random weights quantise poorly: Q4_0 is off by a fifth of the largest
    /// logit, F16 by 4e-4 because the merged LoRA is rounded to it).
    @Test(arguments: [(GGMLType.q8_0, 3e-2), (.q4_0, 0.4), (.q4_1, 0.3), (.q5_0, 0.2), (.q5_1, 0.2), (.bf16, 1e-2),
                      (.q4_K, 1e-3), (.q5_K, 1e-3), (.q6_K, 1e-3), (.f16, 1e-3)])
    func quantisedConversionsLoadAndStayClose(type: GGMLType, tolerance: Double) throws {
        var warnings: [String] = []
        let (file, summary) = try convert(TinyFixture.binCheckpoint, "\(type.name).gguf", type: type, warnings: &warnings)
        if type.blockElements == 256 {
            #expect(warnings.count == 2 + 2 * 7 && warnings.allSatisfy { $0.contains("stored as F16") })
            #expect(summary.typeCounts[type.name] == nil)
        } else {
            #expect(warnings.isEmpty)
            #expect(file.tensor(named: "blk.0.ffn_down.weight")?.type == type)
            #expect(file.tensor(named: "token_embd.weight")?.type == type)
        }
        #expect(file.tensor(named: "blk.0.attn_norm.weight")?.type == .f32)
        #expect(file.tensor(named: "blk.0.attn_q.bias")?.type == .f32)
        let model = try loadModel(file)
        let reference = try NpyArray(contentsOf: TinyFixture.reference("text_logits.npy"))
        let logits = Array(try model.prefill(tokens: try TinyFixture.textPrompt().ids, slot: 0, position: 0, shouldCancel: { false }))
        let error = relativeError(logits, reference.values)
        #expect(error < tolerance, "\(type.name): relative error \(error)")
        #expect(error > 0)
    }
}
