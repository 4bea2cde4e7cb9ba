/// How one request decodes: sampling settings, beam search settings and stop rules.
///
/// Sampling follows llama.cpp's chain (repetition penalty → top-k → top-p → min-p → temperature →
/// draw); beam search follows Hugging Face transformers' `_beam_search`, because the XComposer
/// reference outputs come from there. A value of this type is plain data: it crosses threads freely
/// and two requests with equal parameters, prompt and seed produce equal output.
public struct GenerationParameters: Sendable, Equatable {
    /// Most tokens to generate (the stop token, if one ends the reply, counts as generated).
    public var maxNewTokens: Int
    /// Softmax temperature for sampling; 0 means greedy (always the most likely token).
    /// Beam search is always deterministic and ignores temperature, topK, topP, minP and seed,
    /// like transformers with `do_sample=False`.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 disables the filter.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probabilities sum to at least `topP`;
    /// 1 disables the filter. Must be in (0, 1].
    public var topP: Float
    /// Drop tokens whose probability is below `minP` times the most likely token's; 0 disables it.
    public var minP: Float
    /// Hugging Face repetition penalty: for each distinct id in the penalty window,
    /// `score > 0 ? score / p : score * p`. 1 disables it; values above 1 discourage repeats.
    /// In sampling and greedy mode it acts on the logits; in beam search it acts on the
    /// log-probabilities, exactly as transformers' beam search does.
    public var repetitionPenalty: Float
    /// How many of the most recent tokens form the penalty window; nil means all of them
    /// (transformers' behaviour). Which tokens are eligible at all is set by `penalizePrompt`.
    public var penaltyLastN: Int?
    /// Whether prompt tokens are in the penalty window. transformers penalises the whole
    /// `input_ids` (true); XComposer calls `generate(inputs_embeds:)`, so only generated ids are
    /// penalised there (false).
    public var penalizePrompt: Bool
    /// Seed of the sampling random generator; nil draws a fresh seed from the system.
    public var seed: UInt64?
    /// Beam width; 1 means no beam search.
    public var numBeams: Int
    /// Beam scores are `sum of log-probabilities / (generated length ^ lengthPenalty)`; values
    /// above 0 favour longer replies, below 0 shorter ones.
    public var lengthPenalty: Float
    /// When beam search may stop before every beam has run out of budget.
    public var earlyStopping: EarlyStopping
    /// Ids that end the reply (in addition to the tokenizer's end-of-generation ids when
    /// `includeTokenizerStopTokens` is true). The stop token itself is not emitted as text.
    public var stopTokens: Set<Int32>
    /// Whether the tokenizer's `endOfGenerationTokens` also stop generation.
    public var includeTokenizerStopTokens: Bool
    /// Texts that end the reply when they appear in the decoded output, even across token
    /// boundaries. The stop string itself and anything after it are not emitted.
    public var stopStrings: [String]
    /// What to do when the prompt does not fit the model's context.
    public var contextPolicy: ContextPolicy

    /// Beam search's stopping rule, with transformers' three settings of `early_stopping`.
    public enum EarlyStopping: Sendable, Equatable {
        /// `early_stopping=False` (transformers' default): stop when `numBeams` hypotheses are
        /// finished and the best running beam, scored at its current length, cannot beat the worst
        /// of them. A heuristic: with `lengthPenalty > 0` a longer continuation could still win.
        case heuristic
        /// `early_stopping=True`: stop as soon as `numBeams` hypotheses are finished.
        case whenFull
        /// `early_stopping="never"`: canonical beam search; with `lengthPenalty > 0` the bound
        /// uses the longest possible length, so no better hypothesis can be missed.
        case never
    }

    /// What to do with a prompt that leaves no room in the context.
    public enum ContextPolicy: Sendable, Equatable {
        /// Fail with `EngineError.promptTooLong` when the prompt fills the whole context.
        /// Prompts that fit are run as they are; generation then stops with `.contextFull` when
        /// the cache runs out.
        case error
        /// Keep the first `keep` tokens (BOS, system prompt) and drop the oldest tokens after them
        /// until the prompt leaves room for the reply: `min(maxNewTokens, contextLength / 2)`
        /// positions are reserved.
        case truncateStart(keep: Int)
    }

    public init(
        maxNewTokens: Int = 512,
        temperature: Float = 0.8,
        topK: Int = 40,
        topP: Float = 0.95,
        minP: Float = 0.05,
        repetitionPenalty: Float = 1.0,
        penaltyLastN: Int? = 64,
        penalizePrompt: Bool = true,
        seed: UInt64? = nil,
        numBeams: Int = 1,
        lengthPenalty: Float = 1.0,
        earlyStopping: EarlyStopping = .heuristic,
        stopTokens: Set<Int32> = [],
        includeTokenizerStopTokens: Bool = true,
        stopStrings: [String] = [],
        contextPolicy: ContextPolicy = .error
    ) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.penaltyLastN = penaltyLastN
        self.penalizePrompt = penalizePrompt
        self.seed = seed
        self.numBeams = numBeams
        self.lengthPenalty = lengthPenalty
        self.earlyStopping = earlyStopping
        self.stopTokens = stopTokens
        self.includeTokenizerStopTokens = includeTokenizerStopTokens
        self.stopStrings = stopStrings
        self.contextPolicy = contextPolicy
    }

    /// Greedy decoding: always the most likely token, no penalty.
    public static let greedy = GenerationParameters(temperature: 0, topK: 0, topP: 1, minP: 0)

    /// XComposer v1's `gen_config` for chat: 5 beams, repetition penalty 1.5 on generated ids only,
    /// length penalty 1, at most 500 new tokens. Add the model's stop ids (103027, 103028) to
    /// `stopTokens` when the tokenizer does not list them as end-of-generation tokens.
    public static let xcomposerChat = GenerationParameters(
        maxNewTokens: 500, temperature: 0, topK: 0, topP: 1, minP: 0,
        repetitionPenalty: 1.5, penaltyLastN: nil, penalizePrompt: false,
        numBeams: 5, lengthPenalty: 1.0, earlyStopping: .heuristic)

    /// Whether decoding picks tokens deterministically (greedy) rather than by drawing.
    public var isGreedy: Bool { temperature == 0 }

    /// Checks every field's range; the first problem found is thrown as one clear line.
    public func validate() throws(EngineError) {
        func bad(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> EngineError {
            .invalidParameter(name: name, value: value.description, reason: reason)
        }
        guard maxNewTokens >= 1 else { throw bad("maxNewTokens", maxNewTokens, "must be at least 1") }
        guard temperature.isFinite, temperature >= 0 else {
            throw bad("temperature", temperature, "must be a finite number ≥ 0 (0 means greedy)")
        }
        guard topK >= 0 else { throw bad("topK", topK, "must be ≥ 0 (0 disables it)") }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw bad("topP", topP, "must be in (0, 1] (1 disables it)")
        }
        guard minP.isFinite, minP >= 0, minP < 1 else {
            throw bad("minP", minP, "must be in [0, 1) (0 disables it)")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw bad("repetitionPenalty", repetitionPenalty, "must be a finite number > 0 (1 disables it)")
        }
        if let penaltyLastN, penaltyLastN < 0 {
            throw bad("penaltyLastN", penaltyLastN, "must be ≥ 0 (nil means every token)")
        }
        guard numBeams >= 1 else { throw bad("numBeams", numBeams, "must be at least 1") }
        guard lengthPenalty.isFinite else { throw bad("lengthPenalty", lengthPenalty, "must be finite") }
        if let empty = stopStrings.firstIndex(where: \.isEmpty) {
            throw bad("stopStrings[\(empty)]", "\"\"", "an empty stop string would match everywhere")
        }
        if case let .truncateStart(keep) = contextPolicy, keep < 0 {
            throw bad("contextPolicy.truncateStart(keep:)", keep, "must be ≥ 0")
        }
    }
}
