import AppCore
import CursesUI
import Engine
import LanguageModels
import ModelFiles
import Tokenizers
import VisionModels

extension EngineChatBackend {
    /// A reply about images: reads every image of the conversation off the UI thread (one
    /// `.imageProgress` per image, cached ones at once), builds XComposer's chat prompt with each
    /// turn's images before its text, and streams the answer of a request made of parts.
    ///
    /// Esc or Ctrl-C sets the job's flag, which stops the encoding between two blocks; the reply
    /// then ends as cancelled, like a text reply stopped during its prompt.
    func generateWithImages(_ messages: [ChatMessage], parameters: GenerationParameters, images: [[String]],
                            model: Loaded, vision: ChatVision, inbox: ChatInbox) {
        let flag = CancelFlag()
        imageJob.withLock { $0 = flag }
        vision.queue.async { [self] in
            defer { imageJob.withLock { if $0 === flag { $0 = nil } } }
            var unique: [String] = []
            for path in images.joined() where !unique.contains(path) { unique.append(path) }
            var embeddings: [String: ImageEmbedding] = [:]
            do {
                inbox.post(.imageProgress(done: 0, total: unique.count))
                for (index, path) in unique.enumerated() {
                    embeddings[path] = try vision.embedding(for: path, shouldCancel: { flag.isCancelled })
                    inbox.post(.imageProgress(done: index + 1, total: unique.count))
                }
            } catch is VisionCancelled {
                inbox.post(.engine(.finished(.cancelled)))
                return
            } catch {
                Self.fail("\(error)", inbox: inbox)
                return
            }
            if flag.isCancelled {
                inbox.post(.engine(.finished(.cancelled)))
                return
            }
            var parameters = parameters
            parameters.stopStrings += ChatTemplate.internLMXComposer.stopStrings
            for key in [XComposerGGUFNames.endOfHumanTokenID, XComposerGGUFNames.endOfAnswerTokenID] {
                if let id = model.metadata.integer(key) { parameters.stopTokens.insert(Int32(id)) }
            }
            let reserve = min(parameters.maxNewTokens, model.contextLength / 2)
            let perTurn = images.map { $0.compactMap { embeddings[$0] } }
            guard let parts = XComposerImagePrompt.fitted(messages, imagesPerTurn: perTurn, tokenizer: model.tokenizer,
                                                          contextLength: model.contextLength, reserve: reserve) else {
                Self.fail("the question and its images do not fit the model's context of \(model.contextLength) "
                          + "positions; /new starts a fresh conversation", inbox: inbox)
                return
            }
            let used = parts.reduce(0) { $0 + $1.count }
            parameters.maxNewTokens = max(1, min(parameters.maxNewTokens, model.contextLength - used))
            let stream = model.engine.submit(GenerationRequest(promptParts: parts, parameters: parameters))
            // A stop that came in while the request was being queued.
            if flag.isCancelled { model.engine.cancelAll() }
            Task.detached {
                for await event in stream { inbox.post(.engine(event)) }
            }
        }
    }

    private static func fail(_ message: String, inbox: ChatInbox) {
        inbox.post(.engine(.error(message)))
        inbox.post(.engine(.finished(.error(message))))
    }
}
