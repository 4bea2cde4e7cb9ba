import ArgumentParser
import CheckpointConversion
import LanguageModels
import Tensors

/// `xcomposer bench`: prompt-processing and generation speed, load time and peak memory, measured
/// the way scripts/llamacpp_bench.py measures llama.cpp: a 2048-token context, pp = one batched
/// prompt, tg = greedy tokens generated one at a time right after that prompt (so attention
/// reads 512–639 cached positions). With `--synthetic NAME` it measures XComposer at its real
/// sizes over random weights built in memory instead (see `SyntheticBench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prompt and generation tokens/s, load time and peak RSS.",
        discussion: "With --synthetic xcomposer-7b, builds XComposer-7B's vision tower and language model with random weights in memory (--type for the language matrices) and reports image-encode time and GFLOP/s against OpenBLAS's sgemm peak, prompt and generation speed against the measured memory bandwidth, and peak RSS."
    )

    @OptionGroup var options: ModelOptions

    @Option(name: .customLong("prompt-tokens"), help: "Prompt length for prompt processing.")
    var promptTokens = 512

    @Option(name: .customLong("generate-tokens"), help: "Tokens generated one at a time.")
    var generateTokens = 128

    @Option(help: "Repetitions; the best and the median are reported.")
    var repetitions = 3

    @Option(help: "Build a model of these sizes with random weights in memory instead of loading -m (xcomposer-7b).")
    var synthetic: String?

    @Option(name: .customLong("type"), help: "Stored type of the synthetic language model's matrices: f16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k.")
    var typeName = "q4_k"

    @Option(name: .customLong("vision-type"), help: "Stored type of the synthetic vision tower's matrices: f16 or f32 (as `convert --vision-type`).")
    var visionTypeName = "f16"

    func run() throws {
        if let synthetic {
            try runSynthetic(name: synthetic)
            return
        }
        let pool = ComputePool(threadCount: options.threads)
        let start = ProcessStats.now
        let model: LlamaModel
        do {
            model = try ModelLoader.loadLanguageModel(
                path: options.modelPath, contextLength: max(options.context ?? 2048, promptTokens + generateTokens),
                sequenceSlots: 1, pool: pool, numerics: options.numerics).model
        } catch {
            throw fail(error.description)
        }
        let loadSeconds = ProcessStats.now - start
        var generator = SplitMix64(seed: 1234)
        let vocabulary = UInt64(model.vocabularySize)
        let prompt = (0..<promptTokens).map { _ in Int32(generator.next() % vocabulary) }

        // Warm-up: touch every weight page once and let the threads spin up.
        _ = try model.prefill(tokens: Array(prompt.prefix(16)), slot: 0, position: 0, shouldCancel: { false })

        var promptRates: [Double] = []
        var generationRates: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let t0 = ProcessStats.now
            _ = try model.prefill(tokens: prompt, slot: 0, position: 0, shouldCancel: { false })
            promptRates.append(Double(promptTokens) / (ProcessStats.now - t0))

            var token = prompt[0]
            let t1 = ProcessStats.now
            for position in promptTokens..<(promptTokens + generateTokens) {
                let logits = try model.decode(tokens: [token], slots: [0], positions: [position])
                token = Int32(argmax(logits))
            }
            generationRates.append(Double(generateTokens) / (ProcessStats.now - t1))
        }
        let name = options.modelPath.split(separator: "/").last.map(String.init) ?? options.modelPath
        print("model       \(name)")
        print("threads     \(options.threads)   numerics \(options.numerics)   kernels \(KernelInfo.isa)")
        print("load        \(format(loadSeconds * 1000, 1)) ms")
        print("pp\(promptTokens)       best \(format(promptRates.max()!, 1)) tokens/s, median \(format(median(promptRates), 1))   (runs: \(promptRates.map { format($0, 1) }.joined(separator: ", ")))")
        print("tg\(generateTokens)       best \(format(generationRates.max()!, 1)) tokens/s, median \(format(median(generationRates), 1))   (runs: \(generationRates.map { format($0, 1) }.joined(separator: ", ")))")
        print("peak RSS    \(format(Double(ProcessStats.peakResidentBytes) / 1_048_576, 1)) MiB")
    }

    private func runSynthetic(name: String) throws {
        guard options.model == nil else { throw fail("give either -m MODEL or --synthetic NAME, not both") }
        guard let preset = SyntheticPreset.named(name) else {
            throw fail("--synthetic: unknown model '\(name)' (known: \(SyntheticPreset.publicNames.joined(separator: ", ")))")
        }
        let allowed = ConversionOptions.languageTypes.filter { $0 != .f32 && $0 != .bf16 }
        guard let type = GGMLType(name: typeName), allowed.contains(type) else {
            throw fail("--type: '\(typeName)' is not one of \(allowed.map { $0.name.lowercased() }.joined(separator: ", "))")
        }
        guard let visionType = GGMLType(name: visionTypeName), ConversionOptions.visionTypes.contains(visionType) else {
            throw fail("--vision-type: '\(visionTypeName)' is not f16 or f32")
        }
        guard promptTokens > preset.vision.imageEmbeddingCount, generateTokens > 0 else {
            throw fail("--prompt-tokens must exceed the \(preset.vision.imageEmbeddingCount) image vectors and --generate-tokens must be positive")
        }
        let bench = SyntheticBench(preset: preset, languageType: type, visionType: visionType,
                                   threads: options.threads, promptPositions: promptTokens,
                                   generateTokens: generateTokens, repetitions: repetitions,
                                   numerics: options.numerics)
        do { try bench.run() } catch { throw fail("synthetic \(name): \(error)") }
    }

    private func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for i in 1..<values.count where values[i] > values[best] { best = i }
        return best
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

/// Formats a number with a fixed count of decimals, without Foundation.
func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let fraction = text[text.index(after: dot)...]
        if fraction.count < decimals { text += String(repeating: "0", count: decimals - fraction.count) }
        if decimals == 0 { text = String(text[..<dot]) }
    }
    return text
}

/// A small deterministic generator for benchmark inputs.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
