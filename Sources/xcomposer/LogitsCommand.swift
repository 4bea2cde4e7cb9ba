import ArgumentParser
import LanguageModels
import Tensors

/// `xcomposer logits`: feeds token ids one at a time through the decode path and writes the
/// logits after each as a (positions × vocabulary) float32 `.npy`, for fidelity checks against
/// other implementations.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Write the logits after each of the given tokens to a .npy file."
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "Comma-separated token ids, e.g. 1,504,3067.")
    var tokens: String

    @Option(help: "Output .npy file.")
    var out: String

    func run() throws {
        var ids: [Int32] = []
        for part in tokens.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int32(part.trimmingCharacters(in: " ")) else {
                throw fail("--tokens: '\(part)' is not a token id")
            }
            ids.append(id)
        }
        guard !ids.isEmpty else { throw fail("--tokens: no token ids given") }
        let pool = ComputePool(threadCount: options.threads)
        let loaded: LlamaModel
        do {
            loaded = try ModelLoader.loadLanguageModel(
                path: options.modelPath, contextLength: max(ids.count, 1), sequenceSlots: 1,
                pool: pool, numerics: options.numerics).model
        } catch {
            throw fail(error.description)
        }
        guard ids.count <= loaded.contextLength else {
            throw fail("--tokens: \(ids.count) tokens do not fit the model's context of \(loaded.contextLength)")
        }
        let vocabulary = loaded.vocabularySize
        var values = [Float]()
        values.reserveCapacity(ids.count * vocabulary)
        for (position, id) in ids.enumerated() {
            do {
                let logits = try loaded.decode(tokens: [id], slots: [0], positions: [position])
                values.append(contentsOf: logits)
            } catch {
                throw fail("--tokens: \(error)")
            }
        }
        do {
            try NpyWriter.write(path: out, rows: ids.count, columns: vocabulary, values: values)
        } catch {
            throw fail("\(error)")
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var result = self
        while result.first == set { result.removeFirst() }
        while result.last == set { result.removeLast() }
        return result
    }
}
