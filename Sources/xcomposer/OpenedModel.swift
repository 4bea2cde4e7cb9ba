import Engine
import LanguageModels
import ModelFiles
import Tensors
import Tokenizers

/// A GGUF model file opened with its tokenizer: the first step of every command that runs a
/// model, with failures already worded as one line naming the file.
struct OpenedModel: Sendable {
    let file: GGUFFile
    let tokenizer: VocabularyTokenizer

    static func open(path: String) throws(LoadFailure) -> OpenedModel {
        let file: GGUFFile
        do {
            file = try ModelLoader.open(path: path)
        } catch {
            throw LoadFailure(error.description)
        }
        do {
            return OpenedModel(file: file, tokenizer: try TokenizerVocabulary(metadata: file.metadata).makeTokenizer())
        } catch {
            throw LoadFailure("\(ModelLoader.displayName(path)): \(error)")
        }
    }

    /// Binds the decoder and starts an engine on it; returns the context length it got.
    func startEngine(contextLength: Int, sequenceSlots: Int, pool: ComputePool,
                     numerics: Numerics) throws(LoadFailure) -> (engine: Engine, contextLength: Int) {
        let model: ModelBox
        let granted: Int
        do {
            let llama = try LlamaModel(file: file, contextLength: contextLength, sequenceSlots: sequenceSlots,
                                       pool: pool, numerics: numerics)
            granted = llama.contextLength
            model = ModelBox(llama)
        } catch {
            throw LoadFailure(error.description)
        }
        return (Engine(tokenizer: tokenizer) { model.take() }, granted)
    }
}
