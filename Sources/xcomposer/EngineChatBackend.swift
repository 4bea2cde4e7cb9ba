import AppCore
import CursesUI
import Dispatch
import Engine
import LanguageModels
import ModelFiles
import Synchronization
import Tensors
import Tokenizers
import VisionModels

/// The chat screen's model side: loads GGUF models off the UI thread with progress, renders the
/// conversation through the model's chat template and streams replies from the engine. An
/// XComposer model with its vision tower also reads the images attached to the conversation
/// (see `EngineChatBackend+Images.swift`).
final class EngineChatBackend: Sendable {
    struct Settings: Sendable {
        var threads: Int
        var context: Int
        var numerics: Numerics
        var templateOverride: ChatTemplate?
    }

    /// A loaded model with what it takes to prompt it.
    struct Loaded: Sendable {
        let engine: Engine
        let tokenizer: VocabularyTokenizer
        let template: ChatTemplate
        let metadata: GGUFMetadata
        let contextLength: Int
        /// The vision tower, for a model that has one.
        let vision: ChatVision?
    }

    private let settings: Settings
    let loaded = Mutex<Loaded?>(nil)
    /// The cancel flag of the reply whose images are being read, if any.
    let imageJob = Mutex<CancelFlag?>(nil)
    /// Counts load requests, so a slow load finishing after a newer one is thrown away.
    private let loadGeneration = Atomic<Int>(0)
    private let pool: ComputePool

    init(settings: Settings) {
        self.settings = settings
        pool = ComputePool(threadCount: settings.threads)
    }

    func perform(_ effect: ChatEffect, inbox: ChatInbox) {
        switch effect {
        case let .loadModel(path):
            load(path: path, inbox: inbox)
        case let .generate(messages, parameters, images):
            generate(messages, parameters: parameters, images: images, inbox: inbox)
        case .cancelGeneration:
            imageJob.withLock { $0?.cancel() }
            loaded.withLock { $0?.engine.cancel() }
        case .quit, .save, .listSessions, .openSession, .export:
            break
        }
    }

    func shutdown() {
        imageJob.withLock { $0?.cancel() }
        loaded.withLock { $0?.engine.shutdown() }
    }

    // MARK: - Loading

    private func load(path: String, inbox: ChatInbox) {
        let generation = loadGeneration.add(1, ordering: .relaxed).newValue
        let settings = self.settings
        let pool = self.pool
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let name = ModelLoader.displayName(path)
            do {
                inbox.post(.modelLoading(fraction: 0, detail: "reading \(name)"))
                let opened = try OpenedModel.open(path: path)
                let (file, tokenizer) = (opened.file, opened.tokenizer)
                guard let template = settings.templateOverride
                        ?? ChatTemplate.detect(fromJinja: file.metadata.string("tokenizer.chat_template")) else {
                    throw LoadFailure("\(name): its chat template is not one this program knows; choose one with --template")
                }
                Self.prefault(file) { fraction in
                    inbox.post(.modelLoading(fraction: 0.05 + 0.9 * fraction, detail: "loading weights of \(name)"))
                }
                var vision: ChatVision?
                if XComposerVisionModel.hasVisionTower(file) {
                    inbox.post(.modelLoading(fraction: 0.96, detail: "loading the vision tower of \(name)"))
                    do { vision = try ChatVision(file: file, threads: settings.threads) } catch {
                        throw LoadFailure("\(error)")
                    }
                }
                let (engine, contextLength) = try opened.startEngine(contextLength: settings.context, sequenceSlots: 1,
                                                                     pool: pool, numerics: settings.numerics)
                let entry = Loaded(engine: engine, tokenizer: tokenizer, template: template,
                                   metadata: file.metadata, contextLength: contextLength, vision: vision)
                guard loadGeneration.load(ordering: .relaxed) == generation else {
                    engine.shutdown()
                    return
                }
                // The old model answers until the new one is ready; a load that fails keeps it.
                let old = loaded.withLock { current -> Loaded? in
                    defer { current = entry }
                    return current
                }
                old?.engine.shutdown()
                // The file name is what the user chose and recognises; `general.name` is often a
                // training-run label.
                let title = name.hasSuffix(".gguf") ? String(name.dropLast(5)) : name
                inbox.post(.modelLoading(fraction: 1, detail: "ready"))
                inbox.post(.modelReady(ModelSummary(name: title, contextLength: contextLength,
                                                                seesImages: vision != nil)))
            } catch let failure as LoadFailure {
                inbox.post(.modelFailed(failure.message))
            } catch {
                inbox.post(.modelFailed("\(error)"))
            }
        }
    }

    /// Reads every page of the weights once, so the first answer does not stall on disk reads and
    /// the loading bar shows real progress.
    private static func prefault(_ file: GGUFFile, progress: (Double) -> Void) {
        let total = max(1, file.tensors.reduce(0) { $0 + file.bytes(of: $1).count })
        var done = 0
        var reported = 0.0
        var checksum: UInt8 = 0
        for tensor in file.tensors {
            let bytes = file.bytes(of: tensor)
            var offset = 0
            while offset < bytes.count {
                checksum &+= bytes[offset]
                offset += 4096
            }
            done += bytes.count
            let fraction = Double(done) / Double(total)
            if fraction - reported >= 0.05 || done == total {
                reported = fraction
                progress(fraction)
            }
        }
        blackHole(checksum)
    }

    @inline(never) private static func blackHole(_ value: UInt8) { _ = value }

    // MARK: - Generation

    private func generate(_ messages: [ChatMessage], parameters: GenerationParameters, images: [[String]],
                          inbox: ChatInbox) {
        guard let model = loaded.withLock({ $0 }) else {
            inbox.post(.engine(.error("no model is loaded")))
            inbox.post(.engine(.finished(.error("no model is loaded"))))
            return
        }
        if let vision = model.vision, images.contains(where: { !$0.isEmpty }) {
            generateWithImages(messages, parameters: parameters, images: images, model: model, vision: vision,
                               inbox: inbox)
            return
        }
        var parameters = parameters
        parameters.stopStrings += model.template.stopStrings
        let reserve = min(parameters.maxNewTokens, model.contextLength / 2)
        let prompt = ChatPrompt.fitted(messages, template: model.template, tokenizer: model.tokenizer,
                                       metadata: model.metadata, contextLength: model.contextLength,
                                       reserve: reserve)
        parameters.maxNewTokens = max(1, min(parameters.maxNewTokens, model.contextLength - prompt.tokens.count))
        let stream = model.engine.submit(GenerationRequest(promptTokens: prompt.tokens, parameters: parameters))
        Task.detached {
            for await event in stream { inbox.post(.engine(event)) }
        }
    }
}

/// A load failure already worded for the user.
struct LoadFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
