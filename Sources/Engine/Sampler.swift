/// Picks the next token from one row of logits with llama.cpp's chain:
/// repetition penalty → top-k → top-p → min-p → temperature → draw.
///
/// Each filter sees the survivors of the previous one, and top-p and min-p measure probabilities
/// before temperature is applied (llama.cpp's default order, which makes the kept set independent
/// of the temperature). With temperature 0 the chain reduces to the argmax of the penalised logits.
/// All buffers are allocated in `init`; `next` allocates nothing. Not thread-safe: one per request.
public final class Sampler {
    public let parameters: GenerationParameters
    public let vocabularySize: Int
    private let candidates: CandidateBuffer
    private var penalty: RepetitionPenalty
    private var random: Xoshiro256StarStar
    /// The seed actually used (drawn from the system when `parameters.seed` is nil).
    public let seed: UInt64

    public init(parameters: GenerationParameters, vocabularySize: Int) {
        self.parameters = parameters
        self.vocabularySize = vocabularySize
        candidates = CandidateBuffer(capacity: vocabularySize)
        penalty = RepetitionPenalty(parameters, vocabularySize: vocabularySize)
        var system = SystemRandomNumberGenerator()
        seed = parameters.seed ?? system.next()
        random = Xoshiro256StarStar(seed: seed)
    }

    /// The next token after `prompt + generated`, whose logits are `logits` (one per id).
    ///
    /// `prompt` and `generated` only feed the repetition penalty's window.
    public func next(logits: UnsafeBufferPointer<Float>,
                     prompt: ArraySlice<Int32> = [], generated: ArraySlice<Int32> = []) -> Int32 {
        prepare(logits: logits, prompt: prompt, generated: generated)
        if parameters.isGreedy { return candidates.ids[candidates.best()] }
        filter()
        return candidates.ids[candidates.draw(unit: random.nextUnitDouble())]
    }

    /// The distribution `next` draws from, best first (one entry of probability 1 when greedy).
    /// For tests and for showing alternatives; it allocates, unlike `next`.
    public func distribution(logits: UnsafeBufferPointer<Float>,
                             prompt: ArraySlice<Int32> = [], generated: ArraySlice<Int32> = [])
        -> [TokenProbability] {
        prepare(logits: logits, prompt: prompt, generated: generated)
        if parameters.isGreedy {
            return [TokenProbability(token: candidates.ids[candidates.best()], probability: 1)]
        }
        filter()
        return candidates.probabilities()
    }

    private func prepare(logits: UnsafeBufferPointer<Float>,
                         prompt: ArraySlice<Int32>, generated: ArraySlice<Int32>) {
        candidates.load(UnsafeBufferPointer(rebasing: logits.prefix(vocabularySize)))
        // Right after loading, slot i holds id i, so the penalty can index scores by id.
        penalty.apply(to: UnsafeMutableBufferPointer(rebasing: candidates.scores[0..<candidates.count]),
                      prompt: prompt, generated: generated)
    }

    private func filter() {
        if parameters.topK > 0 { candidates.keepBest(parameters.topK) }
        if parameters.topP < 1 { candidates.keepNucleus(parameters.topP) }
        if parameters.minP > 0 { candidates.keepAboveMinP(parameters.minP) }
        candidates.scale(byTemperature: parameters.temperature)
    }
}
