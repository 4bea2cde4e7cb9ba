import ArgumentParser
import Engine
import ImageIO
import LanguageModels
import ModelFiles
import Tensors
import Tokenizers
import VisionModels

extension GenerateCommand {
    /// `generate --image`: encodes the photo with the model's vision tower, builds XComposer's
    /// first-turn prompt around it and streams the answer.
    ///
    /// The image is encoded before the engine starts, on this thread: the vision model and the
    /// decoder share one compute pool, which must never run two jobs at once.
    func runWithImage(path: String, question: String, opened: OpenedModel) async throws {
        guard !chat, template == nil else {
            throw fail("--image builds XComposer's own chat prompt; leave out --chat and --template")
        }
        let file = opened.file
        let name = ModelLoader.displayName(options.modelPath)
        guard XComposerVisionModel.hasVisionTower(file) else {
            throw fail(VisionLoadError.noVisionTower(file: name).description)
        }
        let picture: RGBAImage
        do { picture = try ImageDecoder.decode(path: path) } catch { throw fail(error.description) }
        let pool = ComputePool(threadCount: options.threads)
        let embedding: ImageEmbedding
        // Ctrl-C stops the encoding between two blocks of the tower (a 7B encoding takes seconds).
        let interrupted = CancelFlag()
        let cancelOnInterrupt = InterruptHandler { interrupted.cancel() }
        do {
            defer { cancelOnInterrupt.remove() }
            let vision = try XComposerVisionModel(file: file, pool: pool)
            embedding = try vision.encode(picture, shouldCancel: { interrupted.isCancelled })
        } catch let error as VisionLoadError {
            throw fail(error.description)
        } catch is VisionCancelled {
            writeErr("xcomposer: \(ModelLoader.displayName(path)): image encoding cancelled")
            throw ExitCode(130)
        } catch {
            throw fail("\(error)")
        }
        let parts = XComposerImagePrompt.firstTurn(question: question, image: embedding,
                                                   tokenizer: opened.tokenizer, system: system)
        var parameters = try sampling.parameters()
        parameters.stopStrings += ChatTemplate.internLMXComposer.stopStrings
        for key in [XComposerGGUFNames.endOfHumanTokenID, XComposerGGUFNames.endOfAnswerTokenID] {
            if let id = file.metadata.integer(key) { parameters.stopTokens.insert(Int32(id)) }
        }
        let engine: Engine
        do {
            engine = try opened.startEngine(contextLength: options.requestedContext,
                                            sequenceSlots: max(1, parameters.numBeams), pool: pool,
                                            numerics: options.numerics).engine
        } catch {
            throw fail(error.message)
        }
        try await stream(GenerationRequest(promptParts: parts, parameters: parameters), on: engine)
    }
}
