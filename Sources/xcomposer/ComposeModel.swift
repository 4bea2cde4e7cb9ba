import Engine
import LanguageModels
import ModelFiles
import Tensors
import Tokenizers
import VisionModels

/// The model a composition runs on, loaded and ready: its step runner (which decides the prompt
/// family), the engine behind it, the caption embedder for retrieval and, for XComposer, the
/// library captioner. Used by `compose`, the editor and `library caption` alike.
struct ComposeModel: Sendable {
    let runner: any StepRunner
    let engine: Engine
    let embedder: CaptionEmbedder?
    /// Set when the model can see (XComposer).
    let captioner: LibraryCaptioner?
    /// The file name without `.gguf`, for status lines.
    let name: String

    struct Settings: Sendable {
        var modelPath: String
        var threads: Int
        var context: Int
        var numerics: Numerics
        /// Most beams an XComposer step may use (nil: the original's, up to 5). Each beam is a
        /// sequence slot of its own in the KV cache, so 1 (greedy) saves memory and time at the
        /// cost of answers that differ from the reference.
        var beams: Int? = nil
    }

    /// Whether `file` is an XComposer model: an InternLM decoder with a vision tower.
    static func isXComposer(_ file: GGUFFile) -> Bool {
        file.metadata.string("general.architecture") == "internlm" && XComposerVisionModel.hasVisionTower(file)
    }

    /// Beams the XComposer steps use at most (spec §5: 5 for the article, spotting and selection).
    static let xcomposerBeams = 5

    static func load(_ settings: Settings) throws(LoadFailure) -> ComposeModel {
        let opened = try OpenedModel.open(path: settings.modelPath)
        let file = opened.file
        let displayName = ModelLoader.displayName(settings.modelPath)
        let name = displayName.hasSuffix(".gguf") ? String(displayName.dropLast(5)) : displayName
        let pool = ComputePool(threadCount: settings.threads)
        let embedder = try? CaptionEmbedder(file: file, tokenizer: opened.tokenizer)
        if isXComposer(file) {
            let tokenizer: VocabularyTokenizer
            let pictures: PictureEncoder
            do {
                tokenizer = try TokenizerVocabulary(metadata: file.metadata).makeTokenizer(specialTextHandling: .huggingFaceSlow)
                pictures = try PictureEncoder(file: file, threads: settings.threads)
            } catch {
                throw LoadFailure("\(displayName): \(error)")
            }
            let beams = max(1, min(settings.beams ?? xcomposerBeams, xcomposerBeams))
            let (engine, context) = try opened.startEngine(contextLength: settings.context, sequenceSlots: beams,
                                                           pool: pool, numerics: settings.numerics)
            let runner = XComposerStepRunner(engine: engine, tokenizer: tokenizer, pictures: pictures,
                                             metadata: file.metadata, contextLength: context, maxBeams: beams)
            return ComposeModel(runner: runner, engine: engine, embedder: embedder,
                                captioner: LibraryCaptioner(runner: runner), name: name)
        }
        guard let template = ChatTemplate.detect(fromJinja: file.metadata.string("tokenizer.chat_template")) else {
            throw LoadFailure("\(displayName): its chat template is not one this program knows")
        }
        let (engine, context) = try opened.startEngine(contextLength: settings.context, sequenceSlots: 1,
                                                       pool: pool, numerics: settings.numerics)
        let runner = ModelAnswerer(engine: engine, tokenizer: opened.tokenizer, template: template,
                                   metadata: file.metadata, contextLength: context)
        return ComposeModel(runner: runner, engine: engine, embedder: embedder, captioner: nil, name: name)
    }
}
