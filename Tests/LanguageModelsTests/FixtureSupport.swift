import Foundation
import LanguageModels
import ModelFiles
import Tensors

/// Paths and loaders shared by the model tests.
enum FixtureSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static var defaultModelPath: String { ModelLoader.defaultModelPath }

    static var defaultModelPresent: Bool { FileManager.default.fileExists(atPath: defaultModelPath) }

    /// Top-64 logits and the log-sum-exp of a full row, as the reference fixtures store them.
    struct Position: Decodable {
        let top_ids: [Int]
        let top_logits: [Double]
        let lse: Double
    }

    struct Prompt: Decodable {
        let name: String
        let text: String?
        let tokens: [Int32]?
        let continuation: [Int32]?
        let positions: [Position]
    }

    struct ReferenceFile: Decodable {
        let prompts: [Prompt]
    }

    static func loadReference(_ name: String) throws -> ReferenceFile {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONDecoder().decode(ReferenceFile.self, from: data)
    }
}

/// Agreement of a model's logits with a reference that stores only the top 64 of each row.
struct DistributionComparison {
    private(set) var positions = 0
    private(set) var top1Agreements = 0
    private(set) var totalKL = 0.0
    private(set) var worstKL = 0.0

    var top1Rate: Double { positions == 0 ? 0 : Double(top1Agreements) / Double(positions) }
    var meanKL: Double { positions == 0 ? 0 : totalKL / Double(positions) }

    /// Adds one position: KL(reference || ours) over the reference's top 64 plus one bucket for
    /// the rest of the vocabulary, and whether the argmaxes agree.
    mutating func add(reference: FixtureSupport.Position, logits: UnsafeBufferPointer<Float>) {
        var maximum = -Double.infinity
        var best = 0
        for (index, value) in logits.enumerated() where Double(value) > maximum {
            maximum = Double(value); best = index
        }
        var sum = 0.0
        for value in logits { sum += Foundation.exp(Double(value) - maximum) }
        let ourLSE = maximum + Foundation.log(sum)
        var kl = 0.0
        var referenceTop = 0.0
        var ourTop = 0.0
        for (id, logit) in zip(reference.top_ids, reference.top_logits) {
            let p = Foundation.exp(logit - reference.lse)
            let logQ = Double(logits[id]) - ourLSE
            referenceTop += p
            ourTop += Foundation.exp(logQ)
            if p > 0 { kl += p * (Foundation.log(p) - logQ) }
        }
        let referenceTail = max(0, 1 - referenceTop)
        let ourTail = max(1e-30, 1 - ourTop)
        if referenceTail > 1e-12 { kl += referenceTail * Foundation.log(referenceTail / ourTail) }
        positions += 1
        totalKL += kl
        worstKL = max(worstKL, kl)
        if best == reference.top_ids[0] { top1Agreements += 1 }
    }
}
