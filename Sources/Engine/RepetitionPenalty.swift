/// Hugging Face's repetition penalty (`RepetitionPenaltyLogitsProcessor`, after Keskar et al. 2019):
/// every distinct id in the window has its score divided by the penalty when positive and
/// multiplied by it otherwise, once no matter how often the id occurs.
///
/// Reuses one stamp array of vocabulary size to find distinct ids, so applying it allocates nothing.
struct RepetitionPenalty {
    let penalty: Float
    /// Most recent tokens considered; nil for all.
    let lastN: Int?
    /// Whether prompt tokens are eligible.
    let penalizePrompt: Bool
    private var stamps: [UInt32]
    private var currentStamp: UInt32 = 0

    init(penalty: Float, lastN: Int?, penalizePrompt: Bool, vocabularySize: Int) {
        self.penalty = penalty
        self.lastN = lastN
        self.penalizePrompt = penalizePrompt
        stamps = penalty == 1 ? [] : [UInt32](repeating: 0, count: vocabularySize)
    }

    init(_ parameters: GenerationParameters, vocabularySize: Int) {
        self.init(penalty: parameters.repetitionPenalty, lastN: parameters.penaltyLastN,
                  penalizePrompt: parameters.penalizePrompt, vocabularySize: vocabularySize)
    }

    var isActive: Bool { penalty != 1 && lastN != 0 }

    /// Penalises `scores` (indexed by token id) for the window at the end of `prompt + generated`.
    mutating func apply(to scores: UnsafeMutableBufferPointer<Float>,
                        prompt: ArraySlice<Int32>, generated: ArraySlice<Int32>) {
        guard isActive else { return }
        nextStamp()
        var remaining = lastN ?? Int.max
        var index = generated.endIndex
        while remaining > 0, index > generated.startIndex {
            index -= 1; remaining -= 1
            penalise(generated[index], in: scores)
        }
        guard penalizePrompt else { return }
        index = prompt.endIndex
        while remaining > 0, index > prompt.startIndex {
            index -= 1; remaining -= 1
            penalise(prompt[index], in: scores)
        }
    }

    @inline(__always)
    private mutating func penalise(_ token: Int32, in scores: UnsafeMutableBufferPointer<Float>) {
        let id = Int(token)
        guard id >= 0, id < scores.count, id < stamps.count, stamps[id] != currentStamp else { return }
        stamps[id] = currentStamp
        let score = scores[id]
        scores[id] = score > 0 ? score / penalty : score * penalty
    }

    private mutating func nextStamp() {
        if currentStamp == UInt32.max {
            for i in stamps.indices { stamps[i] = 0 }
            currentStamp = 0
        }
        currentStamp += 1
    }
}
