import ArgumentParser
import Engine

/// Sampling and stopping options of `generate`, mapped onto `GenerationParameters`.
struct SamplingOptions: ParsableArguments {
    @Option(name: [.customShort("n"), .customLong("max-tokens")], help: "Most tokens to generate.")
    var maxTokens = 256

    @Option(help: "Temperature; 0 picks the most likely token every time (greedy).")
    var temperature: Float = 0

    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0 = all).")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Keep the smallest set whose probability reaches p (1 = all).")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens less likely than min-p times the best one.")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty, Hugging Face semantics (1 = off).")
    var repeatPenalty: Float = 1.0

    @Option(name: .customLong("repeat-last-n"), help: "Tokens the repetition penalty looks back over (0 = all).")
    var repeatLastN = 64

    @Option(help: "Random seed (default: a new one each run).")
    var seed: UInt64?

    @Option(help: "Beam search with this many beams (1 = off).")
    var beams = 1

    @Option(name: .customLong("length-penalty"), help: "Beam search length penalty.")
    var lengthPenalty: Float = 1.0

    @Option(name: .customLong("stop"), help: "Stop when this text appears (repeatable).")
    var stop: [String] = []

    @Flag(name: .customLong("truncate-prompt"), help: "Drop the start of a prompt that does not fit the context instead of failing.")
    var truncatePrompt = false

    func parameters() throws -> GenerationParameters {
        var parameters = GenerationParameters()
        parameters.maxNewTokens = maxTokens
        parameters.temperature = temperature
        parameters.topK = topK
        parameters.topP = topP
        parameters.minP = minP
        parameters.repetitionPenalty = repeatPenalty
        parameters.penaltyLastN = repeatLastN == 0 ? nil : repeatLastN
        parameters.seed = seed
        parameters.numBeams = beams
        parameters.lengthPenalty = lengthPenalty
        parameters.stopStrings = stop
        if truncatePrompt { parameters.contextPolicy = .truncateStart(keep: 0) }
        do {
            try parameters.validate()
        } catch {
            throw fail(error.description)
        }
        return parameters
    }
}
