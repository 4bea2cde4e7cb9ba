import ImageIO
import LanguageModels
import Tensors
import VisionModels

/// `bench --synthetic NAME`: XComposer at its real sizes with random weights built in memory (no
/// checkpoint, no file), measured against this machine's own ceilings in the same run.
///
/// Order matters for memory: the vision tower is built and timed first, then the decoder's
/// matrices are generated and quantised one at a time, so peak RSS is the two models plus one
/// row per thread, which is what the real converted file costs mapped.
struct SyntheticBench {
    let preset: SyntheticPreset
    let languageType: GGMLType
    let visionType: GGMLType
    let threads: Int
    let promptPositions: Int
    let generateTokens: Int
    let repetitions: Int
    let numerics: Numerics

    /// Sizes of the ceiling measurements: a square sgemm about as large as the ViT's products,
    /// and a buffer far beyond any cache (smaller for the tiny preset, which only exercises code).
    private var sgemmSize: Int { preset.name == "xcomposer-tiny" ? 128 : 1536 }
    private var streamBytes: Int { preset.name == "xcomposer-tiny" ? 32 << 20 : 1 << 30 }

    func run() throws {
        let pool = ComputePool(threadCount: threads)
        let v = preset.vision, l = preset.language
        print("synthetic   \(preset.name): vision \(v.visionBlockCount)×\(v.visionWidth) \(visionType.name), "
              + "language \(l.architecture) \(l.layerCount)×\(l.embeddingLength) (FFN \(l.feedForwardLength), "
              + "vocab \(l.vocabularySize)) \(languageType.name)")
        print("threads     \(threads)   numerics \(numerics)   kernels \(KernelInfo.isa)")

        let peak = HardwareProbes.sgemmPeak(size: sgemmSize, threads: threads)
        print("sgemm       \(format(peak, 1)) GFLOP/s peak (OpenBLAS, \(sgemmSize)³ f32, \(threads) threads)")
        let bandwidthBefore = HardwareProbes.streamingRead(bytes: streamBytes, pool: pool)
        print("memory      \(format(bandwidthBefore, 2)) GB/s streaming read (\(streamBytes >> 20) MiB buffer)")

        // Vision tower: build, then encode one image (the first run also faults the pages in).
        var t0 = ProcessStats.now
        let vision = try XComposerVisionModel.synthetic(configuration: v, type: visionType, seed: 11, pool: pool)
        let visionBuild = ProcessStats.now - t0
        let picture = Self.testImage(side: v.imageSize)
        var encodeSeconds: [Double] = []
        var embedding: ImageEmbedding?
        for _ in 0..<max(1, min(repetitions, 2)) {
            t0 = ProcessStats.now
            embedding = try vision.encode(picture)
            encodeSeconds.append(ProcessStats.now - t0)
        }
        let bestEncode = encodeSeconds.min()!
        let visionRate = vision.floatingPointOperationsPerImage / bestEncode / 1e9
        print("vision      built in \(format(visionBuild, 1)) s; encode \(format(bestEncode, 3)) s/image, "
              + "\(format(visionRate, 1)) GFLOP/s = \(format(100 * visionRate / peak, 0))% of sgemm peak "
              + "(\(format(vision.floatingPointOperationsPerImage / 1e9, 1)) GFLOP; runs: "
              + encodeSeconds.map { format($0, 3) }.joined(separator: ", ") + " s)")

        // Language model, one matrix at a time.
        t0 = ProcessStats.now
        var reported = 0
        let synthetic = try SyntheticLlamaWeights(configuration: l, type: languageType, seed: 5, pool: pool) { fraction in
            let percent = Int(fraction * 100)
            if percent >= reported + 10 { reported = percent - percent % 10; writeErr("building language model: \(reported)%") }
        }
        let languageBuild = ProcessStats.now - t0
        let model = try LlamaModel.synthetic(synthetic, configuration: l,
                                             contextLength: promptPositions + generateTokens, pool: pool,
                                             numerics: numerics)
        print("language    built in \(format(languageBuild, 1)) s; \(format(Double(synthetic.matrixBytes) / 1_073_741_824, 2)) GiB of matrices")

        let parts = promptParts(image: embedding!)
        _ = try model.prefill(parts: Array(parts.prefix(1)), slot: 0, position: 0, shouldCancel: { false })
        var promptRates: [Double] = [], generationRates: [Double] = []
        for _ in 0..<max(1, repetitions) {
            t0 = ProcessStats.now
            let logits = try model.prefill(parts: parts, slot: 0, position: 0, shouldCancel: { false })
            promptRates.append(Double(promptPositions) / (ProcessStats.now - t0))
            var token = Int32(argmax(logits))
            t0 = ProcessStats.now
            for position in promptPositions..<(promptPositions + generateTokens) {
                token = Int32(argmax(try model.decode(tokens: [token], slots: [0], positions: [position])))
            }
            generationRates.append(Double(generateTokens) / (ProcessStats.now - t0))
        }
        // Peak RSS is the models' alone, taken before the second bandwidth probe allocates its buffer.
        let rss = Double(ProcessStats.peakResidentBytes) / 1_073_741_824
        // Measured again after the models ran, when other load on the machine may differ; the
        // better of the two is the ceiling.
        let bandwidthAfter = HardwareProbes.streamingRead(bytes: streamBytes / 4, pool: pool)
        let bandwidth = max(bandwidthBefore, bandwidthAfter)
        print("memory      \(format(bandwidthAfter, 2)) GB/s streaming read after the run (\(streamBytes >> 22) MiB buffer); "
              + "ceiling \(format(bandwidth, 2)) GB/s")
        // A decode step streams every layer matrix and the output head; of the embedding table it
        // reads one row.
        let rowBytes = synthetic.weights.tokenEmbedding.rowBytes
        let bytesPerToken = synthetic.matrixBytes - synthetic.weights.tokenEmbedding.rows * rowBytes + rowBytes
        let limit = bandwidth * 1e9 / Double(bytesPerToken)
        print("pp\(promptPositions)       best \(format(promptRates.max()!, 1)) positions/s "
              + "(\(v.imageEmbeddingCount) image vectors + \(promptPositions - v.imageEmbeddingCount) tokens; runs: "
              + promptRates.map { format($0, 1) }.joined(separator: ", ") + ")")
        print("tg\(generateTokens)       best \(format(generationRates.max()!, 2)) tokens/s = "
              + "\(format(100 * generationRates.max()! / limit, 0))% of the \(format(limit, 2)) tokens/s the memory "
              + "bandwidth allows for \(format(Double(bytesPerToken) / 1_048_576, 1)) MiB/token (runs: "
              + generationRates.map { format($0, 2) }.joined(separator: ", ") + ")")
        print("peak RSS    \(format(rss, 2)) GiB (target: under 8 GB for the whole model: \(rss * 1.073741824 < 8 ? "met" : "missed"))")
    }

    /// BOS, the image's vectors, then random text ids up to `promptPositions` positions, as the
    /// first chat turn about a photo lays them out.
    private func promptParts(image: ImageEmbedding) -> [PromptPart] {
        var generator = SplitMix64(seed: 1234)
        let vocabulary = UInt64(preset.language.vocabularySize)
        let textCount = max(0, promptPositions - image.count - 1)
        let text = (0..<textCount).map { _ in Int32(generator.next() % vocabulary) }
        return [.tokens([1]), .embeddings(values: image.values, count: image.count), .tokens(text)]
    }

    /// A smooth colour gradient, so the preprocessor's resize does real work.
    static func testImage(side: Int) -> RGBAImage {
        let size = max(side, 64)
        var pixels = [UInt8](repeating: 255, count: size * size * 4)
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 4
                pixels[i] = UInt8(x * 255 / size)
                pixels[i + 1] = UInt8(y * 255 / size)
                pixels[i + 2] = UInt8((x + y) * 127 / size)
            }
        }
        return RGBAImage(width: size, height: size, pixels: pixels)
    }

    private func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for i in 1..<values.count where values[i] > values[best] { best = i }
        return best
    }
}
