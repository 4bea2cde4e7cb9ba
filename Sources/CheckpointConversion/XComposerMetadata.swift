import Foundation
import ModelFiles
import Tokenizers

/// The GGUF metadata of a converted checkpoint: the language model's `internlm.*`
/// hyper-parameters, the vision tower's and Q-Former's `xcomposer.*` keys (names from
/// `VisionModels.XComposerGGUFNames`), the special token ids and the tokenizer.
enum XComposerMetadata {
    /// A Jinja chat template in the model's training format (`... <TOKENS_UNUSED_0> <|Bot|>:answer<TOKENS_UNUSED_1>`);
    /// `ChatTemplate.detect` recognises it as `internlm-xcomposer` by its role markers, and
    /// the app then renders prompts exactly as the reference code does.
    static let chatTemplate = "{{ bos_token }}{% for message in messages %}"
        + "{% if message['role'] == 'system' %}{{ message['content'] }}"
        + "{% elif message['role'] == 'user' %}{{ ' <|User|>:' + message['content'] + '\\n<TOKENS_UNUSED_0>' }}"
        + "{% elif message['role'] == 'assistant' %}{{ ' <|Bot|>:' + message['content'] + '<TOKENS_UNUSED_1>\\n' }}"
        + "{% endif %}{% endfor %}{% if add_generation_prompt %}{{ ' <|Bot|>:' }}{% endif %}"

    /// OpenAI CLIP's pixel normalisation, which the reference preprocessing uses.
    static let imageMean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    static let imageStandardDeviation: [Float] = [0.26862954, 0.26130258, 0.27577711]

    static func entries(config c: XComposerConfig, tokenizer: SentencePieceModelFile, folder: CheckpointFolder,
                        options: ConversionOptions) throws(CheckpointError) -> (entries: [(key: String, value: GGUFValue)], warnings: [String]) {
        var warnings: [String] = []
        var list: [(key: String, value: GGUFValue)] = []
        func add(_ key: String, _ value: GGUFValue) { list.append((key, value)) }
        func u32(_ value: Int) -> GGUFValue { .uint32(UInt32(value)) }
        func f32(_ value: Double) -> GGUFValue { .float32(Float(value)) }
        func floats(_ values: [Float]) -> GGUFValue { .array(elementType: GGUFValueType.float32, values: values.map { .float32($0) }) }

        add("general.architecture", .string("internlm"))
        add("general.name", .string(modelName(c, folder: folder)))
        add("general.file_type", .uint32(options.fileType))
        if options.languageType.blockElements ?? 1 > 1 { add("general.quantization_version", .uint32(2)) }

        add("internlm.block_count", u32(c.layerCount))
        add("internlm.embedding_length", u32(c.hiddenSize))
        add("internlm.feed_forward_length", u32(c.intermediateSize))
        add("internlm.attention.head_count", u32(c.headCount))
        add("internlm.attention.head_count_kv", u32(c.kvHeadCount))
        add("internlm.context_length", u32(c.maxPositionEmbeddings))
        add("internlm.attention.layer_norm_rms_epsilon", f32(c.rmsNormEpsilon))
        add("internlm.rope.freq_base", f32(c.ropeTheta))
        add("internlm.rope.dimension_count", u32(c.headDimension))
        add("internlm.vocab_size", u32(c.vocabularySize))

        let v = c.vision
        add("xcomposer.vision.image_size", u32(v.imageSize))
        add("xcomposer.vision.patch_size", u32(v.patchSize))
        add("xcomposer.vision.channels", u32(v.channels))
        add("xcomposer.vision.embedding_length", u32(v.hiddenSize))
        add("xcomposer.vision.block_count", u32(v.layerCount))
        add("xcomposer.vision.attention.head_count", u32(v.headCount))
        add("xcomposer.vision.feed_forward_length", u32(v.intermediateSize))
        add("xcomposer.vision.attention.layer_norm_epsilon", f32(v.layerNormEpsilon))
        add("xcomposer.vision.post_norm_epsilon", f32(v.postNormEpsilon))
        add("xcomposer.vision.image_mean", floats(imageMean))
        add("xcomposer.vision.image_std", floats(imageStandardDeviation))

        let q = c.qformer
        add("xcomposer.qformer.embedding_length", u32(q.hiddenSize))
        add("xcomposer.qformer.block_count", u32(q.layerCount))
        add("xcomposer.qformer.attention.head_count", u32(q.headCount))
        add("xcomposer.qformer.feed_forward_length", u32(q.intermediateSize))
        add("xcomposer.qformer.cross_attention_freq", u32(q.crossAttentionFrequency))
        add("xcomposer.qformer.encoder_width", u32(q.encoderWidth))
        add("xcomposer.qformer.attention.layer_norm_epsilon", f32(q.layerNormEpsilon))
        add("xcomposer.qformer.query_count", u32(c.queryTokenCount))

        let (tokenizerEntries, pieces, tokenizerWarnings) = try tokenizerMetadata(tokenizer, config: c, folder: folder)
        warnings += tokenizerWarnings
        func specialID(_ override: Int?, _ piece: String, _ key: String) throws(CheckpointError) -> Int {
            if let override {
                guard override < c.vocabularySize else {
                    throw .badConfig(path: folder.configPath, key: key, reason: "(\(override)) is outside the vocabulary of \(c.vocabularySize)")
                }
                return override
            }
            guard let id = pieces.firstIndex(of: piece) else {
                throw .badConfig(path: folder.configPath, key: key,
                                 reason: "is not set and \(folder.tokenizerPath) has no '\(piece)' piece to take it from")
            }
            return id
        }
        add("xcomposer.eoh_token_id", u32(try specialID(c.endOfHumanTokenID, "<TOKENS_UNUSED_0>", "eoh_token_id")))
        add("xcomposer.eoa_token_id", u32(try specialID(c.endOfAnswerTokenID, "<TOKENS_UNUSED_1>", "eoa_token_id")))
        list += tokenizerEntries
        add("tokenizer.chat_template", .string(chatTemplate))
        return (list, warnings)
    }

    /// The tokenizer keys, with the vocabulary padded to the model's when the embedding has
    /// more rows than `tokenizer.model` has pieces (the VL model's two added tokens, from
    /// `added_tokens.json` when it is there).
    private static func tokenizerMetadata(_ tokenizer: SentencePieceModelFile, config c: XComposerConfig, folder: CheckpointFolder)
        throws(CheckpointError) -> (entries: [(key: String, value: GGUFValue)], pieces: [String], warnings: [String])
    {
        let metadata: GGUFMetadata
        do {
            metadata = try tokenizer.ggufMetadata()
        } catch {
            throw .tokenizer(error)
        }
        var pieces = tokenizer.pieces.map(\.text)
        var warnings: [String] = []
        guard pieces.count <= c.vocabularySize else {
            throw .badConfig(path: folder.configPath, key: "vocab_size",
                             reason: "(\(c.vocabularySize)) is smaller than the \(pieces.count) pieces of \(folder.tokenizerPath)")
        }
        var scores = tokenizer.pieces.map { GGUFValue.float32($0.score) }
        var types = tokenizer.pieces.map { GGUFValue.int32($0.type.rawValue) }
        if pieces.count < c.vocabularySize {
            let added = addedTokens(folder)
            let first = pieces.count
            for id in first..<c.vocabularySize {
                if let text = added[id], !pieces.contains(text) {
                    pieces.append(text)
                    types.append(.int32(SentencePieceModelFile.PieceType.userDefined.rawValue))
                } else {
                    pieces.append("[PAD\(id)]")
                    types.append(.int32(SentencePieceModelFile.PieceType.unused.rawValue))
                }
                scores.append(.float32(0))
            }
            warnings.append("\(folder.tokenizerPath): \(first) pieces for a vocabulary of \(c.vocabularySize); "
                + "ids \(first)...\(c.vocabularySize - 1) named from added_tokens.json or as [PADn]")
        }
        var entries: [(key: String, value: GGUFValue)] = []
        for key in metadata.keys {
            guard var value = metadata[key] else { continue }
            switch key {
            case "tokenizer.ggml.tokens": value = .array(elementType: GGUFValueType.string, values: pieces.map { .string($0) })
            case "tokenizer.ggml.scores": value = .array(elementType: GGUFValueType.float32, values: scores)
            case "tokenizer.ggml.token_type": value = .array(elementType: GGUFValueType.int32, values: types)
            default: break
            }
            entries.append((key, value))
        }
        return (entries, pieces, warnings)
    }

    /// `added_tokens.json` (`{"<ITG_TOKEN>": 103168, ...}`) as id → text; empty when absent.
    private static func addedTokens(_ folder: CheckpointFolder) -> [Int: String] {
        guard let data = FileManager.default.contents(atPath: folder.directory + "/added_tokens.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var result: [Int: String] = [:]
        for (text, value) in object {
            if let id = (value as? NSNumber)?.intValue { result[id] = text }
        }
        return result
    }

    /// `_name_or_path` from the config, else the folder's name.
    private static func modelName(_ c: XComposerConfig, folder: CheckpointFolder) -> String {
        let folderName = URL(fileURLWithPath: folder.directory).standardizedFileURL.lastPathComponent
        let base = "InternLM-XComposer"
        if let name = c.name, !name.isEmpty { return "\(base) (\(name))" }
        return folderName.isEmpty ? base : "\(base) (\(folderName))"
    }
}
